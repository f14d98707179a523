//! `edgarfacts check`: accounting checks of the warehouse (see sql/views.sql, v_checks).

use super::query::Format;
use super::DbArg;
use crate::export;
use crate::store::{quote_literal, Warehouse};

/// Run the accounting checks (v_checks) and print the failures: subtotals against their components,
/// assets = liabilities + equity, cash-flow sections against the net change, cash roll-forward and
/// tie to the balance sheet, net income across statements, equity roll-forward, and the same line
/// printed twice in one filing with different values.
///
/// For each failing check: the statement, file and line of the printed figure, the printed value,
/// the value its components (or the other statement) imply, and the difference. Exit code 1 when an
/// error-level check fails, 0 otherwise (warnings, such as a balance sheet without current totals or
/// a subtotal whose components are partly blank, do not fail the run).
///
/// Examples:
///   edgarfacts check --db warehouse.duckdb
///   edgarfacts check --filing 002_ca836c439cf71e0b.txt
///   edgarfacts check --all --format csv > checks.csv
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Only this filing (filing id, accession number or source file name)
    #[arg(long)]
    pub filing: Option<String>,
    /// Print passing checks too
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,
}

/// The WHERE clause that selects the checks of the requested filing(s).
fn filing_filter(filing: Option<&str>) -> String {
    match filing {
        None => "TRUE".to_string(),
        Some(f) => {
            let q = quote_literal(f);
            format!(
                "filing_id IN (SELECT filing_id FROM filings WHERE filing_id = {q} OR accession_number = {q} OR source_file = {q})"
            )
        }
    }
}

/// The listing query: one row per check, failures first, in file and line order.
pub fn listing_sql(filing: Option<&str>, all: bool) -> String {
    let mut filter = filing_filter(filing);
    if !all {
        filter.push_str(" AND status = 'fail'");
    }
    format!(
        "SELECT check_name AS \"check\", level, status, source_file AS file, line, statement, \
                coalesce(nullif(row_label, ''), 'unlabeled total, ' || table_title) AS line_item, \
                CASE WHEN period_type = 'duration' THEN CAST(period_start AS VARCHAR) || '..' || CAST(period_end AS VARCHAR) \
                     ELSE CAST(period_end AS VARCHAR) END AS period, \
                actual AS printed, expected AS implied, difference, \
                CASE WHEN rel_error IS NOT NULL THEN CAST(CAST(rel_error * 100 AS DECIMAL(18,2)) AS VARCHAR) || '%' END AS rel_error, \
                category, basis, details \
         FROM v_checks WHERE {filter} \
         ORDER BY status, source_file, line, check_name, period_end, column_index"
    )
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let wh = Warehouse::open_existing(&a.db.db)?;
    if let Some(f) = &a.filing {
        let q = quote_literal(f);
        let found = export::query(
            wh.conn(),
            &format!("SELECT count(*) FROM filings WHERE filing_id = {q} OR accession_number = {q} OR source_file = {q}"),
        )
        .map_err(|e| anyhow::anyhow!("check failed: {e}"))?;
        if found.rows.first().and_then(|r| r[0].as_deref()) == Some("0") {
            anyhow::bail!("no filing {f:?} in {} (give a filing id, accession number or source file name)", a.db.db.display());
        }
    }
    let rs = export::query(wh.conn(), &listing_sql(a.filing.as_deref(), a.all)).map_err(|e| anyhow::anyhow!("check failed: {e}"))?;
    let summary = export::query(
        wh.conn(),
        &format!(
            "SELECT count(*), count(DISTINCT filing_id), \
                    count(*) FILTER (WHERE status = 'fail' AND level = 'error'), \
                    count(*) FILTER (WHERE status = 'fail' AND level = 'warning') \
             FROM v_checks WHERE {}",
            filing_filter(a.filing.as_deref())
        ),
    )
    .map_err(|e| anyhow::anyhow!("check failed: {e}"))?;
    let n = |i: usize| -> u64 { summary.rows.first().and_then(|r| r[i].as_deref()).and_then(|s| s.parse().ok()).unwrap_or(0) };
    let (checks, filings, errors, warnings) = (n(0), n(1), n(2), n(3));
    if !rs.rows.is_empty() || !matches!(a.format, Format::Table) {
        super::query::print(&rs, a.format)?;
    }
    // EX-27 schedules that disagree with the tables of their filing (findings, not errors:
    // the schedule is as likely to be wrong as the table)
    let ex27 = export::query(
        wh.conn(),
        &format!(
            "SELECT source_file, ex27_line, tag, period_end, ex27_value, table_value, difference, table_line, table_label              FROM v_ex27_agreement WHERE category = 'different' AND {} ORDER BY source_file, ex27_line",
            filing_filter(a.filing.as_deref())
        ),
    )
    .map_err(|e| anyhow::anyhow!("check failed: {e}"))?;
    if !ex27.rows.is_empty() {
        eprintln!("\nEX-27 values that differ from the filing's tables ({}):", ex27.rows.len());
        super::query::print(&ex27, a.format)?;
    }
    eprintln!(
        "{checks} check{} on {filings} filing{}: {errors} error{} and {warnings} warning{} failed{}",
        if checks == 1 { "" } else { "s" },
        if filings == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if ex27.rows.is_empty() { String::new() } else { format!("; {} EX-27 value(s) differ from the tables", ex27.rows.len()) },
    );
    Ok(if errors > 0 { 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_quotes_the_filing() {
        let sql = listing_sql(Some("it's.txt"), false);
        assert!(sql.contains("source_file = 'it''s.txt'"), "{sql}");
        assert!(sql.contains("status = 'fail'"), "{sql}");
        assert!(!listing_sql(None, true).contains("status = 'fail'"));
    }
}
