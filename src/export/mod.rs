//! Stage 7: results out of the warehouse (query printing, CSV and other exports).

pub mod csv_out;

use chrono::{DateTime, NaiveDate};
use duckdb::types::{TimeUnit, Value};
use duckdb::Connection;

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
        Value::Decimal(d) => match rust_decimal::Decimal::try_from(*d) {
            Ok(x) => x.normalize().to_string(),
            Err(_) => d.to_string(),
        },
        Value::Text(s) | Value::Enum(s) => s.clone(),
        Value::Date32(days) => (NaiveDate::from_ymd_opt(1970, 1, 1)? + chrono::Duration::days(*days as i64)).to_string(),
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

/// Column names and formatted rows of a query.
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    /// Per column: values are numbers (right-aligned on a terminal, unquoted in JSON).
    pub numeric: Vec<bool>,
}

pub fn query(conn: &Connection, sql: &str) -> duckdb::Result<ResultSet> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut out_rows = Vec::new();
    let mut numeric: Vec<bool> = Vec::new();
    let columns: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    numeric.resize(columns.len(), true);
    let mut seen = vec![false; columns.len()];
    while let Some(r) = rows.next()? {
        let mut vals = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let v: Value = r.get(i)?;
            let is_num = matches!(
                v,
                Value::TinyInt(_) | Value::SmallInt(_) | Value::Int(_) | Value::BigInt(_) | Value::HugeInt(_) | Value::UTinyInt(_)
                    | Value::USmallInt(_) | Value::UInt(_) | Value::UBigInt(_) | Value::UHugeInt(_) | Value::Float(_) | Value::Double(_)
                    | Value::Decimal(_)
            );
            if !matches!(v, Value::Null) {
                seen[i] = true;
                numeric[i] &= is_num;
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
