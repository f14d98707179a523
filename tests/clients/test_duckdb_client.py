"""The standard DuckDB client (Python duckdb, the crate's DuckDB version) opens the warehouse."""

import unittest

from common import ClientTest, path

try:
    import duckdb
except ImportError:
    duckdb = None


@unittest.skipIf(duckdb is None, "Python package duckdb not installed (make test-clients installs it)")
class DuckDBClient(ClientTest):
    def test_version_matches_the_crate(self):
        want = open(path("duckdb_version.txt")).read().strip()
        if duckdb.__version__ != want:
            self.skipTest(f"Python duckdb {duckdb.__version__}, the crate has DuckDB {want} (make test-clients installs {want})")
        self.assertEqual(duckdb.__version__, want)

    def test_reads_the_facts_view_exactly(self):
        con = duckdb.connect(path("warehouse.duckdb"), read_only=True)
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'v_facts'").fetchall())
        self.assertEqual(types["value"], "DECIMAL(38,6)")
        self.assertEqual(types["period_end"], "DATE")
        cur = con.execute("SELECT * FROM v_facts ORDER BY filing_id, fact_id")
        cols = [d[0] for d in cur.description]
        self.assertEqual(cols, self.columns)
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        self.assertSameFacts(rows, "duckdb v_facts")
        con.close()

    def test_every_view_runs(self):
        con = duckdb.connect(path("warehouse.duckdb"), read_only=True)
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()]
        self.assertIn("v_facts", views)
        for v in views:
            n = con.execute(f'SELECT count(*) FROM "{v}"').fetchone()[0]
            self.assertGreaterEqual(n, 0, v)
        con.close()


if __name__ == "__main__":
    unittest.main()
