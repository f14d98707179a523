//! The DuckDB warehouse: open (create schema and views), resolve entities, write filings,
//! record load errors.
//!
//! Atomicity: a filing is always entirely in the warehouse or entirely absent. Filings are
//! appended in groups to one open transaction, committed once it holds about a row group
//! or two of facts and cells (`COMMIT_ROWS`): DuckDB then writes those row groups
//! compressed straight to the file, where small commits would go through the WAL and be
//! read back and compressed again at the checkpoint (twice the work). When a group fails
//! to store, the transaction rolls back and the caller writes its filings again one
//! transaction each, so a bad file never costs another file its place. A killed load keeps
//! every committed transaction.

use super::batch::Batch;
use super::scan;
use super::rows::{Rows, TABLES};
use super::{quote_literal, EX27_VIEWS_SQL, SCHEMA_SQL, VIEWS_SQL};
use crate::facts::Extracted;
use crate::filing::{EntityKeys, Filing};
use duckdb::{params, Connection};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct Warehouse {
    conn: Connection,
    pub path: PathBuf,
    /// filing ids and content hashes already stored (read once at open)
    known_ids: HashSet<String>,
    known_hashes: HashSet<String>,
    entities: Entities,
    /// The transaction open across groups, if any.
    open: Option<Open>,
    /// Rows of the open transaction not yet handed to DuckDB (see `FLUSH_ROWS`).
    pending: Pending,
}

/// Filings appended but not yet handed to DuckDB, and the entities to (re)write with them.
#[derive(Default)]
struct Pending {
    filings: Vec<(String, Rows)>,
    entity_ids: Vec<String>,
    weight: usize,
}

/// Rows per row group in a warehouse: half DuckDB's default (122,880). During a load DuckDB
/// holds each table's unfinished row group uncompressed until it is full; a facts group of
/// the default size alone outgrew the 48 MB limit, was spilled and read back. Bench load:
/// 3.42 -> 3.28 s, peak RSS 250 -> 236 MB, file 3% larger (a quarter of the default: no
/// faster, 12% larger).
const ROW_GROUP_SIZE: usize = 61_440;

/// Open the warehouse file as a DuckDB connection would (named after its stem), with our row
/// group size: a storage option, given when the file is attached.
fn attach_sql(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if stem.is_empty() || ["memory", "system", "temp", "main"].contains(&stem.to_ascii_lowercase().as_str()) { "warehouse".to_string() } else { stem };
    let name = super::quote_ident(&name);
    format!("ATTACH {} AS {name} (ROW_GROUP_SIZE {ROW_GROUP_SIZE}); USE {name};", quote_literal(&path.display().to_string()))
}

/// The view created last (by `sql/ex27_views.sql`): its comment names the SQL of the views.
const VIEWS_MARKER: &str = "v_all_facts";

/// "edgarfacts views " and 16 hex digits of the SHA-256 of the views' SQL.
fn views_version() -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(VIEWS_SQL).chain_update(EX27_VIEWS_SQL).finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("edgarfacts views {hex}")
}

/// What an open transaction has written, and the entity caches as they were before it
/// (restored if it rolls back).
struct Open {
    rows: usize,
    ids: HashSet<String>,
    hashes: HashSet<String>,
    entities_before: Entities,
}

/// Rows of facts and cells after which `should_commit` says so (~400 filings of 150 KB).
/// Measured on the bench corpus: commits of 250k rows spent 1.8 s more (in WAL writes and
/// the checkpoint at close) than commits of 1M; bigger ones gained nothing. Peak memory
/// does not grow with it: DuckDB writes full row groups or spills within its memory limit.
pub const COMMIT_ROWS: usize = 1_000_000;

/// Rows of facts and cells gathered before they are inserted. Every insert costs DuckDB a
/// planned statement (parse, bind, optimize: about a millisecond), so inserting each group
/// of eight filings spent a sixth of the writer's time planning; gathering groups up to
/// about one row group of facts keeps the memory small and the plans few.
pub const FLUSH_ROWS: usize = 50_000;

/// One row of `load_errors`.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub source_path: String,
    pub stage: String,
    pub line: Option<usize>,
    pub level: String,
    pub message: String,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct LoadCounts {
    pub tables: usize,
    pub facts: usize,
    pub cells: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the warehouse is in use by another process (close it or wait for that load to finish)")]
    Locked { path: String },
    #[error("{path}: {source}")]
    Db { path: String, source: duckdb::Error },
}

/// The entities table, mirrored in memory: one entity per company, found by any key.
#[derive(Default, Clone)]
struct Entities {
    rows: HashMap<String, EntityKeys>,
    names: HashMap<String, Option<String>>,
    by_key: HashMap<(u8, String), String>,
}

