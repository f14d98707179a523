//! The DuckDB warehouse: open (create schema and views), resolve entities, write one
//! filing per transaction with the Appender, record load errors.

use super::{EX27_VIEWS_SQL, SCHEMA_SQL, VIEWS_SQL};
use crate::facts::Extracted;
use crate::filing::{EntityKeys, Filing};
use crate::layout::Rule;
use duckdb::{params, Connection, OptionalExt};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

pub struct Warehouse {
    conn: Connection,
    pub path: PathBuf,
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
        let w = Warehouse { conn, path: path.to_path_buf() };
        w.conn.execute_batch(SCHEMA_SQL).map_err(|e| w.err(e))?;
        w.conn.execute_batch(VIEWS_SQL).map_err(|e| w.err(e))?;
        w.conn.execute_batch(EX27_VIEWS_SQL).map_err(|e| w.err(e))?;
        Ok(w)
    }

    /// Open an existing warehouse read-only (queries, exports); fails if it doesn't exist.
    pub fn open_existing(path: &Path) -> Result<Warehouse, StoreError> {
        if !path.exists() {
            return Err(StoreError::Db {
                path: path.display().to_string(),
                source: duckdb::Error::InvalidPath(path.to_path_buf()),
            });
        }
        Warehouse::open(path)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn err(&self, source: duckdb::Error) -> StoreError {
        StoreError::Db { path: self.path.display().to_string(), source }
    }

    /// Is a filing with this id or content already loaded?
    pub fn has_filing(&self, filing_id: &str, sha256: &str) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM filings WHERE filing_id = ? OR sha256 = ?", params![filing_id, sha256], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    pub fn log_error(&self, source_path: &str, stage: &str, line: Option<usize>, level: &str, message: &str) -> Result<(), StoreError> {
        let file = Path::new(source_path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO load_errors VALUES (current_timestamp, ?, ?, ?, ?, ?, ?)",
                params![file, source_path, stage, line.map(|l| l as i64), level, message],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Write one filing in one transaction, replacing any earlier load of it.
    pub fn load(&mut self, f: &Filing, ex: &Extracted) -> Result<LoadCounts, StoreError> {
        let path = self.path.display().to_string();
        let wrap = |e: duckdb::Error| StoreError::Db { path: path.clone(), source: e };
        let tx = self.conn.transaction().map_err(wrap)?;
        for table in ["facts", "cells", "footings", "table_rows", "table_columns", "source_tables", "ex27_schedules", "documents", "filings"] {
            tx.execute(&format!("DELETE FROM {table} WHERE filing_id = ?"), params![f.filing_id]).map_err(wrap)?;
        }
        let entity_id = resolve_entity(&tx, &f.entity, f.meta.company_name.as_deref()).map_err(wrap)?;
        let mut counts = LoadCounts { tables: ex.tables.len(), facts: ex.facts.len(), cells: 0 };
        {
            let fye = f.meta.fiscal_year_end.map(|(m, d)| format!("{m:02}{d:02}"));
            tx.execute(
                "INSERT INTO filings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
                params![
                    f.filing_id,
                    entity_id,
                    f.source_file,
                    f.source_path,
                    f.sha256,
                    f.bytes as i64,
                    f.meta.accession,
                    f.meta.cik,
                    f.meta.company_name,
                    f.meta.form_type,
                    f.meta.period_of_report,
                    fye,
                    f.meta.filed_date,
                    f.meta.sic,
                    f.meta.irs_number,
                    f.meta.file_number,
                    f.meta_source,
                    f.documents.len() as i64,
                    ex.tables.len() as i64,
                    (ex.facts.len() + ex.ex27.len()) as i64,
                ],
            )
            .map_err(wrap)?;
            let mut app = tx.appender("documents").map_err(wrap)?;
            for d in &f.documents {
                app.append_row(params![f.filing_id, d.sequence as i64, d.doc_type, d.filename, d.description, d.start as i64, d.end as i64, d.truncated])
                    .map_err(wrap)?;
            }
            app.flush().map_err(wrap)?;
        }
        {
            let mut tables = tx.appender("source_tables").map_err(wrap)?;
            let mut cols = tx.appender("table_columns").map_err(wrap)?;
            let mut rows = tx.appender("table_rows").map_err(wrap)?;
            let mut cells = tx.appender("cells").map_err(wrap)?;
            let mut foots = tx.appender("footings").map_err(wrap)?;
            for (t, mapped) in ex.tables.iter().zip(&ex.concepts) {
                let tid = t.id as i64;
                tables
                    .append_row(params![
                        f.filing_id,
                        tid,
                        t.doc_sequence as i64,
                        t.doc_type,
                        t.title,
                        t.kind.as_str(),
                        t.first_line as i64,
                        t.last_line as i64,
                        t.title_line.map(|l| l as i64),
                        t.scale.factor,
                        t.scale.text,
                        t.rows.len() as i64,
                        t.columns.len() as i64,
                        t.tagged,
                        t.caption.join(" | "),
                    ])
                    .map_err(wrap)?;
                for c in &t.columns {
                    cols.append_row(params![f.filing_id, tid, c.index as i64, c.label(), c.text, c.left as i64, c.right as i64]).map_err(wrap)?;
                }
                for (ri, r) in t.rows.iter().enumerate() {
                    let m = &mapped[ri];
                    rows.append_row(params![
                        f.filing_id,
                        tid,
                        ri as i64,
                        r.line as i64,
                        r.label,
                        r.sections.join(" > "),
                        r.indent as i64,
                        rule_name(r.rule_above),
                        rule_name(r.rule_below),
                        m.concept,
                        m.source,
                        m.section,
                    ])
                    .map_err(wrap)?;
                    cells
                        .append_row(params![f.filing_id, tid, ri as i64, -1i64, r.line as i64, r.label, "label", Option::<Decimal>::None])
                        .map_err(wrap)?;
                    counts.cells += 1;
                    for rc in &r.cells {
                        let (kind, value) = match &rc.cell {
                            Some(c) => (kind_name(c.kind), c.value),
                            None => ("text", None),
                        };
                        cells
                            .append_row(params![f.filing_id, tid, ri as i64, rc.col as i64, r.line as i64, rc.text, kind, value])
                            .map_err(wrap)?;
                        counts.cells += 1;
                    }
                }
                for (total, comps) in crate::footing::groups(t) {
                    for c in comps {
                        foots.append_row(params![f.filing_id, tid, total as i64, c as i64]).map_err(wrap)?;
                    }
                }
            }
            for a in [&mut tables, &mut cols, &mut rows, &mut cells, &mut foots] {
                a.flush().map_err(wrap)?;
            }
        }
        {
            let titles: std::collections::HashMap<usize, &str> = ex.tables.iter().map(|t| (t.id, t.title.as_str())).collect();
            let scales: std::collections::HashMap<usize, Decimal> = ex.tables.iter().map(|t| (t.id, t.scale.factor)).collect();
            let mut app = tx.appender("facts").map_err(wrap)?;
            for (i, fact) in ex.facts.iter().enumerate() {
                let scale = if fact.unit == "USD" { scales.get(&fact.table_id).copied() } else { Some(Decimal::ONE) };
                app.append_row(params![
                    f.filing_id,
                    i as i64 + 1,
                    f.source_file,
                    fact.line as i64,
                    fact.table_id as i64,
                    fact.row as i64,
                    fact.col as i64,
                    titles.get(&fact.table_id).copied().unwrap_or(""),
                    fact.statement.as_str(),
                    fact.row_label,
                    fact.column_label,
                    fact.section,
                    fact.concept,
                    fact.concept_source,
                    fact.dimension,
                    fact.period.kind(),
                    fact.period.start(),
                    fact.period.end(),
                    fact.value,
                    fact.unit,
                    scale,
                    fact.raw,
                    fact.footnote,
                    "table",
                    entity_id,
                ])
                .map_err(wrap)?;
            }
            // EX-27 schedules and their facts
            let base = ex.facts.len() as i64;
            for (i, x) in ex.ex27.iter().enumerate() {
                let s = &ex.schedules[x.schedule];
                let title = format!("EX-27 Financial Data Schedule{}", if s.restated { " (restated)" } else { "" });
                let statement = if matches!(x.period, crate::periods::Period::Instant { .. }) { "balance" } else { "income" };
                app.append_row(params![
                    f.filing_id,
                    base + i as i64 + 1,
                    f.source_file,
                    x.line as i64,
                    Option::<i64>::None,
                    Option::<i64>::None,
                    Option::<i64>::None,
                    title,
                    statement,
                    x.tag,
                    s.period_type.clone().unwrap_or_default(),
                    "none",
                    x.concept,
                    if x.mapped { "ex27" } else { "label" },
                    Option::<String>::None,
                    x.period.kind(),
                    x.period.start(),
                    x.period.end(),
                    x.value,
                    x.unit,
                    if x.unit == "USD" { Some(s.multiplier) } else { Some(Decimal::ONE) },
                    x.raw,
                    Option::<String>::None,
                    "ex27",
                    entity_id,
                ])
                .map_err(wrap)?;
            }
            app.flush().map_err(wrap)?;
            counts.facts += ex.ex27.len();
            let mut sch = tx.appender("ex27_schedules").map_err(wrap)?;
            for (i, s) in ex.schedules.iter().enumerate() {
                sch.append_row(params![
                    f.filing_id,
                    i as i64 + 1,
                    s.doc_sequence as i64,
                    s.doc_type,
                    s.article,
                    s.multiplier,
                    s.period_type,
                    s.fiscal_year_end,
                    s.period_start,
                    s.period_end,
                    s.restated,
                    s.flawed,
                    s.legend,
                    s.line as i64,
                ])
                .map_err(wrap)?;
            }
            sch.flush().map_err(wrap)?;
        }
        tx.commit().map_err(wrap)?;
        Ok(counts)
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

/// One entity per company: match any known key (CIK, file number, IRS number, name),
/// fill in keys the entity did not have yet, or create it.
fn resolve_entity(conn: &Connection, k: &EntityKeys, name: Option<&str>) -> duckdb::Result<String> {
    let probes: [(&str, &Option<String>); 4] =
        [("cik", &k.cik), ("file_number", &k.file_number), ("irs_number", &k.irs_number), ("name_key", &k.name_key)];
    let mut found: Option<String> = None;
    for (col, val) in probes.iter() {
        let Some(v) = val else { continue };
        let sql = format!("SELECT entity_id FROM entities WHERE {col} = ? ORDER BY entity_id LIMIT 1");
        if let Some(id) = conn.query_row(&sql, params![v], |r| r.get::<_, String>(0)).optional()? {
            // a different CIK means a different company, whatever else matches
            let other_cik: Option<String> =
                conn.query_row("SELECT cik FROM entities WHERE entity_id = ?", params![id], |r| r.get(0)).optional()?.flatten();
            if let (Some(a), Some(b)) = (&other_cik, &k.cik) {
                if a != b {
                    continue;
                }
            }
            found = Some(id);
            break;
        }
    }
    match found {
        Some(id) => {
            conn.execute(
                "UPDATE entities SET cik = coalesce(cik, ?), file_number = coalesce(file_number, ?), irs_number = coalesce(irs_number, ?), \
                 name_key = coalesce(name_key, ?), entity_name = coalesce(entity_name, ?) WHERE entity_id = ?",
                params![k.cik, k.file_number, k.irs_number, k.name_key, name, id],
            )?;
            Ok(id)
        }
        None => {
            let id = k.preferred_id();
            conn.execute(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                params![id, k.cik, k.file_number, k.irs_number, k.name_key, name],
            )?;
            Ok(id)
        }
    }
}
