//! The command line: one file per subcommand.

pub mod bench_corpus;
pub mod check;
pub mod concepts;
pub mod export;
pub mod info;
pub mod inputs;
pub mod load;
pub mod query;
pub mod tables;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub const DEFAULT_DB: &str = "edgarfacts.duckdb";

#[derive(Parser, Debug)]
#[command(
    name = "edgarfacts",
    version,
    about = "Turn legacy SEC EDGAR text filings (10-K, 10-Q, 1993-2008) into an SQL warehouse of exact facts",
    long_about = "edgarfacts reads pre-XBRL EDGAR text filings, finds every table, reads every cell, and stores \
long-format facts (entity, concept, period, value) in DuckDB, with provenance down to the source line.\n\n\
Typical session:\n  edgarfacts load filings/ --db warehouse.duckdb\n  edgarfacts query \"SELECT concept, period_end, value FROM v_facts WHERE statement = 'balance' LIMIT 10\" --db warehouse.duckdb\n  edgarfacts export --db warehouse.duckdb --to facts.csv\n  edgarfacts tables filing.txt --table 3\n\n\
Exit codes: 0 ok, 1 some inputs failed (see load_errors), 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Load(load::Args),
    Query(query::Args),
    Export(export::Args),
    Tables(tables::Args),
    Concepts(concepts::Args),
    Check(check::Args),
    Info(info::Args),
    /// Write a deterministic benchmark corpus (for `make bench`)
    BenchCorpus(bench_corpus::Args),
}

/// The warehouse a command works on: --db, else $EDGARFACTS_DB, else edgarfacts.duckdb.
#[derive(clap::Args, Debug, Clone)]
pub struct DbArg {
    /// Warehouse file (DuckDB). Default: $EDGARFACTS_DB or edgarfacts.duckdb
    #[arg(long, env = "EDGARFACTS_DB", default_value = DEFAULT_DB)]
    pub db: PathBuf,
}

/// Run a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Load(a) => load::run(a),
        Command::Query(a) => query::run(a),
        Command::Export(a) => export::run(a),
        Command::Tables(a) => tables::run(a),
        Command::Concepts(a) => concepts::run(a),
        Command::Check(a) => check::run(a),
        Command::Info(a) => info::run(a),
        Command::BenchCorpus(a) => bench_corpus::run(a),
    }
}
