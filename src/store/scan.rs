//! The warehouse's insert path: `INSERT INTO t SELECT * FROM edgarfacts_rows(?)` over the Arrow
//! batches of many filings. DuckDB's Appender copied every value twice on the writer's thread
//! (checking each string's UTF-8 into a chunk, then into its own buffer) before the insert
//! copied it again; this table function hands DuckDB chunks whose strings point into the
//! batches (Rust strings are valid UTF-8 already) and whose numbers are copied whole.

use duckdb::arrow::array::{Array, AsArray, RecordBatch};
use duckdb::arrow::datatypes::{DataType, Date32Type, Decimal128Type, Int32Type, Int64Type, TimestampMicrosecondType};
use duckdb::core::{DataChunkHandle, FlatVector, LogicalTypeHandle, LogicalTypeId};
use duckdb::types::{ToSql, ToSqlOutput};
use duckdb::vtab::arrow::to_duckdb_logical_type;
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// The name the function is registered under.
pub const FUNCTION: &str = "edgarfacts_rows";

/// One filing's rows of a table, and the text columns of one value in every row that are not
/// in the batch (the filing id, and the entity the writer resolved): never copied per row.
/// The parts of one scan have the same columns (the first part's are the scan's).
pub struct Part {
    pub batch: RecordBatch,
    /// (column position in the table, value of every row), by position
    pub extra: Vec<(usize, Arc<str>)>,
}

/// Parts waiting for the statement that will scan them, by token.
static WAITING: LazyLock<Mutex<HashMap<u64, Vec<Part>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Parts handed to one statement: its parameter. Dropped unscanned, it takes them back.
pub struct Parts(u64);

impl Parts {
    pub fn new(parts: Vec<Part>) -> Parts {
        let token = NEXT.fetch_add(1, Ordering::Relaxed);
        WAITING.lock().unwrap_or_else(|p| p.into_inner()).insert(token, parts);
        Parts(token)
    }

    /// The number that names these parts in SQL: `edgarfacts_rows(TOKEN)`.
    pub fn token(&self) -> u64 {
        self.0
    }
}

impl Drop for Parts {
    fn drop(&mut self) {
        WAITING.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.0);
    }
}

impl ToSql for Parts {
    fn to_sql(&self) -> duckdb::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0 as i64))
    }
}

pub struct Bind {
    parts: Vec<Part>,
    sources: Vec<Source>,
}

/// Where an output column comes from.
enum Source {
    Batch(usize),
    Extra(usize),
}

pub struct Init {
    /// (part, row) the next chunk starts at
    at: Mutex<(usize, usize)>,
}

pub struct RowsScan;

impl VTab for RowsScan {
    type BindData = Bind;
    type InitData = Init;

    fn bind(bind: &BindInfo) -> Result<Bind, Box<dyn std::error::Error>> {
        let token = bind.get_parameter(0).to_int64() as u64;
        let parts = WAITING.lock().unwrap_or_else(|p| p.into_inner()).remove(&token).ok_or("no rows waiting for this scan")?;
        let first = parts.first().ok_or("no rows to scan")?;
        let schema = first.batch.schema();
        let n = schema.fields().len() + first.extra.len();
        let mut sources = Vec::with_capacity(n);
        let mut next = 0;
        for col in 0..n {
            if let Some(k) = first.extra.iter().position(|(at, _)| *at == col) {
                bind.add_result_column(&format!("extra{col}"), LogicalTypeHandle::from(LogicalTypeId::Varchar));
                sources.push(Source::Extra(k));
            } else {
                let f = schema.fields().get(next).ok_or("extra columns out of place")?;
                bind.add_result_column(f.name(), to_duckdb_logical_type(f.data_type())?);
                sources.push(Source::Batch(next));
                next += 1;
            }
        }
        Ok(Bind { parts, sources })
    }

