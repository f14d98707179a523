//! Stage 7: results out of the warehouse (query printing and the exports).
//!
//! One file per export format: [`csv_out`], [`parquet`], [`xlsx`], [`sqlite`], [`fsds`].
//! [`run`] picks the exporter for an [`Request`]; `cmd/export.rs` only parses arguments.
//! Every name and path that reaches SQL goes through `quote_ident` / `quote_literal`.

pub mod csv_out;
pub mod fsds;
pub mod parquet;
pub mod sqlite;
pub mod xlsx;

use crate::store::quote_ident;
use chrono::{DateTime, NaiveDate};
use duckdb::arrow::datatypes::DataType;
use duckdb::types::{TimeUnit, Value};
use duckdb::Connection;
use std::path::{Path, PathBuf};

/// A value as plain text for CSV/terminal: exact decimals without exponent or grouping,
/// ISO dates, empty for NULL.
pub fn format_value(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Boolean(b) => b.to_string(),
        Value::TinyInt(i) => i.to_string(),
        Value::SmallInt(i) => i.to_string(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(i) => i.to_string(),
        Value::HugeInt(i) => i.to_string(),
        Value::UTinyInt(i) => i.to_string(),
        Value::USmallInt(i) => i.to_string(),
        Value::UInt(i) => i.to_string(),
        Value::UBigInt(i) => i.to_string(),
        Value::UHugeInt(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Double(f) => f.to_string(),
        Value::Decimal(d) => decimal_text(d.value(), d.scale()),
        Value::Text(s) | Value::Enum(s) => s.clone(),
        Value::Date32(days) => date_from_days(*days)?.to_string(),
        Value::Timestamp(unit, v) => {
            let micros = match unit {
                TimeUnit::Second => v * 1_000_000,
                TimeUnit::Millisecond => v * 1000,
                TimeUnit::Microsecond => *v,
                TimeUnit::Nanosecond => v / 1000,
            };
            DateTime::from_timestamp_micros(micros).map(|d| d.naive_utc().to_string()).unwrap_or_default()
        }
        Value::Blob(b) => format!("<{} bytes>", b.len()),
        other => format!("{other:?}"),
    })
}

/// The exact text of a scaled decimal (mantissa × 10^-scale), without trailing zeros,
/// exponent or grouping: 25873480, -0.39, 0. Works for every DECIMAL(38,s).
pub fn decimal_text(mantissa: i128, scale: u8) -> String {
    let neg = mantissa < 0;
    let digits = mantissa.unsigned_abs().to_string();
    let scale = scale as usize;
    let (int, frac) = if scale == 0 {
        (digits, String::new())
    } else if digits.len() > scale {
        (digits[..digits.len() - scale].to_string(), digits[digits.len() - scale..].to_string())
    } else {
        ("0".to_string(), format!("{}{}", "0".repeat(scale - digits.len()), digits))
    };
    let frac = frac.trim_end_matches('0');
    let body = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    if neg && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

/// Days since 1970-01-01 (DuckDB DATE) as a calendar date.
pub fn date_from_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(days as i64))
}

/// Column names and formatted rows of a query.
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    /// Per column: values are numbers (right-aligned on a terminal, unquoted in JSON).
    pub numeric: Vec<bool>,
}

impl ResultSet {
    /// One JSON object per row; exact decimals stay numbers with all their digits.
    pub fn json_rows(&self) -> Vec<serde_json::Value> {
        self.rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (i, v) in r.iter().enumerate() {
                    let jv = match v {
                        None => serde_json::Value::Null,
                        Some(s) if self.numeric[i] => serde_json::from_str(s).unwrap_or(serde_json::Value::String(s.clone())),
                        Some(s) => serde_json::Value::String(s.clone()),
                    };
                    m.insert(self.columns[i].clone(), jv);
                }
                serde_json::Value::Object(m)
            })
            .collect()
    }
}

