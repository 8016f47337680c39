//! The `report` command line: parse arguments, call the library, print errors.

use std::error::Error as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use report::calendar::Calendar;
use report::commands::{self, Outcome};
use report::load::Mapping;

/// Statutory reports on complaints, representations and compliments about children's social
/// care, from your case-management system's CSV exports.
#[derive(Parser)]
#[command(name = "report", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a data folder: list every problem as file:line: column: problem, and say what was read.
    Check {
        /// The folder holding representations.csv and the optional compliments.csv, actions.csv
        /// and context.csv.
        #[arg(long, default_value = "data", value_name = "DIR")]
        data: PathBuf,
    },
}

fn run(cli: Cli) -> report::Result<Outcome> {
    match cli.command {
        Command::Check { data } => commands::check::run(&commands::check::CheckOptions {
            data_dir: data,
            mapping: Mapping::default(),
            calendar: Calendar::england_and_wales().clone(),
        }),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
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
