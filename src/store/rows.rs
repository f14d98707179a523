//! The rows one filing adds to each warehouse table, as Arrow record batches. They are built
//! on the parse threads, so the single writer only resolves the entity and appends; a parsed
//! filing waiting for the writer is held in these compact columns, not in its Rust structs.

use super::batch::Batch;
use super::scan::Part;
use super::warehouse::LoadCounts;
use crate::facts::Extracted;
use crate::filing::Filing;
use crate::layout::Rule;
use duckdb::arrow::error::ArrowError;
use duckdb::arrow::record_batch::RecordBatch;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// The tables a filing writes, parents first.
pub const TABLES: [&str; 9] = ["filings", "documents", "source_tables", "table_columns", "table_rows", "cells", "footings", "facts", "ex27_schedules"];

/// One filing's rows of every table in `TABLES` (cheap to clone: the columns are shared).
#[derive(Clone)]
pub struct Rows {
    /// Without the columns of one value in every row (`filing_id`; `source_file` of facts;
    /// `entity_id`, which the writer resolves): the insert scan adds them.
    batches: Vec<RecordBatch>,
    filing_id: Arc<str>,
    source_file: Arc<str>,
    pub counts: LoadCounts,
}

impl Rows {
    pub fn of(f: &Filing, ex: &Extracted) -> Result<Rows, ArrowError> {
        let mut b = GroupBatches::new(f, ex);
        let counts = b.add(f, ex);
        let batches = b.tables().into_iter().map(|(_, batch)| batch.finish()).collect::<Result<Vec<_>, _>>()?;
        Ok(Rows { batches, filing_id: Arc::from(f.filing_id.as_str()), source_file: Arc::from(f.source_file.as_str()), counts })
    }

    /// Rows of table `i` of `TABLES`.
    pub fn len(&self, i: usize) -> usize {
        self.batches.get(i).map_or(0, |b| b.num_rows())
    }

    /// Bytes the columns hold.
    pub fn memory(&self) -> usize {
        self.batches.iter().map(|b| b.get_array_memory_size()).sum()
    }

    /// Facts and cells: what the writer's flush and commit sizes count.
    pub fn weight(&self) -> usize {
        self.counts.facts + self.counts.cells
    }

    /// The rows of table `i` for the insert scan, with the filing's entity in its place.
    pub fn part(&self, i: usize, entity_id: &str) -> Part {
        let batch = self.batches[i].clone();
        let id = (0, self.filing_id.clone());
        let extra = match TABLES[i] {
            "filings" => vec![id, (1, Arc::from(entity_id))],
            // filing_id, fact_id, source_file, ..., entity_id
            "facts" => vec![id, (2, self.source_file.clone()), (batch.num_columns() + 2, Arc::from(entity_id))],
            _ => vec![id],
        };
        Part { batch, extra }
    }
}

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::None => "none",
        Rule::Single => "single",
        Rule::Double => "double",
    }
}

/// Column batches of every table for one filing.
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
}

