//! `edgarfacts query`: run SQL against the warehouse and print the result.

use super::DbArg;
use crate::export::{self, ResultSet};
use crate::store::Warehouse;

/// Run SQL against the warehouse.
///
/// Examples:
///   edgarfacts query "SELECT entity_name, concept, period_end, value FROM v_facts WHERE concept = 'us-gaap:Assets'"
///   edgarfacts query "SELECT * FROM filings" --format csv > filings.csv
///   EDGARFACTS_DB=warehouse.duckdb edgarfacts query "SELECT count(*) FROM facts" --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The SQL to run (views: v_facts; tables: facts, filings, source_tables, cells ...)
    pub sql: String,
    #[command(flatten)]
    pub db: DbArg,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let wh = Warehouse::open_existing(&a.db.db)?;
    let rs = export::query(wh.conn(), &a.sql).map_err(|e| anyhow::anyhow!("query failed: {e}"))?;
    print(&rs, a.format)?;
    Ok(0)
}

/// Print a result set to stdout in the chosen format.
pub fn print(rs: &ResultSet, format: Format) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Csv => export::csv_out::write(rs, &mut out)?,
        Format::Json => print_json(rs, &mut out)?,
        Format::Markdown => print_markdown(rs, &mut out)?,
        Format::Table => print_table(rs, &mut out)?,
    }
    Ok(())
}

fn print_table(rs: &ResultSet, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let widths: Vec<usize> = (0..rs.columns.len())
        .map(|i| {
            let w = rs.rows.iter().map(|r| r[i].as_deref().unwrap_or("").chars().count()).max().unwrap_or(0);
            w.max(rs.columns[i].chars().count()).min(60)
        })
        .collect();
    let cell = |s: &str, w: usize, right: bool| {
        let s: String = if s.chars().count() > w { s.chars().take(w.saturating_sub(1)).collect::<String>() + "…" } else { s.to_string() };
        if right { format!("{s:>w$}") } else { format!("{s:<w$}") }
    };
    let header: Vec<String> = rs.columns.iter().zip(&widths).map(|(c, w)| cell(c, *w, false)).collect();
    writeln!(out, "{}", header.join("  ").trim_end())?;
    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "))?;
    for r in &rs.rows {
        let line: Vec<String> = r.iter().enumerate().map(|(i, v)| cell(v.as_deref().unwrap_or(""), widths[i], rs.numeric[i])).collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    writeln!(out, "({} row{})", rs.rows.len(), if rs.rows.len() == 1 { "" } else { "s" })
}

fn print_markdown(rs: &ResultSet, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|");
    writeln!(out, "| {} |", rs.columns.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | "))?;
    writeln!(out, "|{}|", rs.numeric.iter().map(|n| if *n { " ---: " } else { " --- " }).collect::<Vec<_>>().join("|"))?;
    for r in &rs.rows {
        writeln!(out, "| {} |", r.iter().map(|v| esc(v.as_deref().unwrap_or(""))).collect::<Vec<_>>().join(" | "))?;
    }
    Ok(())
}

fn print_json(rs: &ResultSet, out: &mut impl std::io::Write) -> anyhow::Result<()> {
    let rows = rs.json_rows();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)?;
    Ok(())
}