    fn init(_: &InitInfo) -> Result<Init, Box<dyn std::error::Error>> {
        Ok(Init { at: Mutex::new((0, 0)) })
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn std::error::Error>> {
        let bind = info.get_bind_data();
        let mut at = info.get_init_data().at.lock().unwrap_or_else(|p| p.into_inner());
        // the next part with rows left (a chunk never spans two parts)
        while at.0 < bind.parts.len() && at.1 >= bind.parts[at.0].batch.num_rows() {
            *at = (at.0 + 1, 0);
        }
        let Some(part) = bind.parts.get(at.0) else {
            out.set_len(0);
            return Ok(());
        };
        let vector_size = unsafe { duckdb::ffi::duckdb_vector_size() } as usize;
        let (start, n) = (at.1, (part.batch.num_rows() - at.1).min(vector_size));
        for (col, source) in bind.sources.iter().enumerate() {
            let mut v = out.flat_vector(col);
            match source {
                Source::Batch(i) => fill(&mut v, part.batch.column(*i).as_ref(), start, n)?,
                Source::Extra(k) => {
                    let value = part.extra.get(*k).map(|(_, s)| s.as_ref()).unwrap_or("");
                    // (a VARCHAR vector holds 16-byte `string_t`s, room for a full chunk)
                    let strings = unsafe { v.as_mut_slice_with_len::<[u8; 16]>(n) };
                    let s = string_t(value);
                    strings.iter_mut().for_each(|x| *x = s);
                }
            }
        }
        out.set_len(n);
        at.1 += n;
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeHandle::from(LogicalTypeId::Bigint)])
    }
}

/// DuckDB's `string_t` of `s`: its length, then the text inlined (12 bytes or fewer) or its
/// first four bytes and a pointer to it (which the batch keeps alive for the scan).
fn string_t(s: &str) -> [u8; 16] {
    let mut t = [0u8; 16];
    t[..4].copy_from_slice(&(s.len() as u32).to_le_bytes());
    if s.len() <= 12 {
        t[4..4 + s.len()].copy_from_slice(s.as_bytes());
    } else {
        t[4..8].copy_from_slice(&s.as_bytes()[..4]);
        t[8..].copy_from_slice(&(s.as_ptr() as usize).to_ne_bytes());
    }
    t
}

/// Rows `start..start + n` of an Arrow column into a DuckDB vector.
fn fill(v: &mut FlatVector, a: &dyn Array, start: usize, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            let out = unsafe { v.as_mut_slice_with_len::<[u8; 16]>(n) };
            for (k, x) in out.iter_mut().enumerate() {
                *x = string_t(s.value(start + k));
            }
        }
        DataType::Int32 => copy(v, a.as_primitive::<Int32Type>().values(), start, n),
        DataType::Date32 => copy(v, a.as_primitive::<Date32Type>().values(), start, n),
        DataType::Int64 => copy(v, a.as_primitive::<Int64Type>().values(), start, n),
        DataType::Timestamp(..) => copy(v, a.as_primitive::<TimestampMicrosecondType>().values(), start, n),
        // DuckDB's hugeint: the low 64 bits, then the high (not an i128: its buffer need not
        // be 16-byte aligned)
        DataType::Decimal128(..) => {
            let vals = a.as_primitive::<Decimal128Type>().values();
            let out = unsafe { v.as_mut_slice_with_len::<[u64; 2]>(n) };
            for (k, x) in out.iter_mut().enumerate() {
                let m = vals[start + k];
                *x = [m as u64, (m >> 64) as u64];
            }
        }
        DataType::Boolean => {
            let b = a.as_boolean();
            let out = unsafe { v.as_mut_slice_with_len::<bool>(n) };
            for (k, x) in out.iter_mut().enumerate() {
                *x = b.value(start + k);
            }
        }
        other => return Err(format!("no scan for Arrow type {other}").into()),
    }
    if a.null_count() > 0 {
        for k in 0..n {
            if a.is_null(start + k) {
                v.set_null(k);
            }
        }
    }
    Ok(())
}