pub(crate) fn is_numeric(v: &Value) -> bool {
    matches!(
        v,
        Value::TinyInt(_)
            | Value::SmallInt(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::HugeInt(_)
            | Value::UTinyInt(_)
            | Value::USmallInt(_)
            | Value::UInt(_)
            | Value::UBigInt(_)
            | Value::UHugeInt(_)
            | Value::Float(_)
            | Value::Double(_)
            | Value::Decimal(_)
    )
}

pub fn query(conn: &Connection, sql: &str) -> duckdb::Result<ResultSet> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut out_rows = Vec::new();
    let mut numeric: Vec<bool> = Vec::new();
    let columns: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let null_typed: Vec<bool> = match rows.as_ref() {
        Some(s) => (0..columns.len()).map(|i| s.column_type(i) == DataType::Null).collect(),
        None => Vec::new(),
    };
    numeric.resize(columns.len(), true);
    let mut seen = vec![false; columns.len()];
    while let Some(r) = rows.next()? {
        let mut vals = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            // the duckdb crate cannot read a value of type NULL (SELECT NULL AS x)
            let v: Value = if null_typed[i] { Value::Null } else { r.get(i)? };
            if !matches!(v, Value::Null) {
                seen[i] = true;
                numeric[i] &= is_numeric(&v);
            }
            vals.push(format_value(&v));
        }
        out_rows.push(vals);
    }
    for (n, s) in numeric.iter_mut().zip(seen) {
        *n &= s;
    }
    Ok(ResultSet { columns, rows: out_rows, numeric })
}

/// A result column: its name and DuckDB's (Arrow) type, known before the first row.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: DataType,
}

impl Column {
    /// DECIMAL(p,s): its scale.
    pub fn decimal_scale(&self) -> Option<u8> {
        match self.ty {
            DataType::Decimal128(_, s) | DataType::Decimal256(_, s) => Some(s.max(0) as u8),
            _ => None,
        }
    }
}

/// What [`for_each_row`] hands over: the columns (once, also for an empty result), then each row.
pub enum Event<'a> {
    Columns(&'a [Column]),
    Row(&'a [Value]),
}

/// Run a query and hand its columns and then each row to `f`, without holding the result
/// in memory. Returns the row count.
pub fn for_each_row(conn: &Connection, sql: &str, mut f: impl FnMut(Event) -> anyhow::Result<()>) -> anyhow::Result<u64> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let columns: Vec<Column> = match rows.as_ref() {
        Some(s) => s.column_names().into_iter().enumerate().map(|(i, name)| Column { name, ty: s.column_type(i) }).collect(),
        None => Vec::new(),
    };
    f(Event::Columns(&columns))?;
    let mut n = 0u64;
    let mut vals: Vec<Value> = Vec::with_capacity(columns.len());
    while let Some(r) = rows.next()? {
        vals.clear();
        for (i, c) in columns.iter().enumerate() {
            // the duckdb crate cannot read a value of type NULL (SELECT NULL AS x)
            vals.push(if c.ty == DataType::Null { Value::Null } else { r.get(i)? });
        }
        f(Event::Row(&vals))?;
        n += 1;
    }
    Ok(n)
}

/// The column names of a query, from DuckDB's binder (DESCRIBE: nothing is computed).
pub fn column_names(conn: &Connection, sql: &str) -> anyhow::Result<Vec<String>> {
    let mut st = conn.prepare(&format!("DESCRIBE SELECT * FROM ({}) AS q", trim_sql(sql)))?;
    let names = st.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// SQL without trailing semicolons and blanks, so it can be nested in a subquery.
pub fn trim_sql(sql: &str) -> &str {
    sql.trim().trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}

/// Is there a table or view of this name in the warehouse (main schema)?
pub fn relation_exists(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM (SELECT view_name AS n FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' \
         UNION ALL SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main') WHERE n = ?",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
    .unwrap_or(false)
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180 CSV (.csv)
    Csv,
    /// Apache Parquet through DuckDB's COPY (.parquet, .pq)
    Parquet,
    /// Excel workbook: statements, facts, checks (.xlsx)
    Xlsx,
    /// SQLite database: tables and views (.sqlite, .sqlite3, .db)
    Sqlite,
    /// SEC Financial Statement Data Sets layout: a folder with sub/num/tag/pre.txt
    Fsds,
}

impl Format {
    /// The format a path asks for: its extension, or a folder (existing, or written with a
    /// trailing slash) for the FSDS layout. None when it can't tell.
    pub fn from_path(path: &Path) -> Option<Format> {
        let s = path.to_string_lossy();
        if s.ends_with('/') || s.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir() {
            return Some(Format::Fsds);
        }
        match path.extension()?.to_string_lossy().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "xlsx" => Some(Format::Xlsx),
            "sqlite" | "sqlite3" | "db" => Some(Format::Sqlite),
            _ => None,
        }
    }
}

