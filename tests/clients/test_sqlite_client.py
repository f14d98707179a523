"""The sqlite3 shell opens the SQLite export: tables, the facts view, exact decimals."""

import csv
import io
import shutil
import subprocess
import unittest
from decimal import Decimal

from common import ClientTest, path

SQLITE3 = shutil.which("sqlite3")


@unittest.skipIf(SQLITE3 is None, "the sqlite3 shell is not installed (make test-clients: apt-get install sqlite3)")
class SQLiteShell(ClientTest):
    def shell(self, sql):
        r = subprocess.run([SQLITE3, "-readonly", "-csv", "-header", path("warehouse.sqlite"), sql], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return list(csv.DictReader(io.StringIO(r.stdout)))

    def test_facts_view(self):
        rows = self.shell("SELECT * FROM v_facts ORDER BY filing_id, fact_id")
        self.assertEqual(list(rows[0].keys()), self.columns)
        self.assertSameFacts(rows, "sqlite3 v_facts")

    def test_decimals_are_exact(self):
        rows = self.shell(
            "SELECT f.filing_id, f.fact_id, f.value, f.value_e6, typeof(f.value) AS t FROM v_facts v "
            "JOIN facts f ON f.filing_id = v.filing_id AND f.fact_id = v.fact_id ORDER BY f.filing_id, f.fact_id"
        )
        self.assertEqual(len(rows), len(self.ref))
        for r, want in zip(rows, self.ref):
            self.assertEqual(r["t"], "text")
            self.assertEqual(Decimal(r["value"]), Decimal(want["value"]))
            self.assertEqual(Decimal(r["value_e6"]), Decimal(want["value"]) * 1000000)
        total = self.shell("SELECT sum(f.value_e6) AS s FROM v_facts v JOIN facts f ON f.filing_id = v.filing_id AND f.fact_id = v.fact_id")
        self.assertEqual(Decimal(total[0]["s"]), sum(Decimal(r["value"]) for r in self.ref) * 1000000)

    def test_tables(self):
        names = {r["name"] for r in self.shell("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for t in ("filings", "entities", "facts", "source_tables", "cells", "load_errors", "_edgarfacts_export"):
            self.assertIn(t, names)
        n = self.shell("SELECT count(*) AS n FROM filings")
        self.assertEqual(n[0]["n"], str(len({r["filing_id"] for r in self.ref})))


if __name__ == "__main__":
    unittest.main()
