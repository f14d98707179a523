//! `load --out-parquet DIR`: facts of a shard of inputs straight to Hive-partitioned
//! Parquet (fiscal_year= by default), no DuckDB file. Rows have the columns of `v_facts`
//! (plus `fiscal_year`), so shards written on many machines and `export --format parquet`
//! read as one data set. Filings' rows wait as Arrow batches and are written out every
//! `FLUSH_FACTS` facts straight from them (a scan, no table in between), so memory stays
//! bounded whatever the shard size.
//! Each flush writes one file per partition: partitions by company would make a file per
//! company per flush (12,916 files of a few KB for the 1,000 bench filings, 7x slower than
//! by year), so the default is by year, each filing's rows together inside. (Sorting a flush
//! by company spilled under the memory limit and took minutes.)
//! Without a warehouse there is no cross-filing entity resolution: `entity_id` is the
//! CIK when the filing states it (as in a warehouse), else the filing's own best key.

use super::batch::Batch;
use super::scan;
use super::quote_literal;
use crate::facts::Extracted;
use crate::filing::Filing;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::Connection;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// Facts per flush. Measured on the bench corpus: 100,000 held 300 MB at the peak; 60,000
/// hold 250-270 MB and write a file per partition about every 65 filings.
const FLUSH_FACTS: usize = 60_000;

const COLUMNS: [(&str, &str, &str); 31] = [
    ("filing_id", "text", "VARCHAR"),
    ("source_file", "text", "VARCHAR"),
    ("line", "int", "INTEGER"),
    ("table_id", "int", "INTEGER"),
    ("table_title", "text", "VARCHAR"),
    ("statement", "text", "VARCHAR"),
    ("row_label", "text", "VARCHAR"),
    ("column_label", "text", "VARCHAR"),
    ("concept", "text", "VARCHAR"),
    ("period_type", "text", "VARCHAR"),
    ("period_start", "date", "DATE"),
    ("period_end", "date", "DATE"),
    ("value", "dec", "DECIMAL(38,6)"),
    ("unit", "text", "VARCHAR"),
    ("entity_id", "text", "VARCHAR"),
    ("entity_name", "text", "VARCHAR"),
    ("cik", "text", "VARCHAR"),
    ("form_type", "text", "VARCHAR"),
    ("concept_source", "text", "VARCHAR"),
    ("dimension", "text", "VARCHAR"),
    ("section", "text", "VARCHAR"),
    ("raw_text", "text", "VARCHAR"),
    ("footnote", "text", "VARCHAR"),
    ("source", "text", "VARCHAR"),
    ("scale", "dec", "DECIMAL(38,6)"),
    ("period_of_report", "date", "DATE"),
    ("accession_number", "text", "VARCHAR"),
    ("fact_id", "int", "INTEGER"),
    ("row_index", "int", "INTEGER"),
    ("column_index", "int", "INTEGER"),
    ("fiscal_year", "int", "INTEGER"),
];

pub struct ParquetSink {
    conn: Connection,
    dir: PathBuf,
    /// Filings' rows not yet written.
    batches: Vec<RecordBatch>,
    pending: usize,
    partition_by: Vec<String>,
    flushes: usize,
}