impl Entities {
    fn index(&mut self, id: &str, k: &EntityKeys) {
        for (kind, v) in keys(k) {
            self.by_key.entry((kind, v)).or_insert_with(|| id.to_string());
        }
    }

    /// The entity of these keys (and whether the entities table needs a write).
    fn resolve(&mut self, k: &EntityKeys, name: Option<&str>) -> (String, bool) {
        for (kind, v) in keys(k) {
            let Some(id) = self.by_key.get(&(kind, v)).cloned() else { continue };
            let known = self.rows.get(&id).cloned().unwrap_or_default();
            // a different CIK means a different company, whatever else matches
            if let (Some(a), Some(b)) = (&known.cik, &k.cik) {
                if a != b {
                    continue;
                }
            }
            let merged = EntityKeys {
                cik: known.cik.clone().or(k.cik.clone()),
                file_number: known.file_number.clone().or(k.file_number.clone()),
                irs_number: known.irs_number.clone().or(k.irs_number.clone()),
                name_key: known.name_key.clone().or(k.name_key.clone()),
            };
            let name_missing = self.names.get(&id).is_none_or(|n| n.is_none()) && name.is_some();
            let changed = merged != known || name_missing;
            if changed {
                self.index(&id, &merged);
                self.rows.insert(id.clone(), merged);
                if name_missing {
                    self.names.insert(id.clone(), name.map(str::to_string));
                }
            }
            return (id, changed);
        }
        let id = k.preferred_id();
        self.index(&id, k);
        self.rows.insert(id.clone(), k.clone());
        self.names.insert(id.clone(), name.map(str::to_string));
        (id, true)
    }
}

fn keys(k: &EntityKeys) -> Vec<(u8, String)> {
    [(0u8, &k.cik), (1, &k.file_number), (2, &k.irs_number), (3, &k.name_key)]
        .into_iter()
        .filter_map(|(kind, v)| v.clone().map(|v| (kind, v)))
        .collect()
}

impl Warehouse {
    /// Open (or create) a warehouse file and make sure its schema and views exist.
    pub fn open(path: &Path) -> Result<Warehouse, StoreError> {
        let p = path.display().to_string();
        let conn = Connection::open_in_memory().and_then(|c| c.execute_batch(&attach_sql(path)).map(|_| c)).map_err(|e| {
            let msg = e.to_string();
            if msg.contains("lock") || msg.contains("Conflicting") {
                StoreError::Locked { path: p.clone() }
            } else {
                StoreError::Db { path: p.clone(), source: e }
            }
        })?;
        Warehouse::init(conn, path.to_path_buf())
    }

