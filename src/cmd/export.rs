//! `edgarfacts export`: write a view or a query to a file.

use super::DbArg;
use crate::export;
use crate::store::{quote_ident, Warehouse};
use std::path::PathBuf;

/// Export facts (or any view or query) to a file.
///
/// Examples:
///   edgarfacts export --to facts.csv
///   edgarfacts export --to balance.csv --query "SELECT * FROM v_facts WHERE statement = 'balance'"
///   edgarfacts export --to filings.csv --view filings
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output file; the format follows the extension (.csv)
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
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let wh = Warehouse::open_existing(&a.db.db)?;
    let sql = match (&a.query, &a.view) {
        (Some(q), _) => q.clone(),
        (None, Some(v)) => format!("SELECT * FROM {}", quote_ident(v)),
        (None, None) => "SELECT * FROM v_facts ORDER BY filing_id, fact_id".to_string(),
    };
    let ext = a.to.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if ext != "csv" && !ext.is_empty() {
        anyhow::bail!("{}: unsupported export format '.{ext}' (supported: .csv)", a.to.display());
    }
    let rs = export::query(wh.conn(), &sql).map_err(|e| anyhow::anyhow!("export query failed: {e}"))?;
    let file = std::fs::File::create(&a.to).map_err(|e| anyhow::anyhow!("{}: {e}", a.to.display()))?;
    export::csv_out::write(&rs, std::io::BufWriter::new(file))?;
    eprintln!("wrote {} rows to {}", rs.rows.len(), a.to.display());
    Ok(0)
}