fn copy<T: Copy>(v: &mut FlatVector, values: &[T], start: usize, n: usize) {
    let out = unsafe { v.as_mut_slice_with_len::<T>(n) };
    out.copy_from_slice(&values[start..start + n]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::batch::Batch;
    use duckdb::Connection;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// A part of `n` rows: a label (long, short or null), a number, an amount, a flag.
    fn part(n: usize, tag: &str) -> Part {
        let mut b = Batch::new(&[("label", "text"), ("n", "int"), ("amount", "dec"), ("flag", "bool")]);
        for i in 0..n {
            let label = match i % 3 {
                0 => Some(format!("{tag} a label longer than twelve bytes {i}")),
                1 => Some(format!("{tag}{i}")),
                _ => None,
            };
            b.text(label).int((i % 5 != 0).then_some(i as i64)).dec(Some(Decimal::from_str("-1234.5").unwrap() * Decimal::from(i))).bool(Some(i % 2 == 0));
        }
        Part { batch: b.finish().unwrap(), extra: vec![(0, Arc::from(tag)), (5, Arc::from("the entity, a long constant"))] }
    }

    #[test]
    fn parts_insert_with_their_constants_nulls_and_exact_amounts() {
        let conn = Connection::open_in_memory().unwrap();
        conn.register_table_function::<RowsScan>(FUNCTION).unwrap();
        conn.execute_batch("CREATE TABLE t (id VARCHAR, label VARCHAR, n INTEGER, amount DECIMAL(38,6), flag BOOLEAN, entity VARCHAR)").unwrap();
        // more rows than one DuckDB vector, in parts that end mid-vector
        let parts = Parts::new(vec![part(3000, "f1"), part(7, "f2"), part(2050, "f3")]);
        conn.execute(&format!("INSERT INTO t SELECT * FROM {FUNCTION}(?)"), [&parts]).unwrap();
        let q = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap() };
        assert_eq!(q("SELECT count(*)::VARCHAR FROM t"), "5057");
        assert_eq!(q("SELECT string_agg(DISTINCT id, ',' ORDER BY id) FROM t"), "f1,f2,f3");
        assert_eq!(q("SELECT count(*)::VARCHAR FROM t WHERE entity = 'the entity, a long constant'"), "5057");
        assert_eq!(q("SELECT label FROM t WHERE id = 'f3' AND n = 2049"), "f3 a label longer than twelve bytes 2049");
        assert_eq!(q("SELECT label FROM t WHERE id = 'f1' AND n = 2998"), "f12998");
        assert_eq!(q("SELECT count(*)::VARCHAR FROM t WHERE label IS NULL"), (1000 + 2 + 683).to_string());
        assert_eq!(q("SELECT count(*)::VARCHAR FROM t WHERE n IS NULL"), (600 + 2 + 410).to_string());
        assert_eq!(q("SELECT amount::VARCHAR FROM t WHERE id = 'f2' AND n = 6"), "-7407.000000");
        assert_eq!(q("SELECT count(*)::VARCHAR FROM t WHERE flag"), (1500 + 4 + 1025).to_string());
        // the parts were taken by the scan; a second scan of the same token finds none
        assert!(conn.execute(&format!("INSERT INTO t SELECT * FROM {FUNCTION}(?)"), [&parts]).is_err());
    }

    #[test]
    fn a_cached_statement_scans_the_parts_of_each_execution() {
        // (the warehouse prepares its insert once per table: a plan bound to the first parts
        // would insert them again)
        let conn = Connection::open_in_memory().unwrap();
        conn.register_table_function::<RowsScan>(FUNCTION).unwrap();
        conn.execute_batch("CREATE TABLE t (id VARCHAR, label VARCHAR, n INTEGER, amount DECIMAL(38,6), flag BOOLEAN, entity VARCHAR)").unwrap();
        for (tag, n) in [("a", 10), ("b", 3000), ("c", 1)] {
            let parts = Parts::new(vec![part(n, tag)]);
            conn.prepare_cached(&format!("INSERT INTO t SELECT * FROM {FUNCTION}(?)")).unwrap().execute([&parts]).unwrap();
        }
        let counts: Vec<(String, i64)> = conn.prepare("SELECT id, count(*) FROM t GROUP BY id ORDER BY id").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(counts, vec![("a".to_string(), 10), ("b".to_string(), 3000), ("c".to_string(), 1)]);
    }
}
