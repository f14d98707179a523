"""Parquet read back with DuckDB and pyarrow: DECIMAL(38,6) values and DATE dates intact."""

import decimal
import glob
import os
import unittest

from common import ClientTest, path

try:
    import duckdb
except ImportError:
    duckdb = None
try:
    import pyarrow
    import pyarrow.dataset
    import pyarrow.parquet
except ImportError:
    pyarrow = None


def parquet_file():
    return glob.glob(path("*.parquet"))[0]


@unittest.skipIf(pyarrow is None, "Python package pyarrow not installed (make test-clients installs it)")
class PyArrow(ClientTest):
    def test_single_file(self):
        table = pyarrow.parquet.read_table(parquet_file())
        self.assertEqual(table.schema.field("value").type, pyarrow.decimal128(38, 6))
        self.assertEqual(table.schema.field("period_end").type, pyarrow.date32())
        self.assertEqual(table.schema.field("period_start").type, pyarrow.date32())
        self.assertEqual(table.schema.names, self.columns)
        self.assertSameFacts(table.to_pylist(), "pyarrow")
        self.assertIsInstance(table.to_pylist()[0]["value"], decimal.Decimal)

    def test_hive_partitions(self):
        ds = pyarrow.dataset.dataset(path("parts"), format="parquet", partitioning="hive")
        table = ds.to_table()
        self.assertEqual(table.schema.field("value").type, pyarrow.decimal128(38, 6))
        rows = sorted(table.to_pylist(), key=lambda r: (r["filing_id"], r["fact_id"]))
        self.assertSameFacts(rows, "pyarrow hive dataset")
        entity = {r["entity_id"] for r in self.ref}
        self.assertEqual({str(r["entity_id"]) for r in rows}, entity, "entity_id decoded from the paths")
        for r in rows:
            if r["period_end"] is not None:
                self.assertEqual(int(r["fiscal_year"]), r["period_end"].year)


@unittest.skipIf(duckdb is None, "Python package duckdb not installed (make test-clients installs it)")
class DuckDBParquet(ClientTest):
    def test_single_file_and_partitions(self):
        con = duckdb.connect()
        f = parquet_file().replace("'", "''")
        types = dict((r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{f}')").fetchall())
        self.assertEqual(types["value"], "DECIMAL(38,6)")
        self.assertEqual(types["period_end"], "DATE")
        cur = con.execute(f"SELECT * FROM read_parquet('{f}') ORDER BY filing_id, fact_id")
        cols = [d[0] for d in cur.description]
        self.assertSameFacts([dict(zip(cols, r)) for r in cur.fetchall()], "duckdb parquet")
        g = os.path.join(path("parts"), "**", "*.parquet").replace("'", "''")
        cur = con.execute(f"SELECT * FROM read_parquet('{g}', hive_partitioning = true) ORDER BY filing_id, fact_id")
        cols = [d[0] for d in cur.description]
        self.assertSameFacts([dict(zip(cols, r)) for r in cur.fetchall()], "duckdb hive")


if __name__ == "__main__":
    unittest.main()