impl ParquetSink {
    /// `partition_by`: columns of the output (empty, or just "none", for flat files).
    pub fn create(dir: &Path, partition_by: &[String]) -> anyhow::Result<ParquetSink> {
        let partition_by: Vec<String> = partition_by.iter().map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty() && c != "none").collect();
        for c in &partition_by {
            if !COLUMNS.iter().any(|(n, _, _)| n == c) {
                let names: Vec<&str> = COLUMNS.iter().map(|(n, _, _)| *n).collect();
                anyhow::bail!("--partition-by {c}: no such column (one of: {})", names.join(", "));
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let conn = Connection::open_in_memory()?;
        // one thread: the parse threads have the cores. DuckDB's second thread for the COPY
        // only competed with them (bench corpus: 3.6-4.2 -> 3.0-3.1 s, a sixth less CPU; by
        // company 24.9 -> 22.8 s; the same files and rows)
        conn.execute_batch("SET memory_limit = '64MB'; SET threads = 1;")?;
        conn.register_table_function::<scan::RowsScan>(scan::FUNCTION)?;
        Ok(ParquetSink { conn, dir: dir.to_path_buf(), batches: Vec::new(), pending: 0, partition_by, flushes: 0 })
    }

    pub fn write(&mut self, f: &Filing, ex: &Extracted) -> anyhow::Result<()> {
        self.write_rows(Self::rows(f, ex)?)
    }

    /// A filing's output rows, built wherever the filing was parsed (no state of the sink:
    /// without a warehouse the entity is the filing's own best key).
    pub fn rows(f: &Filing, ex: &Extracted) -> Result<RecordBatch, duckdb::arrow::error::ArrowError> {
        let spec: Vec<(&'static str, &'static str)> = COLUMNS.iter().map(|(n, k, _)| (*n, *k)).collect();
        let mut b = Batch::new(&spec);
        let entity = f.entity.preferred_id();
        let titles: std::collections::HashMap<usize, &crate::layout::Table> = ex.tables.iter().map(|t| (t.id, t)).collect();
        for (i, x) in ex.facts.iter().enumerate() {
            let t = titles.get(&x.table_id);
            let scale = if x.unit == "USD" { t.map(|t| t.scale.factor) } else { Some(Decimal::ONE) };
            b.str(&f.filing_id).str(&f.source_file).int(Some(x.line as i64)).int(Some(x.table_id as i64));
            b.str(t.map(|t| t.title.as_str()).unwrap_or("")).str(x.statement.as_str()).str(&x.row_label).str(&x.column_label);
            b.str(&x.concept).str(x.period.kind()).date(x.period.start()).date(x.period.end()).dec(Some(x.value)).str(x.unit);
            b.str(&entity).text(f.meta.company_name.as_deref()).text(f.meta.cik.as_deref()).text(f.meta.form_type.as_deref());
            b.str(x.concept_source).text(x.dimension.as_deref()).str(x.section).str(&x.raw).text(x.footnote.as_deref()).str("table");
            b.dec(scale).date(f.meta.period_of_report).text(f.meta.accession.as_deref()).int(Some(i as i64 + 1));
            b.int(Some(x.row as i64)).int(Some(x.col as i64)).int(x.period.end().map(|d| chrono::Datelike::year(&d) as i64));
        }
        b.finish()
    }

    /// Add a filing's rows (see `rows`); written out every `FLUSH_FACTS` facts.
    pub fn write_rows(&mut self, rows: RecordBatch) -> anyhow::Result<()> {
        if rows.num_rows() > 0 {
            self.pending += rows.num_rows();
            self.batches.push(rows);
        }
        if self.pending >= FLUSH_FACTS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let parts = scan::Parts::new(std::mem::take(&mut self.batches).into_iter().map(|batch| scan::Part { batch, extra: Vec::new() }).collect());
        let rows = format!("(SELECT * FROM {}({}))", scan::FUNCTION, parts.token());
        // a file name no other machine or flush can take: process, flush number, uuid or time
        let stem = format!("facts_{}_{}", std::process::id(), self.flushes);
        self.flushes += 1;
        let sql = if self.partition_by.is_empty() {
            // a flat file has no {uuid}: the start time in nanoseconds tells machines apart
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            let file = self.dir.join(format!("{stem}_{nanos:x}.parquet"));
            format!("COPY {rows} TO {} (FORMAT parquet)", quote_literal(&file.display().to_string()))
        } else {
            format!(
                "COPY {rows} TO {} (FORMAT parquet, PARTITION_BY ({}), APPEND, FILENAME_PATTERN {})",
                quote_literal(&self.dir.display().to_string()),
                self.partition_by.join(", "),
                quote_literal(&format!("{stem}_{{uuid}}"))
            )
        };
        self.conn.execute_batch(&sql).map_err(|e| anyhow::anyhow!("{}: writing Parquet: {e}", self.dir.display()))?;
        drop(parts);
        self.pending = 0;
        Ok(())
    }

    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.flush()
    }
}
