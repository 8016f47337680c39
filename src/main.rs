//! The `report` command line: parse arguments, call the library, print errors.

use std::collections::BTreeSet;
use std::error::Error as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use report::commands::{self, Outcome};
use report::config::Config;
use report::figures::DocumentSpec;
use report::figures::document as documents;
use report::figures::model::Audience;
use report::period::{FinancialYear, Period};
use report::render::Format;
use report::sample::SampleOptions;

/// mimalloc makes one council's report about a third faster than the system allocator (0.11 s
/// against 0.17 s, median of 11, 2026-11-23). At a million rows the system allocator peaks about
/// 100 MB lower; docs/performance.md weighs the two.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, which its Rust bindings leave unnamed: its place in
/// `mi_option_e` (include/mimalloc.h of the mimalloc 3 that libmimalloc-sys builds). A test
/// checks it against the option's default, so an upgrade that moves it fails there.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// What `report::memory` calls where a run has just freed a lot: mimalloc hands back, now,
/// what it would otherwise keep for a second.
fn collect_freed_memory() {
    // SAFETY: mimalloc's own entry point, callable from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// How long freed memory is kept for reuse before it goes back to the system, by default: 2 ms
/// rather than mimalloc's second. With up to four threads at work (two readers, polars' own,
/// the sections'), each with memory of its own kept for reuse, a second's worth of freed memory
/// was 90–100 MB above what the run held at a million rows, and put the peak over the size of
/// the files read. Kept 2 ms the peak is about 45 MB lower, under that
/// size, for about 0.01–0.02 s (docs/performance.md, change 77); `MIMALLOC_PURGE_DELAY` in the
/// environment still rules, for measuring.
const DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 2;

/// Sets how long freed memory is kept for reuse, in milliseconds.
fn keep_freed_memory_for(milliseconds: std::ffi::c_long) {
    // SAFETY: sets one of mimalloc's options, which it reads whenever it would purge; called
    // before the work starts, so no purge is under way.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, milliseconds) }
}

/// `--low-memory`: memory freed goes back to the system at once, at the cost of the kernel
/// handing back (and zeroing) the same pages again when they are asked for;
/// docs/performance.md has the figures.
fn return_freed_memory_at_once() {
    keep_freed_memory_for(0);
}

/// Statutory reports on complaints, representations and compliments about children's social
/// care, from your case-management system's CSV exports.
#[derive(Parser)]
#[command(name = "report", version, about, max_term_width = 100)]
struct Cli {
    /// The configuration [default: report.toml in the current folder, if there is one].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Return memory to the system as soon as it is freed, not 2 ms later: at a million rows a
    /// peak about a twentieth lower, for about 0.03 s more. The output is the same.
    #[arg(long, global = true)]
    low_memory: bool,
    #[command(subcommand)]
    command: Command,
}

/// What every document command takes.
#[derive(clap::Args)]
struct DocumentArgs {
    /// The data folder [default: the config's [data] dir, else ./data].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Where to write it [default: out/PERIOD].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// (Set from the list of formats at run time; see `command`.)
    #[arg(long, default_value = "all", value_parser = Format::parse_list, value_name = "LIST")]
    format: BTreeSet<Format>,
    /// Markdown whose "## " sections (Introduction, Observations, Recommendations, Progress on
    /// last year's recommendations…) are placed in the document [default: narrative.md beside
    /// the data].
    #[arg(long, value_name = "FILE")]
    narrative: Option<PathBuf>,
    /// A folder of templates that replace the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Leave out rows with errors (listed in the document) instead of stopping.
    #[arg(long)]
    skip_invalid: bool,
    /// public: small numbers suppressed, no case detail (for the website and committee);
    /// internal: every number, and case detail for staff [default: the document's own].
    #[arg(long, value_name = "public|internal")]
    audience: Option<Audience>,
    /// The date figures are as at (open cases, overdue actions) [default: the latest date in the
    /// data].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_at: Option<chrono::NaiveDate>,
    /// Allow a period that had not ended by the as-at date; the document says it is
    /// provisional.
    #[arg(long)]
    provisional: bool,
}

#[derive(Subcommand)]
enum Command {
    /// The statutory annual report for a financial year: Markdown, HTML, figures.json, tables,
    /// charts and an Excel appendix.
    Annual {
        /// The financial year, 1 April to 31 March: 2024-25, 2024/25 or 2024-2025.
        #[arg(value_parser = parse_year)]
        year: FinancialYear,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// The quarterly monitoring pack (internal by default): the quarter beside the one before
    /// and the same quarter a year earlier, open cases at quarter end, and learning.
    Quarterly {
        /// The quarter: 2025-26 Q1 (April to June) … Q4 (January to March); also 2025-26-Q1.
        #[arg(num_args = 1..=2, required = true, value_name = "QUARTER")]
        quarter: Vec<String>,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// The staff learning bulletin for a quarter (for internal circulation by default):
    /// compliments quoted, learning points, actions completed, training.
    Bulletin {
        /// The quarter: 2025-26 Q1 (April to June) … Q4 (January to March); also 2025-26-Q1.
        #[arg(num_args = 1..=2, required = true, value_name = "QUARTER")]
        quarter: Vec<String>,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// A report for any span of days, compared with the same span a year earlier.
    Period {
        /// The first day, YYYY-MM-DD.
        #[arg(value_parser = parse_date)]
        start: chrono::NaiveDate,
        /// The last day, YYYY-MM-DD (included).
        #[arg(value_parser = parse_date)]
        end: chrono::NaiveDate,
        #[command(flatten)]
        document: DocumentArgs,
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

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: write it as YYYY-MM-DD, such as 2025-06-30"))
}

fn parse_quarter(words: &[String]) -> report::Result<Period> {
    let period = Period::parse(words).map_err(report::Error::Usage)?;
    match period.kind {
        report::period::Kind::Quarter(..) => Ok(period),
        _ => Err(report::Error::Usage(format!(
            "'{}' is not a quarter: write it as 2025-26 Q1 (April to June) … Q4 (January to March)",
            words.join(" ")
        ))),
    }
}

/// The command as typed, with the program's name rather than its path and each path cut to its
/// last part: the report is published, and a folder such as `/home/jsmith/Complaints` names a
/// person and their machine.
fn command_line() -> String {
    provenance_command(std::env::args().skip(1))
}

const PATH_FLAGS: [&str; 5] = ["--data", "--out", "--narrative", "--templates", "--config"];

fn provenance_command(args: impl Iterator<Item = String>) -> String {
    let quote = |arg: String| {
        if arg.is_empty() || arg.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            format!("'{}'", arg.replace('\'', "'\\''"))
        } else {
            arg
        }
    };
    let last_part = |path: &str| {
        let trimmed = path.trim_end_matches(['/', '\\']);
        let cut = trimmed.rsplit(['/', '\\']).next().unwrap_or(trimmed);
        if cut.is_empty() {
            path.to_string()
        } else {
            cut.to_string()
        }
    };
    let mut words = vec!["report".to_string()];
    let mut path_follows = false;
    for arg in args {
        let word = if path_follows {
            last_part(&arg)
        } else if let Some((flag, value)) =
            arg.split_once('=').filter(|(f, _)| PATH_FLAGS.contains(f))
        {
            format!("{flag}={}", last_part(value))
        } else {
            arg.clone()
        };
        path_follows = PATH_FLAGS.contains(&arg.as_str());
        words.push(quote(word));
    }
    words.join(" ")
}

fn run(cli: Cli) -> report::Result<Outcome> {
    let config = || Config::discover(cli.config.as_deref());
    let document = |spec: &'static DocumentSpec,
                    period: Period,
                    args: DocumentArgs|
     -> report::Result<Outcome> {
        commands::document::run(&commands::document::DocumentOptions {
            spec,
            period,
            data_dir: args.data,
            out_dir: args.out,
            formats: args.format,
            narrative: args.narrative,
            templates_dir: args.templates,
            skip_invalid: args.skip_invalid,
            audience: args.audience,
            as_at: args.as_at,
            provisional: args.provisional,
            config: config()?,
            command: command_line(),
        })
    };
    match cli.command {
        Command::Annual {
            year,
            document: args,
        } => document(&documents::ANNUAL, year.period(), args),
        Command::Quarterly {
            quarter,
            document: args,
        } => document(&documents::QUARTERLY, parse_quarter(&quarter)?, args),
        Command::Bulletin {
            quarter,
            document: args,
        } => document(&documents::BULLETIN, parse_quarter(&quarter)?, args),
        Command::Period {
            start,
            end,
            document: args,
        } => {
            let words = [start.to_string(), end.to_string()];
            let period = Period::parse(&words).map_err(report::Error::Usage)?;
            document(&documents::PERIOD, period, args)
        }
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
    ["annual", "quarterly", "bulletin", "period"]
        .into_iter()
        .fold(Cli::command(), |cli, name| {
            cli.mut_subcommand(name, |sub| {
                sub.mut_arg("format", |arg| arg.help(Format::help()))
            })
        })
}

fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn main() -> ExitCode {
    let cli = parse();
    report::memory::on_return_freed(collect_freed_memory);
    if cli.low_memory {
        return_freed_memory_at_once();
    } else if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        keep_freed_memory_for(DEFAULT_PURGE_DELAY_MS);
    }
    match run(cli) {
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

#[cfg(test)]
mod tests {
    use super::{
        DEFAULT_PURGE_DELAY_MS, PURGE_DELAY, keep_freed_memory_for, provenance_command,
        return_freed_memory_at_once,
    };

    /// The option set is the purge delay: the only one of mimalloc 3's options whose default is
    /// 1000 (milliseconds), unless the environment set it. The binary's default sets it to 2,
    /// `--low-memory` to 0. (One test, since the option is the process's.)
    #[test]
    fn the_purge_delay_is_2_ms_by_default_and_nothing_with_low_memory() {
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        keep_freed_memory_for(DEFAULT_PURGE_DELAY_MS);
        assert_eq!(get(), 2);
        return_freed_memory_at_once();
        assert_eq!(get(), 0);
    }

    #[test]
    fn the_published_command_names_no_folder_beyond_the_last() {
        let args = [
            "annual",
            "2024-25",
            "--data",
            "/home/jsmith/Complaints exports/",
            "--out=/tmp/x/out",
            "--narrative",
            "C:\\Users\\jsmith\\narrative.md",
            "--format",
            "md",
        ];
        assert_eq!(
            provenance_command(args.iter().map(|a| a.to_string())),
            "report annual 2024-25 --data 'Complaints exports' --out=out --narrative narrative.md --format md"
        );
    }
}