    /// A warehouse in memory (scratch space, e.g. for `load --out-parquet`).
    pub fn open_in_memory() -> Result<Warehouse, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Db { path: ":memory:".into(), source: e })?;
        Warehouse::init(conn, PathBuf::from(":memory:"))
    }

    fn init(conn: Connection, path: PathBuf) -> Result<Warehouse, StoreError> {
        let mut w = Warehouse { conn, path, known_ids: HashSet::new(), known_hashes: HashSet::new(), entities: Entities::default(), open: None, pending: Pending::default() };
        w.conn.register_table_function::<scan::RowsScan>(scan::FUNCTION).map_err(|e| w.err(e))?;
        w.conn.execute_batch(SCHEMA_SQL).map_err(|e| w.err(e))?;
        w.ensure_views().map_err(|e| w.err(e))?;
        w.read_caches().map_err(|e| w.err(e))?;
        Ok(w)
    }

    /// Create the views and macros unless this warehouse has them from the same SQL already
    /// (views are created WITH (DEFER_BINDING), bound on first use: see sql/views.sql).
    /// Which SQL made them is the comment of the view created last (`VIEWS_MARKER`), so a
    /// warehouse written by another version gets the views of this one.
    fn ensure_views(&self) -> duckdb::Result<()> {
        let version = views_version();
        let mut stmt = self.conn.prepare(
            "SELECT comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND view_name = ?",
        )?;
        let current: Vec<Option<String>> = stmt.query_map([VIEWS_MARKER], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if current.first().is_some_and(|c| c.as_deref() == Some(version.as_str())) {
            return Ok(());
        }
        self.conn.execute_batch(VIEWS_SQL)?;
        self.conn.execute_batch(EX27_VIEWS_SQL)?;
        self.conn.execute_batch(&format!("COMMENT ON VIEW {VIEWS_MARKER} IS {}", quote_literal(&version)))
    }

    fn read_caches(&mut self) -> duckdb::Result<()> {
        let mut stmt = self.conn.prepare("SELECT filing_id, sha256 FROM filings")?;
        let rows: Vec<(String, Option<String>)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (id, sha) in rows {
            self.known_ids.insert(id);
            if let Some(s) = sha {
                self.known_hashes.insert(s);
            }
        }
        let mut stmt = self.conn.prepare("SELECT entity_id, cik, file_number, irs_number, name_key, entity_name FROM entities ORDER BY entity_id")?;
        type EntityRow = (String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
        let rows: Vec<EntityRow> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?.collect::<Result<_, _>>()?;
        for (id, cik, file_number, irs_number, name_key, name) in rows {
            let k = EntityKeys { cik, file_number, irs_number, name_key };
            self.entities.index(&id, &k);
            self.entities.rows.insert(id.clone(), k);
            self.entities.names.insert(id, name);
        }
        Ok(())
    }

    /// Open an existing warehouse (queries, exports); fails if it doesn't exist.
    pub fn open_existing(path: &Path) -> Result<Warehouse, StoreError> {
        if !path.exists() {
            return Err(StoreError::Db {
                path: path.display().to_string(),
                source: duckdb::Error::InvalidPath(path.to_path_buf()),
            });
        }
        Warehouse::open(path)
    }

    /// Settings for a long load: one writer thread (the parser threads have the cores), small
    /// buffers so peak memory stays bounded whatever the corpus size, and checkpoints every
    /// 256 MB of WAL (the WAL is on disk; checkpointing every 32 MB cost a fifth of a load).
    pub fn tune_for_load(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("SET checkpoint_threshold = '256MB'; SET memory_limit = '48MB'; SET threads = 1;").map_err(|e| self.err(e))
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn err(&self, source: duckdb::Error) -> StoreError {
        StoreError::Db { path: self.path.display().to_string(), source }
    }

    /// Is a filing with this id or content already loaded?
    pub fn has_filing(&self, filing_id: &str, sha256: &str) -> Result<bool, StoreError> {
        let open = self.open.as_ref().is_some_and(|o| o.ids.contains(filing_id) || o.hashes.contains(sha256));
        Ok(open || self.known_ids.contains(filing_id) || self.known_hashes.contains(sha256))
    }

    /// Append rows to `load_errors` (in the open transaction, if any: they commit with it).
    pub fn log_rows(&self, rows: &[LogRow]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut b = Batch::new(&[
            ("logged_at", "ts"), ("source_file", "text"), ("source_path", "text"), ("stage", "text"), ("line", "int"),
            ("level", "text"), ("message", "text"),
        ]);
        for r in rows {
            let file = Path::new(&r.source_path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            b.now().str(&file).str(&r.source_path).str(&r.stage).int(r.line.map(|l| l as i64)).str(&r.level).str(&r.message);
        }
        self.append_batch("load_errors", b)
    }

    fn arrow_err(&self, e: duckdb::arrow::error::ArrowError) -> StoreError {
        self.err(duckdb::Error::ToSqlConversionFailure(Box::new(e)))
    }

    fn append_batch(&self, table: &str, batch: Batch) -> Result<(), StoreError> {
        let mut app = self.conn.appender(table).map_err(|e| self.err(e))?;
        app.append_record_batch(batch.finish().map_err(|e| self.arrow_err(e))?).map_err(|e| self.err(e))?;
        app.flush().map_err(|e| self.err(e))
    }

    /// Write one filing in its own transaction, replacing any earlier load of it
    /// (commits whatever was open before).
    pub fn load(&mut self, f: &Filing, ex: &Extracted) -> Result<LoadCounts, StoreError> {
        let rows = Rows::of(f, ex).map_err(|e| self.arrow_err(e))?;
        self.load_rows(f, &rows)
    }

    /// `load` of rows built already (see `Rows::of`).
    pub fn load_rows(&mut self, f: &Filing, rows: &Rows) -> Result<LoadCounts, StoreError> {
        self.commit()?;
        let c = self.append_group(&[(f, rows)])?[0];
        self.commit()?;
        Ok(c)
    }

    /// Append several filings to the open transaction (opening one if needed). On error the
    /// whole transaction rolls back, with every group appended since the last commit.
    pub fn append_group(&mut self, items: &[(&Filing, &Rows)]) -> Result<Vec<LoadCounts>, StoreError> {
        if self.open.is_none() {
            self.conn.execute_batch("BEGIN TRANSACTION").map_err(|e| self.err(e))?;
            self.open = Some(Open { rows: 0, ids: HashSet::new(), hashes: HashSet::new(), entities_before: self.entities.clone() });
        }
        match self.write_group(items) {
            Ok(c) => {
                if let Some(o) = self.open.as_mut() {
                    o.rows += c.iter().map(|x| x.facts + x.cells).sum::<usize>();
                    for (f, _) in items {
                        o.ids.insert(f.filing_id.clone());
                        o.hashes.insert(f.sha256.clone());
                    }
                }
                Ok(c)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    /// Is the open transaction big enough to commit (see `COMMIT_ROWS`)?
    pub fn should_commit(&self) -> bool {
        self.open.as_ref().is_some_and(|o| o.rows >= COMMIT_ROWS)
    }

    /// Commit the open transaction, if any; if the commit fails it is rolled back.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.open.is_none() {
            return Ok(());
        }
        if let Err(e) = self.flush() {
            self.rollback();
            return Err(e);
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            self.rollback();
            return Err(self.err(e));
        }
        if let Some(o) = self.open.take() {
            self.known_ids.extend(o.ids);
            self.known_hashes.extend(o.hashes);
        }
        Ok(())
    }

    /// Drop the open transaction, if any, and what the caches learned in it.
    pub fn rollback(&mut self) {
        self.pending = Pending::default();
        if let Some(o) = self.open.take() {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.entities = o.entities_before;
        }
    }

    /// Insert the rows gathered so far (in the open transaction): one statement per table,
    /// scanning the filings' batches (see `scan`).
    fn flush(&mut self) -> Result<(), StoreError> {
        let p = std::mem::take(&mut self.pending);
        // entities found or completed since the last flush: replaced in two statements
        if !p.entity_ids.is_empty() {
            let list = p.entity_ids.iter().map(|id| quote_literal(id)).collect::<Vec<_>>().join(", ");
            self.conn.execute_batch(&format!("DELETE FROM entities WHERE entity_id IN ({list})")).map_err(|e| self.err(e))?;
            let mut eb = Batch::new(&[
                ("entity_id", "text"), ("cik", "text"), ("file_number", "text"), ("irs_number", "text"), ("name_key", "text"), ("entity_name", "text"),
            ]);
            for id in &p.entity_ids {
                let k = self.entities.rows.get(id).cloned().unwrap_or_default();
                let name = self.entities.names.get(id).cloned().flatten();
                eb.str(id).text(k.cik).text(k.file_number).text(k.irs_number).text(k.name_key).text(name);
            }
            self.append_batch("entities", eb)?;
        }
        for (i, table) in TABLES.iter().enumerate() {
            if p.filings.iter().all(|(_, r)| r.len(i) == 0) {
                continue;
            }
            let parts = p.filings.iter().filter(|(_, r)| r.len(i) > 0).map(|(entity_id, r)| r.part(i, entity_id)).collect();
            let parts = scan::Parts::new(parts);
            let mut stmt = self.conn.prepare_cached(&format!("INSERT INTO {table} SELECT * FROM {}(?)", scan::FUNCTION)).map_err(|e| self.err(e))?;
            stmt.execute([&parts]).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn write_group(&mut self, items: &[(&Filing, &Rows)]) -> Result<Vec<LoadCounts>, StoreError> {
        let path = self.path.display().to_string();
        let wrap = |e: duckdb::Error| StoreError::Db { path: path.clone(), source: e };
        let mut replaced: Vec<&str> = Vec::new();
        let mut again = false;
        for (f, _) in items {
            let in_open = self.open.as_ref().is_some_and(|o| o.ids.contains(&f.filing_id));
            again |= in_open;
            if in_open || self.known_ids.contains(&f.filing_id) {
                replaced.push(&f.filing_id);
            }
        }
        // a filing stored earlier in this transaction may still wait: append it so the delete sees it
        if again {
            self.flush()?;
        }
        let mut counts = Vec::with_capacity(items.len());
        for (f, rows) in items {
            let (entity_id, changed) = self.entities.resolve(&f.entity, f.meta.company_name.as_deref());
            if changed && !self.pending.entity_ids.contains(&entity_id) {
                self.pending.entity_ids.push(entity_id.clone());
            }
            self.pending.weight += rows.weight();
            self.pending.filings.push((entity_id, (*rows).clone()));
            counts.push(rows.counts);
        }
        let tx = &self.conn;
        // a filing loaded before is replaced; new ones need no deletes (they scan tables)
        for id in &replaced {
            for table in ["facts", "cells", "footings", "table_rows", "table_columns", "source_tables", "ex27_schedules", "documents", "filings"] {
                tx.execute(&format!("DELETE FROM {table} WHERE filing_id = ?"), params![id]).map_err(wrap)?;
            }
        }
        if self.pending.weight >= FLUSH_ROWS {
            self.flush()?;
        }
        Ok(counts)
    }
}

