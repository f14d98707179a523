//! `edgarfacts export`: write a view, a query or the whole warehouse to CSV, Parquet, Excel,
//! SQLite or the SEC's Financial Statement Data Sets layout. The work is in `crate::export`.

use super::DbArg;
use crate::export::{self, Format, Request, Source, UsageError};
use crate::store::Warehouse;
use std::path::PathBuf;

/// Export facts (or any view or query) to CSV, Parquet, Excel, SQLite or the SEC's FSDS layout.
///
/// The format follows the extension of --to (.csv, .parquet, .xlsx, .sqlite/.db; a folder,
/// existing or written with a trailing slash, for fsds) unless --format says otherwise.
/// Without --view/--query the facts (v_facts) are exported; a SQLite export then holds the
/// whole warehouse (every table, and the views SQLite can run).
///
/// Examples:
///   edgarfacts export --to facts.csv
///   edgarfacts export --to balance.csv --query "SELECT * FROM v_facts WHERE statement = 'balance'"
///   edgarfacts export --to filings.csv --view filings
///   edgarfacts export --to facts.parquet
///   edgarfacts export --to corpus_parquet --format parquet --partition-by entity_id,fiscal_year
///   edgarfacts export --to statements.xlsx
///   edgarfacts export --to warehouse.sqlite
///   edgarfacts export --to fsds/ --format fsds
///
/// Parquet keeps DECIMAL(38,6) values and DATE dates; the .xlsx has one sheet per statement
/// and entity, a facts sheet and a checks sheet; SQLite stores decimals as exact TEXT plus an
/// INTEGER copy scaled by 10^6 (value_e6); fsds writes sub.txt, num.txt, tag.txt and pre.txt.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output file (or folder for fsds and partitioned Parquet)
    #[arg(long)]
    pub to: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    /// View or table to export (default v_facts)
    #[arg(long, conflicts_with = "query")]
    pub view: Option<String>,
    /// SQL query to export instead of a view
    #[arg(long)]
    pub query: Option<String>,
    /// Output format (default: from the extension of --to)
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Parquet: write a Hive-partitioned folder by these columns, e.g. entity_id,fiscal_year
    /// (fiscal_year is year(period_end) when the result has no such column)
    #[arg(long, value_delimiter = ',')]
    pub partition_by: Vec<String>,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let partition_by: Vec<String> = a.partition_by.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let implied = if partition_by.is_empty() { Format::from_path(&a.to) } else { Some(Format::Parquet) };
    let format = match a.format.or(implied) {
        Some(f) => f,
        None => {
            eprintln!(
                "error: {}: cannot tell the format from the name; use .csv, .parquet, .xlsx, .sqlite or .db, \
                 a folder/ for fsds, or --format csv|parquet|xlsx|sqlite|fsds",
                a.to.display()
            );
            return Ok(2);
        }
    };
    let source = match (&a.query, &a.view) {
        (Some(q), _) => Source::Query(q.clone()),
        (None, Some(v)) => Source::View(v.clone()),
        (None, None) => Source::Default,
    };
    let wh = Warehouse::open_existing(&a.db.db)?;
    let req = Request { format, source, to: a.to.clone(), partition_by };
    match export::run(wh.conn(), &req) {
        Ok(outcome) => {
            eprintln!("{}", outcome.summary);
            for n in &outcome.notes {
                eprintln!("  note: {n}");
            }
            Ok(0)
        }
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("error: {e:#}");
            Ok(2)
        }
        Err(e) => Err(e.context(format!("export to {}", a.to.display()))),
    }
}
