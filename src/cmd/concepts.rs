//! `edgarfacts concepts`: how printed labels were mapped to concepts, with counts.

use super::DbArg;
use crate::export::{self};
use crate::store::Warehouse;

/// List how row labels were mapped to concepts (and which were not), with counts.
///
/// Examples:
///   edgarfacts concepts                 # every label -> concept, most frequent first
///   edgarfacts concepts --unmapped      # labels that only got an extension name (ext:...)
///   edgarfacts concepts --statement balance --format csv > balance_labels.csv
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Only labels that no rule mapped (concept_source = label)
    #[arg(long)]
    pub unmapped: bool,
    /// Only one statement kind (balance, income, comprehensive, equity, cash_flow, other)
    #[arg(long)]
    pub statement: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: super::query::Format,
    /// At most this many rows
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let wh = Warehouse::open_existing(&a.db.db)?;
    let mut filters = vec!["source = 'table'".to_string()];
    if a.unmapped {
        filters.push("concept_source = 'label'".into());
    }
    if let Some(s) = &a.statement {
        filters.push(format!("statement = {}", crate::store::quote_literal(s)));
    }
    let sql = format!(
        "SELECT statement, section, row_label, concept, concept_source, count(*) AS facts, count(DISTINCT filing_id) AS filings \
         FROM facts WHERE {} GROUP BY ALL ORDER BY facts DESC, row_label LIMIT {}",
        filters.join(" AND "),
        a.limit
    );
    let rs = export::query(wh.conn(), &sql).map_err(|e| anyhow::anyhow!("concepts query failed: {e}"))?;
    super::query::print(&rs, a.format)?;
    let totals = export::query(
        wh.conn(),
        "SELECT concept_source, count(*) AS facts FROM facts WHERE source = 'table' GROUP BY ALL ORDER BY concept_source",
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let summary: Vec<String> = totals.rows.iter().map(|r| format!("{}: {}", r[0].clone().unwrap_or_default(), r[1].clone().unwrap_or_default())).collect();
    eprintln!("facts by concept source: {}", summary.join(", "));
    Ok(0)
}
