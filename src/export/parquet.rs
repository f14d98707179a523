//! Parquet through DuckDB's `COPY ... TO ... (FORMAT parquet)`: the warehouse's types are
//! kept (values DECIMAL(38,6), dates DATE, integers INTEGER), so pandas, Polars, Spark,
//! Trino, Athena and DuckDB read exact decimals, not doubles.
//!
//! With `partition_by` the output is a Hive-partitioned folder (`entity_id=.../fiscal_year=.../*.parquet`,
//! values URL-escaped, NULL as `__HIVE_DEFAULT_PARTITION__`). `fiscal_year` is derived as
//! `year(period_end)` when the exported result has no such column, the same rule as
//! `load --out-parquet`, so both layouts can be read as one data set.

use super::{column_names, trim_sql, usage, write_atomically, Outcome};
use crate::store::{quote_ident, quote_literal};
use duckdb::Connection;
use std::path::Path;

pub fn write(conn: &Connection, sql: &str, to: &Path, partition_by: &[String]) -> anyhow::Result<Outcome> {
    let to_text = to.to_str().ok_or_else(|| usage(format!("{}: the path is not valid UTF-8", to.display())))?;
    if partition_by.is_empty() {
        let rows = write_atomically(to, |tmp| {
            let tmp = tmp.to_str().expect("UTF-8 path");
            let copy = format!("COPY ({}) TO {} (FORMAT parquet)", trim_sql(sql), quote_literal(tmp));
            Ok(conn.execute(&copy, [])? as u64)
        })?;
        return Ok(Outcome { rows, summary: format!("wrote {rows} rows to {}", to.display()), notes: vec![] });
    }

    let cols = column_names(conn, sql)?;
    let has = |n: &str| cols.iter().any(|c| c == n);
    let mut select = trim_sql(sql).to_string();
    for p in partition_by {
        if has(p) {
            continue;
        }
        if p == "fiscal_year" && has("period_end") {
            select = format!("SELECT *, CAST(year(period_end) AS INTEGER) AS fiscal_year FROM ({select}) AS q");
        } else {
            return Err(usage(format!("--partition-by {p}: the exported result has no column {p:?} (columns: {})", cols.join(", "))));
        }
    }
    if to.exists() && std::fs::read_dir(to).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(usage(format!(
            "{}: exists and is not an empty folder; a partitioned export writes a new folder (remove it or choose another path)",
            to.display()
        )));
    }
    let parts: Vec<String> = partition_by.iter().map(|p| quote_ident(p)).collect();
    let copy = format!("COPY ({select}) TO {} (FORMAT parquet, PARTITION_BY ({}))", quote_literal(to_text), parts.join(", "));
    let rows = conn.execute(&copy, []).map_err(|e| anyhow::anyhow!("{}: writing Parquet: {e}", to.display()))? as u64;
    let files = count_files(to);
    Ok(Outcome {
        rows,
        summary: format!(
            "wrote {rows} rows to {} ({files} Parquet files, Hive layout by {})",
            to.display(),
            partition_by.join(", ")
        ),
        notes: vec![],
    })
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                n += count_files(&p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                n += 1;
            }
        }
    }
    n
}