/// What to export: the default (v_facts; for SQLite the whole warehouse), a view or table, or a query.
#[derive(Clone, Debug)]
pub enum Source {
    Default,
    View(String),
    Query(String),
}

impl Source {
    pub fn sql(&self) -> String {
        match self {
            Source::Default => "SELECT * FROM v_facts ORDER BY filing_id, fact_id".to_string(),
            Source::View(v) => format!("SELECT * FROM {}", quote_ident(v)),
            Source::Query(q) => trim_sql(q).to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    pub format: Format,
    pub source: Source,
    pub to: PathBuf,
    /// Parquet only: Hive partition columns (fiscal_year is derived from period_end when the
    /// result has no such column).
    pub partition_by: Vec<String>,
}

/// What an export wrote, for the one-line summary.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rows: u64,
    pub summary: String,
    pub notes: Vec<String>,
}

/// An error in what the user asked for (exit code 2), not in the warehouse or the disk.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Run one export.
pub fn run(conn: &Connection, req: &Request) -> anyhow::Result<Outcome> {
    if !req.partition_by.is_empty() && req.format != Format::Parquet {
        return Err(usage("--partition-by applies to Parquet exports only"));
    }
    if let Source::View(v) = &req.source {
        if !relation_exists(conn, v) {
            return Err(usage(format!("no view or table named {v:?} in the warehouse")));
        }
    }
    let sql = req.source.sql();
    match req.format {
        Format::Csv => {
            let rows = write_atomically(&req.to, |tmp| {
                let file = std::fs::File::create(tmp)?;
                csv_out::write_query(conn, &sql, std::io::BufWriter::new(file))
            })?;
            Ok(Outcome { rows, summary: format!("wrote {rows} rows to {}", req.to.display()), notes: vec![] })
        }
        Format::Parquet => parquet::write(conn, &sql, &req.to, &req.partition_by),
        Format::Xlsx => xlsx::write(conn, &sql, &req.to),
        Format::Sqlite => match &req.source {
            Source::Default => sqlite::write_warehouse(conn, &req.to),
            Source::View(v) => sqlite::write_result(conn, &sql, v, &req.to),
            Source::Query(_) => sqlite::write_result(conn, &sql, "query_result", &req.to),
        },
        Format::Fsds => fsds::write(conn, Some(&sql), &req.to),
    }
}

/// Write a file under a temporary name beside it and rename it into place on success, so
/// a failed export never leaves a half-written file (nor clobbers an earlier good one).
pub fn write_atomically<T>(path: &Path, f: impl FnOnce(&Path) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let name = path.file_name().ok_or_else(|| usage(format!("{}: not a file name", path.display())))?;
    let tmp = path.with_file_name(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    match f(&tmp) {
        Ok(v) => {
            std::fs::rename(&tmp, path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e.context(path.display().to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text_is_exact_and_plain() {
        assert_eq!(decimal_text(25873480000000, 6), "25873480");
        assert_eq!(decimal_text(-390000, 6), "-0.39");
        assert_eq!(decimal_text(0, 6), "0");
        assert_eq!(decimal_text(5, 6), "0.000005");
        assert_eq!(decimal_text(-5, 0), "-5");
        assert_eq!(decimal_text(i128::MAX / 1000, 6).len(), 37);
    }

    #[test]
    fn format_from_path() {
        assert_eq!(Format::from_path(Path::new("a b.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("x.parquet")), Some(Format::Parquet));
        assert_eq!(Format::from_path(Path::new("x.xlsx")), Some(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("x.db")), Some(Format::Sqlite));
        assert_eq!(Format::from_path(Path::new("fsds/")), Some(Format::Fsds));
        assert_eq!(Format::from_path(Path::new("facts")), None);
        assert_eq!(Format::from_path(Path::new("facts.txt")), None);
    }

    #[test]
    fn trims_trailing_semicolons() {
        assert_eq!(trim_sql(" SELECT 1 ;\n; "), "SELECT 1");
    }
}
