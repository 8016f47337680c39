//! The `report` command line: parse arguments, call the library, print errors.

use std::collections::BTreeSet;
use std::error::Error as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use report::commands::{self, Outcome};
use report::config::Config;
use report::figures::model::Audience;
use report::period::FinancialYear;
use report::render::Format;
use report::sample::SampleOptions;

/// Loading a national export makes millions of small strings; mimalloc allocates and frees them
/// several times faster than the system allocator (see bench/run).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Statutory reports on complaints, representations and compliments about children's social
/// care, from your case-management system's CSV exports.
#[derive(Parser)]
#[command(name = "report", version, about, max_term_width = 100)]
struct Cli {
    /// The configuration [default: report.toml in the current folder, if there is one].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the annual report for a financial year: Markdown, HTML, figures.json, tables and charts.
    Annual {
        /// The financial year, 1 April to 31 March: 2024-25, 2024/25 or 2024-2025.
        #[arg(value_parser = parse_year)]
        year: FinancialYear,
        /// The data folder [default: the config's [data] dir, else ./data].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Where to write the report [default: out/YEAR].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// (Set from the list of formats at run time; see `command`.)
        #[arg(long, default_value = "all", value_parser = Format::parse_list, value_name = "LIST")]
        format: BTreeSet<Format>,
        /// Markdown whose "## " sections (Introduction, Observations, Recommendations, Progress on
        /// last year's recommendations…) are placed in the report [default: narrative.md beside
        /// the data].
        #[arg(long, value_name = "FILE")]
        narrative: Option<PathBuf>,
        /// A folder of templates that replace the built-in ones file by file.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Leave out rows with errors (listed in the report) instead of stopping.
        #[arg(long)]
        skip_invalid: bool,
        /// public: small numbers suppressed, no case detail (for the website and committee);
        /// internal: every number, and learning with references (for staff).
        #[arg(long, default_value = "public", value_name = "public|internal")]
        audience: Audience,
    },
    /// Check a data folder: list every problem as file:line: column: problem, the labels it
    /// uses, and what was read.
    Check {
        /// A financial year to be reported on (2024-25): also check the data has rows in it.
        #[arg(value_parser = parse_year)]
        year: Option<FinancialYear>,
        /// The data folder [default: the config's [data] dir, else ./data].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The narrative file to check [default: narrative.md beside the data].
        #[arg(long, value_name = "FILE")]
        narrative: Option<PathBuf>,
    },
    /// Start a council's set-up: a commented report.toml and a narrative.md skeleton.
    Init {
        /// The folder to write into (created if needed).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also copy the built-in templates into DIR/templates, to edit.
        #[arg(long)]
        templates: bool,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic, anonymous data folder: five financial years of a mid-sized authority.
    SampleData {
        /// The folder to write (created if needed).
        #[arg(long, default_value = "sample-data", value_name = "DIR")]
        out: PathBuf,
        /// The random seed: the same seed always gives the same files.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Multiply every yearly volume, e.g. 1700 for about a million representation rows.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// The last of the five financial years, e.g. 2024-25.
        #[arg(long, default_value = "2024-25", value_parser = parse_year)]
        last_year: FinancialYear,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
}

fn parse_year(text: &str) -> Result<FinancialYear, String> {
    text.parse()
}

/// The command as typed, with the program's name rather than its path.
fn command_line() -> String {
    let quote = |arg: String| {
        if arg.is_empty() || arg.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            format!("'{}'", arg.replace('\'', "'\\''"))
        } else {
            arg
        }
    };
    std::iter::once("report".to_string())
        .chain(std::env::args().skip(1).map(quote))
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(cli: Cli) -> report::Result<Outcome> {
    let config = || Config::discover(cli.config.as_deref());
    match cli.command {
        Command::Annual {
            year,
            data,
            out,
            format,
            narrative,
            templates,
            skip_invalid,
            audience,
        } => commands::annual::run(&commands::annual::AnnualOptions {
            year,
            data_dir: data,
            out_dir: out,
            formats: format,
            narrative,
            templates_dir: templates,
            skip_invalid,
            audience,
            config: config()?,
            command: command_line(),
        }),
        Command::Check {
            year,
            data,
            narrative,
        } => commands::check::run(&commands::check::CheckOptions {
            data_dir: data,
            period: year.map(FinancialYear::period),
            narrative,
            config: config()?,
        }),
        Command::Init {
            dir,
            templates,
            force,
        } => commands::init::run(&commands::init::InitOptions {
            dir,
            templates,
            force,
        }),
        Command::SampleData {
            out,
            seed,
            scale,
            last_year,
            force,
        } => commands::sample_data::run(&commands::sample_data::SampleDataOptions {
            out,
            sample: SampleOptions {
                seed,
                scale,
                last_year,
            },
            force,
        }),
    }
}

/// The command line, with help that comes from the library's own lists.
fn command() -> clap::Command {
    Cli::command().mut_subcommand("annual", |annual| {
        annual.mut_arg("format", |arg| arg.help(Format::help()))
    })
}

fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn main() -> ExitCode {
    match run(parse()) {
        Ok(outcome) => {
            print!("{}", outcome.stdout);
            ExitCode::from(outcome.exit_code as u8)
        }
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
