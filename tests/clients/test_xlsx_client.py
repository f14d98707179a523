"""LibreOffice opens the .xlsx (soffice --headless --convert-to csv): its numbers and dates equal
the warehouse's, on the facts sheet and on the statement sheets."""

import csv
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from decimal import Decimal

from common import ClientTest, path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# comma, double quote, UTF-8, from line 1, no column formats, default language, quoted text
# not forced, detect numbers, cell contents as stored (not as shown), no formulas, keep spaces,
# every sheet to its own file (-1)
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHEETS = {"Balance sheet": "balance", "Income statement": "income", "Comprehensive income": "comprehensive",
          "Cash flows": "cash_flow", "Equity": "equity"}


def key(label):
    return " ".join(label.split()).lower()


@unittest.skipIf(SOFFICE is None, "LibreOffice is not installed (make test-clients: apt-get install libreoffice-calc-nogui)")
class LibreOffice(ClientTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.out = tempfile.mkdtemp(prefix="lo-out ")
        profile = tempfile.mkdtemp(prefix="lo-profile")
        r = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", FILTER, "--outdir", cls.out, path("facts.xlsx")],
            capture_output=True, text=True, timeout=300,
        )
        shutil.rmtree(profile, ignore_errors=True)
        cls.sheets = {}
        for f in glob.glob(os.path.join(cls.out, "facts-*.csv")):
            name = os.path.basename(f)[len("facts-"):-len(".csv")]
            with open(f, encoding="utf-8", newline="") as fh:
                cls.sheets[name] = list(csv.reader(fh))
        if not cls.sheets:
            raise AssertionError(f"soffice wrote no sheets: {r.stdout} {r.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def test_sheets(self):
        self.assertIn("facts", self.sheets)
        self.assertIn("checks", self.sheets)
        for s in ("Balance sheet", "Income statement", "Cash flows", "Equity"):
            self.assertIn(s, self.sheets)

    def test_facts_sheet_equals_the_warehouse(self):
        rows = self.sheets["facts"]
        self.assertEqual(rows[0], self.columns)
        self.assertEqual(len(rows) - 1, len(self.ref), "same count")
        iv = self.columns.index("value")
        for got, want in zip(rows[1:], self.ref):
            got = got + [""] * (len(self.columns) - len(got))
            self.assertEqual(Decimal(got[iv]), Decimal(want["value"]))
            for c in ("period_start", "period_end", "period_of_report"):
                self.assertEqual(got[self.columns.index(c)], want[c], c)
            for c in ("filing_id", "row_label", "concept", "unit"):
                self.assertEqual(got[self.columns.index(c)], want[c], c)

    def test_statement_numbers_are_facts(self):
        facts = {}
        for r in self.ref:
            start = r["period_start"] if r["period_type"] == "duration" else ""
            facts.setdefault((r["statement"], key(r["row_label"]), r["concept"], start, r["period_end"], r["dimension"]), set()).add(Decimal(r["value"]))
        checked = 0
        for name, stmt in SHEETS.items():
            rows = self.sheets.get(name)
            if rows is None:
                continue
            head = rows[1]
            unit = head.index("Unit")
            concept = unit + 1
            by_member = head[1] == "Period"
            first = 2 if by_member else 1
            data = [i for i in range(2, len(rows)) if len(rows[i]) > unit and rows[i][unit]]
            members = rows[2] if data and data[0] == 3 else None
            for i in data:
                row = rows[i]
                for c in range(first, unit):
                    if c >= len(row) or row[c] == "":
                        continue
                    if by_member:
                        dates = DATE.findall(row[1])
                        member = "" if head[c] == "Amount" else head[c]
                    else:
                        dates = DATE.findall(head[c])
                        member = members[c] if members else ""
                    start, end = (dates[0], dates[1]) if len(dates) == 2 else ("", dates[0])
                    k = (stmt, key(row[0]), row[concept], start, end, member)
                    self.assertIn(k, facts, f"{name}: a number that is no fact: {k}")
                    self.assertIn(Decimal(row[c]), facts[k], f"{name}: {k}")
                    checked += 1
        self.assertGreater(checked, 200)


if __name__ == "__main__":
    unittest.main()