impl GroupBatches {
    /// Batches with room for the filing's rows (footings, counted only as they are found, grow).
    fn new(f: &Filing, ex: &Extracted) -> GroupBatches {
        let columns: usize = ex.tables.iter().map(|t| t.columns.len()).sum();
        let rows: usize = ex.tables.iter().map(|t| t.rows.len()).sum();
        let cells = rows + ex.tables.iter().flat_map(|t| &t.rows).map(|r| r.cells.len()).sum::<usize>();
        let facts = ex.facts.len() + ex.ex27.len();
        GroupBatches {
            filings: Batch::with_rows(&[
                ("source_file", "text"), ("source_path", "text"), ("sha256", "text"),
                ("bytes", "big"), ("accession_number", "text"), ("cik", "text"), ("company_name", "text"), ("form_type", "text"),
                ("period_of_report", "date"), ("fiscal_year_end", "text"), ("filed_date", "date"), ("sic", "text"), ("irs_number", "text"),
                ("file_number", "text"), ("meta_source", "text"), ("n_documents", "int"), ("n_tables", "int"), ("n_facts", "int"),
                ("loaded_at", "ts"),
            ], 1),
            documents: Batch::with_rows(&[
                ("sequence", "int"), ("doc_type", "text"), ("filename", "text"), ("description", "text"),
                ("first_line", "int"), ("last_line", "int"), ("truncated", "bool"),
            ], f.documents.len()),
            tables: Batch::with_rows(&[
                ("table_id", "int"), ("doc_sequence", "int"), ("doc_type", "text"), ("title", "text"),
                ("statement", "text"), ("first_line", "int"), ("last_line", "int"), ("title_line", "int"), ("scale", "dec"),
                ("scale_text", "text"), ("n_rows", "int"), ("n_columns", "int"), ("tagged", "bool"), ("caption", "text"),
            ], ex.tables.len()),
            columns: Batch::with_rows(&[
                ("table_id", "int"), ("column_index", "int"), ("label", "text"), ("is_text", "bool"),
                ("left_pos", "int"), ("right_pos", "int"),
            ], columns),
            rows: Batch::with_rows(&[
                ("table_id", "int"), ("row_index", "int"), ("line", "int"), ("label", "text"), ("sections", "text"),
                ("indent", "int"), ("rule_above", "text"), ("rule_below", "text"), ("concept", "text"), ("concept_source", "text"),
                ("section_code", "text"),
            ], rows),
            cells: Batch::with_rows(&[
                ("table_id", "int"), ("row_index", "int"), ("column_index", "int"), ("line", "int"),
                ("raw_text", "text"), ("kind", "text"), ("value", "dec"),
            ], cells),
            footings: Batch::new(&[("table_id", "int"), ("total_row", "int"), ("component_row", "int")]),
            facts: Batch::with_rows(&[
                ("fact_id", "int"), ("line", "int"), ("table_id", "int"), ("row_index", "int"),
                ("column_index", "int"), ("table_title", "text"), ("statement", "text"), ("row_label", "text"), ("column_label", "text"),
                ("section", "text"), ("concept", "text"), ("concept_source", "text"), ("dimension", "text"), ("period_type", "text"),
                ("period_start", "date"), ("period_end", "date"), ("value", "dec"), ("unit", "text"), ("scale", "dec"), ("raw_text", "text"),
                ("footnote", "text"), ("source", "text"),
            ], facts),
            schedules: Batch::with_rows(&[
                ("schedule", "int"), ("doc_sequence", "int"), ("doc_type", "text"), ("article", "text"),
                ("multiplier", "dec"), ("period_type", "text"), ("fiscal_year_end", "date"), ("period_start", "date"), ("period_end", "date"),
                ("restated", "bool"), ("flawed", "bool"), ("legend", "text"), ("line", "int"),
            ], ex.schedules.len()),
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

    fn add(&mut self, f: &Filing, ex: &Extracted) -> LoadCounts {
        let m = &f.meta;
        let fb = &mut self.filings;
        fb.str(&f.source_file).str(&f.source_path).str(&f.sha256).big(Some(f.bytes as i64));
        fb.text(m.accession.as_deref()).text(m.cik.as_deref()).text(m.company_name.as_deref()).text(m.form_type.as_deref());
        fb.date(m.period_of_report).text(m.fiscal_year_end.map(|(mo, d)| format!("{mo:02}{d:02}"))).date(m.filed_date);
        fb.text(m.sic.as_deref()).text(m.irs_number.as_deref()).text(m.file_number.as_deref()).str(f.meta_source);
        fb.int(Some(f.documents.len() as i64)).int(Some(ex.tables.len() as i64)).int(Some((ex.facts.len() + ex.ex27.len()) as i64)).now();
        for d in &f.documents {
            self.documents.int(Some(d.sequence as i64)).str(&d.doc_type).text(d.filename.as_deref()).text(d.description.as_deref());
            self.documents.int(Some(d.start as i64)).int(Some(d.end as i64)).bool(Some(d.truncated));
        }
        let mut cells = 0;
        for (t, mapped) in ex.tables.iter().zip(&ex.concepts) {
            let tid = Some(t.id as i64);
            let tb = &mut self.tables;
            tb.int(tid).int(Some(t.doc_sequence as i64)).str(&t.doc_type).str(&t.title).str(t.kind.as_str());
            tb.int(Some(t.first_line as i64)).int(Some(t.last_line as i64)).int(t.title_line.map(|l| l as i64)).dec(Some(t.scale.factor));
            tb.text(t.scale.text.as_deref()).int(Some(t.rows.len() as i64)).int(Some(t.columns.len() as i64)).bool(Some(t.tagged));
            tb.text(Some(t.caption.join(" | ")));
            for c in &t.columns {
                self.columns.int(tid).int(Some(c.index as i64)).text(Some(c.label())).bool(Some(c.text));
                self.columns.int(Some(c.left as i64)).int(Some(c.right as i64));
            }
            for (ri, r) in t.rows.iter().enumerate() {
                let mp = &mapped[ri];
                let rb = &mut self.rows;
                rb.int(tid).int(Some(ri as i64)).int(Some(r.line as i64)).str(&r.label).text(Some(r.sections.join(" > ")));
                rb.int(Some(r.indent as i64)).str(rule_name(r.rule_above)).str(rule_name(r.rule_below)).str(&mp.concept).str(mp.source);
                rb.str(mp.section);
                let cb = &mut self.cells;
                cb.int(tid).int(Some(ri as i64)).int(Some(-1)).int(Some(r.line as i64)).str(&r.label).str("label").dec(None);
                cells += 1;
                for rc in &r.cells {
                    let (kind, value) = match &rc.cell {
                        Some(c) => (kind_name(c.kind), c.value),
                        None => ("text", None),
                    };
                    cb.int(tid).int(Some(ri as i64)).int(Some(rc.col as i64)).int(Some(r.line as i64)).str(&rc.text).str(kind).dec(value);
                    cells += 1;
                }
            }
            for (total, comps) in crate::footing::groups(t) {
                for c in comps {
                    self.footings.int(tid).int(Some(total as i64)).int(Some(c as i64));
                }
            }
        }
        self.add_facts(ex);
        for (i, s) in ex.schedules.iter().enumerate() {
            let sb = &mut self.schedules;
            sb.int(Some(i as i64 + 1)).int(Some(s.doc_sequence as i64)).str(&s.doc_type).str(&s.article).dec(Some(s.multiplier));
            sb.text(s.period_type.as_deref()).date(s.fiscal_year_end).date(s.period_start).date(s.period_end).bool(Some(s.restated));
            sb.bool(Some(s.flawed)).text(s.legend.as_deref()).int(Some(s.line as i64));
        }
        LoadCounts { tables: ex.tables.len(), facts: ex.facts.len() + ex.ex27.len(), cells }
    }

    /// Table facts and EX-27 facts, in the facts table's column order.
    fn add_facts(&mut self, ex: &Extracted) {
        let b = &mut self.facts;
        let titles: HashMap<usize, &str> = ex.tables.iter().map(|t| (t.id, t.title.as_str())).collect();
        let scales: HashMap<usize, Decimal> = ex.tables.iter().map(|t| (t.id, t.scale.factor)).collect();
        for (i, x) in ex.facts.iter().enumerate() {
            let scale = if x.unit == "USD" { scales.get(&x.table_id).copied() } else { Some(Decimal::ONE) };
            b.int(Some(i as i64 + 1)).int(Some(x.line as i64)).int(Some(x.table_id as i64));
            b.int(Some(x.row as i64)).int(Some(x.col as i64)).str(titles.get(&x.table_id).copied().unwrap_or("")).str(x.statement.as_str());
            b.str(&x.row_label).str(&x.column_label).str(x.section).str(&x.concept).str(x.concept_source).text(x.dimension.clone());
            b.str(x.period.kind()).date(x.period.start()).date(x.period.end()).dec(Some(x.value)).str(x.unit).dec(scale).str(&x.raw);
            b.text(x.footnote.as_deref()).str("table");
        }
        let base = ex.facts.len() as i64;
        for (i, x) in ex.ex27.iter().enumerate() {
            let s = &ex.schedules[x.schedule];
            let title = format!("EX-27 Financial Data Schedule{}", if s.restated { " (restated)" } else { "" });
            let statement = if matches!(x.period, crate::periods::Period::Instant { .. }) { "balance" } else { "income" };
            let scale = if x.unit == "USD" { s.multiplier } else { Decimal::ONE };
            b.int(Some(base + i as i64 + 1)).int(Some(x.line as i64)).int(None).int(None).int(None);
            b.text(Some(title)).str(statement).str(&x.tag).text(s.period_type.clone()).str("none").str(&x.concept);
            b.str(if x.mapped { "ex27" } else { "label" }).text(None::<String>).str(x.period.kind()).date(x.period.start()).date(x.period.end());
            b.dec(Some(x.value)).str(x.unit).dec(Some(scale)).str(&x.raw).text(None::<String>).str("ex27");
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
