//! SQLite (`.sqlite`, `.sqlite3`, `.db`) through `rusqlite`: every warehouse table, and each
//! view that SQLite can run with the same result, for tools that only speak SQLite.
//!
//! SQLite has no exact decimal type (a NUMERIC column would turn 0.39 into a double), so:
//! - a DECIMAL(p,s) column is stored as TEXT holding the exact decimal (`25873480`, `-0.39`),
//!   plus an INTEGER column `<name>_e<s>` = value × 10^s (`value_e6` for facts; NULL only
//!   beyond ±9.2 × 10^18 / 10^s). Sum or sort exactly with `value_e6`; `value` compares equal
//!   to numeric literals (`value = 0.39`) and `CAST(value AS REAL)` gives a double.
//! - DATE is TEXT `YYYY-MM-DD` (SQLite's date functions read it), TIMESTAMP is TEXT
//!   `YYYY-MM-DD HH:MM:SS[.ffffff]`, BOOLEAN is INTEGER 0/1.
//!
//! A view is copied as a view when SQLite accepts DuckDB's text of it and returns exactly
//! DuckDB's rows (compared value by value, as SQLite stores them); a view that SQLite cannot run (DuckDB-only syntax) becomes a table of its
//! rows under the same name, so the data and the views built on it are still there. Which is
//! which is in the table `_edgarfacts_export` (and on stderr).

use super::{decimal_text, format_value, usage, write_atomically, Column, Event, Outcome};
use crate::store::quote_ident;
use duckdb::arrow::datatypes::DataType;
use duckdb::types::Value;
use duckdb::Connection;
use rusqlite::types::Value as SqlValue;
use std::collections::HashMap;
use std::path::Path;

/// How one DuckDB column lands in SQLite.
struct Target {
    name: String,
    decl: &'static str,
    /// DECIMAL: also write the scaled integer copy, with this scale.
    scaled: Option<(String, u8)>,
}

fn targets(cols: &[Column]) -> Vec<Target> {
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    cols.iter()
        .map(|c| {
            let decl = match c.ty {
                DataType::Boolean
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64 => "INTEGER",
                DataType::Float16 | DataType::Float32 | DataType::Float64 => "REAL",
                _ => "TEXT",
            };
            let scaled = c.decimal_scale().filter(|s| *s > 0).map(|s| {
                let mut n = format!("{}_e{s}", c.name);
                while names.contains(&n.as_str()) {
                    n.push('_');
                }
                (n, s)
            });
            Target { name: c.name.clone(), decl, scaled }
        })
        .collect()
}

fn sql_value(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Boolean(b) => SqlValue::Integer(*b as i64),
        Value::TinyInt(i) => SqlValue::Integer(*i as i64),
        Value::SmallInt(i) => SqlValue::Integer(*i as i64),
        Value::Int(i) => SqlValue::Integer(*i as i64),
        Value::BigInt(i) => SqlValue::Integer(*i),
        Value::UTinyInt(i) => SqlValue::Integer(*i as i64),
        Value::USmallInt(i) => SqlValue::Integer(*i as i64),
        Value::UInt(i) => SqlValue::Integer(*i as i64),
        Value::UBigInt(i) => i64::try_from(*i).map(SqlValue::Integer).unwrap_or_else(|_| SqlValue::Text(i.to_string())),
        Value::HugeInt(i) => i64::try_from(*i).map(SqlValue::Integer).unwrap_or_else(|_| SqlValue::Text(i.to_string())),
        Value::Float(f) => SqlValue::Real(*f as f64),
        Value::Double(f) => SqlValue::Real(*f),
        Value::Decimal(d) => SqlValue::Text(decimal_text(d.value(), d.scale())),
        Value::Text(s) | Value::Enum(s) => SqlValue::Text(s.clone()),
        Value::Blob(b) => SqlValue::Blob(b.clone()),
        other => format_value(other).map(SqlValue::Text).unwrap_or(SqlValue::Null),
    }
}

/// value × 10^scale as an integer, exactly, or NULL when it does not fit.
fn scaled_value(v: &Value, scale: u8) -> SqlValue {
    let Value::Decimal(d) = v else { return SqlValue::Null };
    let m = if d.scale() <= scale {
        10i128.checked_pow((scale - d.scale()) as u32).and_then(|p| d.value().checked_mul(p))
    } else {
        let p = 10i128.pow((d.scale() - scale) as u32);
        (d.value() % p == 0).then(|| d.value() / p)
    };
    m.and_then(|m| i64::try_from(m).ok()).map(SqlValue::Integer).unwrap_or(SqlValue::Null)
}

