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
use super::{quote_literal, EX27_VIEWS_SQL, SCHEMA_SQL, VIEWS_SQL};
use crate::facts::Extracted;
use crate::filing::{EntityKeys, Filing};
use crate::layout::Rule;
use duckdb::{params, Connection};
use rust_decimal::Decimal;
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
    pending: Option<GroupBatches>,
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

/// Rows of facts and cells gathered before they are appended. Every appender flush costs
/// DuckDB a planned statement (parse, bind, optimize: about a millisecond), so appending
/// each group of eight filings spent a sixth of the writer's time planning; gathering
/// groups up to about one row group of facts keeps the memory small and the plans few.
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

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::None => "none",
        Rule::Single => "single",
        Rule::Double => "double",
    }
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
        let conn = Connection::open(path).map_err(|e| {
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
        let mut w = Warehouse { conn, path, known_ids: HashSet::new(), known_hashes: HashSet::new(), entities: Entities::default(), open: None, pending: None };
        for sql in [SCHEMA_SQL, VIEWS_SQL, EX27_VIEWS_SQL] {
            w.conn.execute_batch(sql).map_err(|e| w.err(e))?;
        }
        w.read_caches().map_err(|e| w.err(e))?;
        Ok(w)
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

    fn append_batch(&self, table: &str, batch: Batch) -> Result<(), StoreError> {
        let arrow_err = |e: duckdb::arrow::error::ArrowError| self.err(duckdb::Error::ToSqlConversionFailure(Box::new(e)));
        let mut app = self.conn.appender(table).map_err(|e| self.err(e))?;
        app.append_record_batch(batch.finish().map_err(arrow_err)?).map_err(|e| self.err(e))?;
        app.flush().map_err(|e| self.err(e))
    }

    /// Write one filing in its own transaction, replacing any earlier load of it
    /// (commits whatever was open before).
    pub fn load(&mut self, f: &Filing, ex: &Extracted) -> Result<LoadCounts, StoreError> {
        self.commit()?;
        let c = self.append_group(&[(f, ex)])?[0];
        self.commit()?;
        Ok(c)
    }

    /// Append several filings to the open transaction (opening one if needed). On error the
    /// whole transaction rolls back, with every group appended since the last commit.
    pub fn append_group(&mut self, items: &[(&Filing, &Extracted)]) -> Result<Vec<LoadCounts>, StoreError> {
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
        self.pending = None;
        if let Some(o) = self.open.take() {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.entities = o.entities_before;
        }
    }

    /// Append the rows gathered so far (in the open transaction).
    fn flush(&mut self) -> Result<(), StoreError> {
        let Some(b) = self.pending.take() else { return Ok(()) };
        // entities found or completed since the last flush: replaced in two statements
        if !b.entity_ids.is_empty() {
            let list = b.entity_ids.iter().map(|id| quote_literal(id)).collect::<Vec<_>>().join(", ");
            self.conn.execute_batch(&format!("DELETE FROM entities WHERE entity_id IN ({list})")).map_err(|e| self.err(e))?;
            let mut eb = Batch::new(&[
                ("entity_id", "text"), ("cik", "text"), ("file_number", "text"), ("irs_number", "text"), ("name_key", "text"), ("entity_name", "text"),
            ]);
            for id in &b.entity_ids {
                let k = self.entities.rows.get(id).cloned().unwrap_or_default();
                let name = self.entities.names.get(id).cloned().flatten();
                eb.str(id).text(k.cik).text(k.file_number).text(k.irs_number).text(k.name_key).text(name);
            }
            self.append_batch("entities", eb)?;
        }
        for (table, batch) in b.tables() {
            if !batch.is_empty() {
                self.append_batch(table, batch)?;
            }
        }
        Ok(())
    }

    fn write_group(&mut self, items: &[(&Filing, &Extracted)]) -> Result<Vec<LoadCounts>, StoreError> {
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
        let mut b = self.pending.take().unwrap_or_else(GroupBatches::new);
        let mut counts = Vec::with_capacity(items.len());
        for (f, ex) in items {
            let (entity_id, changed) = self.entities.resolve(&f.entity, f.meta.company_name.as_deref());
            if changed && !b.entity_ids.contains(&entity_id) {
                b.entity_ids.push(entity_id.clone());
            }
            counts.push(b.add(f, ex, &entity_id));
        }
        let tx = &self.conn;
        // a filing loaded before is replaced; new ones need no deletes (they scan tables)
        for id in &replaced {
            for table in ["facts", "cells", "footings", "table_rows", "table_columns", "source_tables", "ex27_schedules", "documents", "filings"] {
                tx.execute(&format!("DELETE FROM {table} WHERE filing_id = ?"), params![id]).map_err(wrap)?;
            }
        }
        let full = b.facts.len() + b.cells.len() >= FLUSH_ROWS;
        self.pending = Some(b);
        if full {
            self.flush()?;
        }
        Ok(counts)
    }
}

/// Column batches of every table for a group of filings.
struct GroupBatches {
    filings: Batch,
    documents: Batch,
    tables: Batch,
    columns: Batch,
    rows: Batch,
    cells: Batch,
    footings: Batch,
    facts: Batch,
    schedules: Batch,
    /// Entities whose row must be (re)written.
    entity_ids: Vec<String>,
}

impl GroupBatches {
    fn new() -> GroupBatches {
        GroupBatches {
            filings: Batch::new(&[
                ("filing_id", "text"), ("entity_id", "text"), ("source_file", "text"), ("source_path", "text"), ("sha256", "text"),
                ("bytes", "big"), ("accession_number", "text"), ("cik", "text"), ("company_name", "text"), ("form_type", "text"),
                ("period_of_report", "date"), ("fiscal_year_end", "text"), ("filed_date", "date"), ("sic", "text"), ("irs_number", "text"),
                ("file_number", "text"), ("meta_source", "text"), ("n_documents", "int"), ("n_tables", "int"), ("n_facts", "int"),
                ("loaded_at", "ts"),
            ]),
            documents: Batch::new(&[
                ("filing_id", "text"), ("sequence", "int"), ("doc_type", "text"), ("filename", "text"), ("description", "text"),
                ("first_line", "int"), ("last_line", "int"), ("truncated", "bool"),
            ]),
            tables: Batch::new(&[
                ("filing_id", "text"), ("table_id", "int"), ("doc_sequence", "int"), ("doc_type", "text"), ("title", "text"),
                ("statement", "text"), ("first_line", "int"), ("last_line", "int"), ("title_line", "int"), ("scale", "dec"),
                ("scale_text", "text"), ("n_rows", "int"), ("n_columns", "int"), ("tagged", "bool"), ("caption", "text"),
            ]),
            columns: Batch::new(&[
                ("filing_id", "text"), ("table_id", "int"), ("column_index", "int"), ("label", "text"), ("is_text", "bool"),
                ("left_pos", "int"), ("right_pos", "int"),
            ]),
            rows: Batch::new(&[
                ("filing_id", "text"), ("table_id", "int"), ("row_index", "int"), ("line", "int"), ("label", "text"), ("sections", "text"),
                ("indent", "int"), ("rule_above", "text"), ("rule_below", "text"), ("concept", "text"), ("concept_source", "text"),
                ("section_code", "text"),
            ]),
            cells: Batch::new(&[
                ("filing_id", "text"), ("table_id", "int"), ("row_index", "int"), ("column_index", "int"), ("line", "int"),
                ("raw_text", "text"), ("kind", "text"), ("value", "dec"),
            ]),
            footings: Batch::new(&[("filing_id", "text"), ("table_id", "int"), ("total_row", "int"), ("component_row", "int")]),
            facts: Batch::new(&[
                ("filing_id", "text"), ("fact_id", "int"), ("source_file", "text"), ("line", "int"), ("table_id", "int"), ("row_index", "int"),
                ("column_index", "int"), ("table_title", "text"), ("statement", "text"), ("row_label", "text"), ("column_label", "text"),
                ("section", "text"), ("concept", "text"), ("concept_source", "text"), ("dimension", "text"), ("period_type", "text"),
                ("period_start", "date"), ("period_end", "date"), ("value", "dec"), ("unit", "text"), ("scale", "dec"), ("raw_text", "text"),
                ("footnote", "text"), ("source", "text"), ("entity_id", "text"),
            ]),
            schedules: Batch::new(&[
                ("filing_id", "text"), ("schedule", "int"), ("doc_sequence", "int"), ("doc_type", "text"), ("article", "text"),
                ("multiplier", "dec"), ("period_type", "text"), ("fiscal_year_end", "date"), ("period_start", "date"), ("period_end", "date"),
                ("restated", "bool"), ("flawed", "bool"), ("legend", "text"), ("line", "int"),
            ]),
            entity_ids: Vec::new(),
        }
    }

    /// In the order a reader would want them visible: filings last would not matter in
    /// one transaction, but keep parents first.
    fn tables(self) -> [(&'static str, Batch); 9] {
        [
            ("filings", self.filings),
            ("documents", self.documents),
            ("source_tables", self.tables),
            ("table_columns", self.columns),
            ("table_rows", self.rows),
            ("cells", self.cells),
            ("footings", self.footings),
            ("facts", self.facts),
            ("ex27_schedules", self.schedules),
        ]
    }

    fn add(&mut self, f: &Filing, ex: &Extracted, entity_id: &str) -> LoadCounts {
        let id = f.filing_id.as_str();
        let m = &f.meta;
        let fb = &mut self.filings;
        fb.str(id).str(entity_id).str(&f.source_file).str(&f.source_path).str(&f.sha256).big(Some(f.bytes as i64));
        fb.text(m.accession.as_deref()).text(m.cik.as_deref()).text(m.company_name.as_deref()).text(m.form_type.as_deref());
        fb.date(m.period_of_report).text(m.fiscal_year_end.map(|(mo, d)| format!("{mo:02}{d:02}"))).date(m.filed_date);
        fb.text(m.sic.as_deref()).text(m.irs_number.as_deref()).text(m.file_number.as_deref()).str(f.meta_source);
        fb.int(Some(f.documents.len() as i64)).int(Some(ex.tables.len() as i64)).int(Some((ex.facts.len() + ex.ex27.len()) as i64)).now();
        for d in &f.documents {
            self.documents.str(id).int(Some(d.sequence as i64)).str(&d.doc_type).text(d.filename.as_deref()).text(d.description.as_deref());
            self.documents.int(Some(d.start as i64)).int(Some(d.end as i64)).bool(Some(d.truncated));
        }
        let mut cells = 0;
        for (t, mapped) in ex.tables.iter().zip(&ex.concepts) {
            let tid = Some(t.id as i64);
            let tb = &mut self.tables;
            tb.str(id).int(tid).int(Some(t.doc_sequence as i64)).str(&t.doc_type).str(&t.title).str(t.kind.as_str());
            tb.int(Some(t.first_line as i64)).int(Some(t.last_line as i64)).int(t.title_line.map(|l| l as i64)).dec(Some(t.scale.factor));
            tb.text(t.scale.text.as_deref()).int(Some(t.rows.len() as i64)).int(Some(t.columns.len() as i64)).bool(Some(t.tagged));
            tb.text(Some(t.caption.join(" | ")));
            for c in &t.columns {
                self.columns.str(id).int(tid).int(Some(c.index as i64)).text(Some(c.label())).bool(Some(c.text));
                self.columns.int(Some(c.left as i64)).int(Some(c.right as i64));
            }
            for (ri, r) in t.rows.iter().enumerate() {
                let mp = &mapped[ri];
                let rb = &mut self.rows;
                rb.str(id).int(tid).int(Some(ri as i64)).int(Some(r.line as i64)).str(&r.label).text(Some(r.sections.join(" > ")));
                rb.int(Some(r.indent as i64)).str(rule_name(r.rule_above)).str(rule_name(r.rule_below)).str(&mp.concept).str(mp.source);
                rb.str(mp.section);
                let cb = &mut self.cells;
                cb.str(id).int(tid).int(Some(ri as i64)).int(Some(-1)).int(Some(r.line as i64)).str(&r.label).str("label").dec(None);
                cells += 1;
                for rc in &r.cells {
                    let (kind, value) = match &rc.cell {
                        Some(c) => (kind_name(c.kind), c.value),
                        None => ("text", None),
                    };
                    cb.str(id).int(tid).int(Some(ri as i64)).int(Some(rc.col as i64)).int(Some(r.line as i64)).str(&rc.text).str(kind).dec(value);
                    cells += 1;
                }
            }
            for (total, comps) in crate::footing::groups(t) {
                for c in comps {
                    self.footings.str(id).int(tid).int(Some(total as i64)).int(Some(c as i64));
                }
            }
        }
        self.add_facts(f, ex, entity_id);
        for (i, s) in ex.schedules.iter().enumerate() {
            let sb = &mut self.schedules;
            sb.str(id).int(Some(i as i64 + 1)).int(Some(s.doc_sequence as i64)).str(&s.doc_type).str(&s.article).dec(Some(s.multiplier));
            sb.text(s.period_type.as_deref()).date(s.fiscal_year_end).date(s.period_start).date(s.period_end).bool(Some(s.restated));
            sb.bool(Some(s.flawed)).text(s.legend.as_deref()).int(Some(s.line as i64));
        }
        LoadCounts { tables: ex.tables.len(), facts: ex.facts.len() + ex.ex27.len(), cells }
    }

    /// Table facts and EX-27 facts, in the facts table's column order.
    fn add_facts(&mut self, f: &Filing, ex: &Extracted, entity_id: &str) {
        let b = &mut self.facts;
        let titles: HashMap<usize, &str> = ex.tables.iter().map(|t| (t.id, t.title.as_str())).collect();
        let scales: HashMap<usize, Decimal> = ex.tables.iter().map(|t| (t.id, t.scale.factor)).collect();
        for (i, x) in ex.facts.iter().enumerate() {
            let scale = if x.unit == "USD" { scales.get(&x.table_id).copied() } else { Some(Decimal::ONE) };
            b.str(&f.filing_id).int(Some(i as i64 + 1)).str(&f.source_file).int(Some(x.line as i64)).int(Some(x.table_id as i64));
            b.int(Some(x.row as i64)).int(Some(x.col as i64)).str(titles.get(&x.table_id).copied().unwrap_or("")).str(x.statement.as_str());
            b.str(&x.row_label).str(&x.column_label).str(x.section).str(&x.concept).str(x.concept_source).text(x.dimension.clone());
            b.str(x.period.kind()).date(x.period.start()).date(x.period.end()).dec(Some(x.value)).str(x.unit).dec(scale).str(&x.raw);
            b.text(x.footnote.as_deref()).str("table").str(entity_id);
        }
        let base = ex.facts.len() as i64;
        for (i, x) in ex.ex27.iter().enumerate() {
            let s = &ex.schedules[x.schedule];
            let title = format!("EX-27 Financial Data Schedule{}", if s.restated { " (restated)" } else { "" });
            let statement = if matches!(x.period, crate::periods::Period::Instant { .. }) { "balance" } else { "income" };
            let scale = if x.unit == "USD" { s.multiplier } else { Decimal::ONE };
            b.str(&f.filing_id).int(Some(base + i as i64 + 1)).str(&f.source_file).int(Some(x.line as i64)).int(None).int(None).int(None);
            b.text(Some(title)).str(statement).str(&x.tag).text(s.period_type.clone()).str("none").str(&x.concept);
            b.str(if x.mapped { "ex27" } else { "label" }).text(None::<String>).str(x.period.kind()).date(x.period.start()).date(x.period.end());
            b.dec(Some(x.value)).str(x.unit).dec(Some(scale)).str(&x.raw).text(None::<String>).str("ex27").str(entity_id);
        }
    }
}

fn kind_name(k: crate::cells::CellKind) -> &'static str {
    use crate::cells::CellKind::*;
    match k {
        Number => "number",
        Dash => "dash",
        NotAvailable => "not_available",
        BelowRounding => "below_rounding",
    }
}
