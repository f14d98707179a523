//! `load --out-parquet DIR`: facts of a shard of inputs straight to Hive-partitioned
//! Parquet (entity_id=/fiscal_year=), no DuckDB file. Filings go through an in-memory
//! warehouse (the same code path as a normal load) that is written out and emptied every
//! few hundred thousand facts, so memory stays bounded whatever the shard size.

use super::{quote_literal, Warehouse};
use crate::facts::Extracted;
use crate::filing::Filing;
use std::path::{Path, PathBuf};

const FLUSH_FACTS: usize = 400_000;

pub struct ParquetSink {
    wh: Warehouse,
    dir: PathBuf,
    pending: usize,
    flushes: usize,
}

impl ParquetSink {
    pub fn create(dir: &Path) -> anyhow::Result<ParquetSink> {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        Ok(ParquetSink { wh: Warehouse::open_in_memory()?, dir: dir.to_path_buf(), pending: 0, flushes: 0 })
    }

    pub fn write(&mut self, f: &Filing, ex: &Extracted) -> anyhow::Result<()> {
        let c = self.wh.load(f, ex)?;
        self.pending += c.facts;
        if self.pending >= FLUSH_FACTS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let sql = format!(
            "COPY (SELECT *, year(period_end) AS fiscal_year FROM v_facts) TO {} \
             (FORMAT parquet, PARTITION_BY (entity_id, fiscal_year), APPEND, FILENAME_PATTERN {})",
            quote_literal(&self.dir.display().to_string()),
            quote_literal(&format!("facts_{}_{{uuid}}", std::process::id()))
        );
        self.wh.conn().execute_batch(&sql).map_err(|e| anyhow::anyhow!("{}: writing Parquet: {e}", self.dir.display()))?;
        // keep entities (they resolve later filings of the same company); drop the rest
        self.wh
            .conn()
            .execute_batch(
                "DELETE FROM facts; DELETE FROM cells; DELETE FROM footings; DELETE FROM table_rows; DELETE FROM table_columns; \
                 DELETE FROM source_tables; DELETE FROM ex27_schedules; DELETE FROM documents; DELETE FROM filings;",
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        self.pending = 0;
        self.flushes += 1;
        Ok(())
    }

    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.flush()
    }
}