/// Copy the rows of a DuckDB query into a new SQLite table (created from the result's
/// column types, in the same pass); returns the row count.
fn copy_table(duck: &Connection, db: &rusqlite::Connection, sql: &str, table: &str, primary_key: &[String]) -> anyhow::Result<u64> {
    let mut tg: Vec<Target> = Vec::new();
    let mut ins: Option<rusqlite::Statement> = None;
    let mut params: Vec<SqlValue> = Vec::new();
    super::for_each_row(duck, sql, |e| {
        match e {
            Event::Columns(cols) => {
                tg = targets(cols);
                let mut defs: Vec<String> = Vec::new();
                for t in &tg {
                    defs.push(format!("{} {}", quote_ident(&t.name), t.decl));
                    if let Some((n, _)) = &t.scaled {
                        defs.push(format!("{} INTEGER", quote_ident(n)));
                    }
                }
                let placeholders = vec!["?"; defs.len()].join(", ");
                if !primary_key.is_empty() {
                    defs.push(format!("PRIMARY KEY ({})", primary_key.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")));
                }
                db.execute_batch(&format!("CREATE TABLE {} (\n  {}\n);", quote_ident(table), defs.join(",\n  ")))?;
                ins = Some(db.prepare(&format!("INSERT INTO {} VALUES ({placeholders})", quote_ident(table)))?);
            }
            Event::Row(vals) => {
                params.clear();
                for (v, t) in vals.iter().zip(&tg) {
                    params.push(sql_value(v));
                    if let Some((_, s)) = &t.scaled {
                        params.push(scaled_value(v, *s));
                    }
                }
                ins.as_mut().expect("columns come first").execute(rusqlite::params_from_iter(params.iter()))?;
            }
        }
        Ok(())
    })
}

fn open(tmp: &Path) -> anyhow::Result<rusqlite::Connection> {
    let db = rusqlite::Connection::open(tmp)?;
    db.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; BEGIN;")?;
    Ok(db)
}

fn info_table(db: &rusqlite::Connection, entries: &[(&str, String)]) -> anyhow::Result<()> {
    db.execute_batch("CREATE TABLE _edgarfacts_export (key TEXT PRIMARY KEY, value TEXT);")?;
    let mut ins = db.prepare("INSERT INTO _edgarfacts_export VALUES (?, ?)")?;
    for (k, v) in entries {
        ins.execute(rusqlite::params![k, v])?;
    }
    Ok(())
}

fn common_info() -> Vec<(&'static str, String)> {
    vec![
        ("generator", format!("edgarfacts {}", env!("CARGO_PKG_VERSION"))),
        ("exported_at", now_utc()),
        (
            "decimals",
            "DECIMAL columns are TEXT with the exact decimal, plus INTEGER <column>_e<scale> = value * 10^scale".to_string(),
        ),
        ("dates", "DATE is TEXT YYYY-MM-DD; TIMESTAMP is TEXT; BOOLEAN is INTEGER 0/1".to_string()),
    ]
}

/// The current UTC time as ISO 8601 (without chrono's clock feature).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

fn finish(db: rusqlite::Connection) -> anyhow::Result<()> {
    db.execute_batch("COMMIT;")?;
    db.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// The whole warehouse: every table, its primary key, indexes on the join columns, and the
/// views SQLite can express.
pub fn write_warehouse(duck: &Connection, to: &Path) -> anyhow::Result<Outcome> {
    let tables: Vec<String> = {
        let mut st = duck.prepare(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary AND database_name = current_database() ORDER BY table_oid",
        )?;
        let v = st.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        v
    };
    let mut pks: HashMap<String, Vec<String>> = HashMap::new();
    {
        let mut st = duck.prepare(
            "SELECT table_name, unnest(constraint_column_names) FROM duckdb_constraints() \
             WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main' AND database_name = current_database()",
        )?;
        for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (t, c) = r?;
            pks.entry(t).or_default().push(c);
        }
    }
    let views: Vec<(String, String)> = {
        let mut st = duck.prepare(
            "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main' \
             AND database_name = current_database() ORDER BY view_oid",
        )?;
        let v = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<Result<Vec<_>, _>>()?;
        v
    };

    let (rows, counts, views) = write_atomically(to, |tmp| {
        let db = open(tmp)?;
        let mut counts = Vec::new();
        let mut rows = 0;
        for t in &tables {
            let n = copy_table(duck, &db, &format!("SELECT * FROM {}", quote_ident(t)), t, pks.get(t).map(|v| v.as_slice()).unwrap_or(&[]))?;
            rows += n;
            counts.push((t.clone(), n));
            index_table(&db, t)?;
        }
        let v = copy_views(duck, &db, &views)?;
        let mut info = common_info();
        info.push(("tables", counts.iter().map(|(t, n)| format!("{t}={n}")).collect::<Vec<_>>().join(" ")));
        info.push(("views", v.copied.join(" ")));
        info.push((
            "views_as_tables",
            v.materialized.iter().map(|(n, why)| format!("{n} (SQLite cannot run its SQL: {why})")).collect::<Vec<_>>().join("; "),
        ));
        info.push(("views_not_exported", v.skipped.iter().map(|(n, why)| format!("{n}: {why}")).collect::<Vec<_>>().join("; ")));
        info_table(&db, &info)?;
        finish(db)?;
        Ok((rows, counts, v))
    })?;
    let mut notes = Vec::new();
    for (v, why) in &views.materialized {
        notes.push(format!("view {v} is a table of its rows: SQLite cannot run its SQL ({why})"));
    }
    for (v, why) in &views.skipped {
        notes.push(format!("view {v} not exported: {why}"));
    }
    Ok(Outcome {
        rows,
        summary: format!(
            "wrote {} tables ({}), {} views ({}) and {} views as tables of their rows to {}",
            counts.len(),
            counts.iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>().join(", "),
            views.copied.len(),
            views.copied.join(", "),
            views.materialized.len(),
            to.display()
        ),
        notes,
    })
}

/// One result (a view or a query) as one table.
pub fn write_result(duck: &Connection, sql: &str, table: &str, to: &Path) -> anyhow::Result<Outcome> {
    if table.is_empty() {
        return Err(usage("empty table name"));
    }
    let rows = write_atomically(to, |tmp| {
        let db = open(tmp)?;
        let n = copy_table(duck, &db, sql, table, &[])?;
        index_table(&db, table)?;
        let mut info = common_info();
        info.push(("query", sql.to_string()));
        info_table(&db, &info)?;
        finish(db)?;
        Ok(n)
    })?;
    Ok(Outcome { rows, summary: format!("wrote {rows} rows to table {table} in {}", to.display()), notes: vec![] })
}

/// Indexes for the usual joins and filters: (filing_id[, table_id]) and, on facts-like
/// tables, concept and entity_id.
fn index_table(db: &rusqlite::Connection, table: &str) -> anyhow::Result<()> {
    let cols: Vec<String> = {
        let mut st = db.prepare(&format!("SELECT name FROM pragma_table_info({})", rusqlite_literal(table)))?;
        let v = st.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        v
    };
    let has = |c: &str| cols.iter().any(|x| x == c);
    let mut sets: Vec<Vec<&str>> = Vec::new();
    if has("filing_id") {
        sets.push(if has("table_id") { vec!["filing_id", "table_id"] } else { vec!["filing_id"] });
    }
    for c in ["concept", "entity_id"] {
        if has(c) && has("value") {
            sets.push(vec![c]);
        }
    }
    for set in sets {
        let name = format!("idx_{}_{}", table, set.join("_"));
        let cols: Vec<String> = set.iter().map(|c| quote_ident(c)).collect();
        db.execute_batch(&format!("CREATE INDEX {} ON {} ({});", quote_ident(&name), quote_ident(table), cols.join(", ")))?;
    }
    Ok(())
}

fn rusqlite_literal(s: &str) -> String {
    crate::store::quote_literal(s)
}

/// Create each view from DuckDB's SQL text; keep it only if SQLite runs it and returns the
/// same rows as DuckDB. Views may use other views: retry while some succeed; when none does,
/// the first remaining view (in creation order, so its dependencies come first) is written as
/// a table holding its rows, and the others are tried again on top of it.
struct Views {
    copied: Vec<String>,
    materialized: Vec<(String, String)>,
    skipped: Vec<(String, String)>,
}

fn copy_views(duck: &Connection, db: &rusqlite::Connection, views: &[(String, String)]) -> anyhow::Result<Views> {
    let mut pending: Vec<&(String, String)> = views.iter().collect();
    let mut out = Views { copied: Vec::new(), materialized: Vec::new(), skipped: Vec::new() };
    let mut last_error: HashMap<String, String> = HashMap::new();
    while !pending.is_empty() {
        let mut progress = false;
        let mut still = Vec::new();
        for v in pending {
            match try_view(duck, db, &v.0, &v.1) {
                Ok(()) => {
                    out.copied.push(v.0.clone());
                    progress = true;
                }
                Err(e) => {
                    last_error.insert(v.0.clone(), e);
                    still.push(v);
                }
            }
        }
        pending = still;
        if !progress && !pending.is_empty() {
            let v = pending.remove(0);
            let why = last_error.remove(&v.0).unwrap_or_default();
            match copy_table(duck, db, &format!("SELECT * FROM {}", quote_ident(&v.0)), &v.0, &[]) {
                Ok(_) => out.materialized.push((v.0.clone(), why)),
                Err(e) => out.skipped.push((v.0.clone(), format!("{why}; as a table: {e}"))),
            }
        }
    }
    Ok(out)
}

fn try_view(duck: &Connection, db: &rusqlite::Connection, name: &str, sql: &str) -> Result<(), String> {
    let create = sql.trim().trim_end_matches(';');
    db.execute_batch("SAVEPOINT v;").map_err(|e| e.to_string())?;
    let result = (|| {
        db.execute_batch(create).map_err(|e| first_line(&e.to_string()))?;
        let q = format!("SELECT * FROM {}", quote_ident(name));
        let lite = fingerprint_sqlite(db, &q).map_err(|e| first_line(&e.to_string()))?;
        let duck = fingerprint_duck(duck, &q).map_err(|e| first_line(&e.to_string()))?;
        if lite != duck {
            return Err(format!("SQLite returns other rows ({} vs {} in DuckDB)", lite.0, duck.0));
        }
        Ok(())
    })();
    match &result {
        Ok(()) => db.execute_batch("RELEASE v;").map_err(|e| e.to_string())?,
        Err(_) => db.execute_batch("ROLLBACK TO v; RELEASE v;").map_err(|e| e.to_string())?,
    }
    result
}

/// Row count and an order-independent hash of all rows, each value as SQLite holds it, so a
/// view is kept only if SQLite returns exactly DuckDB's rows (not merely as many).
type Fingerprint = (u64, u64);

fn row_hash(vals: impl Iterator<Item = SqlValue>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for v in vals {
        match v {
            SqlValue::Null => 0u8.hash(&mut h),
            SqlValue::Integer(i) => (1u8, i).hash(&mut h),
            SqlValue::Real(f) => (2u8, f.to_bits()).hash(&mut h),
            SqlValue::Text(t) => (3u8, t).hash(&mut h),
            SqlValue::Blob(b) => (4u8, b).hash(&mut h),
        }
    }
    h.finish()
}

fn fingerprint_duck(duck: &Connection, sql: &str) -> anyhow::Result<Fingerprint> {
    let mut sum = 0u64;
    let n = super::for_each_row(duck, sql, |e| {
        if let Event::Row(vals) = e {
            sum = sum.wrapping_add(row_hash(vals.iter().map(sql_value)));
        }
        Ok(())
    })?;
    Ok((n, sum))
}

fn fingerprint_sqlite(db: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Fingerprint> {
    let mut st = db.prepare(sql)?;
    let n_cols = st.column_count();
    let mut rows = st.query([])?;
    let (mut n, mut sum) = (0u64, 0u64);
    while let Some(r) = rows.next()? {
        let vals = (0..n_cols).map(|i| r.get::<_, SqlValue>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
        sum = sum.wrapping_add(row_hash(vals.into_iter()));
        n += 1;
    }
    Ok((n, sum))
}

/// The gist of an SQLite error: its first line, without the statement it quotes.
fn first_line(s: &str) -> String {
    let l = s.lines().next().unwrap_or("");
    let l = l.split(" in CREATE ").next().unwrap_or(l);
    l.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_copy_is_exact() {
        let d = |m: i128, s: u8| Value::Decimal(duckdb::types::Decimal::new(38, s, m).unwrap());
        assert_eq!(scaled_value(&d(390000, 6), 6), SqlValue::Integer(390000));
        assert_eq!(scaled_value(&d(-39, 2), 6), SqlValue::Integer(-390000));
        assert_eq!(scaled_value(&d(i128::MAX / 10, 6), 6), SqlValue::Null);
        assert_eq!(sql_value(&d(-390000, 6)), SqlValue::Text("-0.39".into()));
    }
}
