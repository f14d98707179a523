"""The FSDS folder loads with a small reader that follows the SEC's documented layout of the
Financial Statement Data Sets (sub, num, tag, pre: tab-delimited UTF-8, header row), and its
numbers are the warehouse's facts."""

import csv
import datetime
import re
import unittest
from decimal import Decimal

from common import ClientTest, month_end, path

LAYOUT = {
    "sub": ["adsh", "cik", "name", "sic", "countryba", "stprba", "cityba", "zipba", "bas1", "bas2", "baph", "countryma",
            "stprma", "cityma", "zipma", "mas1", "mas2", "countryinc", "stprinc", "ein", "former", "changed", "afs", "wksi",
            "fye", "form", "period", "fy", "fp", "filed", "accepted", "prevrpt", "detail", "instance", "nciks", "aciks"],
    "num": ["adsh", "tag", "version", "ddate", "qtrs", "uom", "segments", "coreg", "value", "footnote"],
    "tag": ["tag", "version", "custom", "abstract", "datatype", "iord", "crdr", "tlabel", "doc"],
    "pre": ["adsh", "report", "line", "stmt", "inpth", "rfile", "tag", "version", "plabel", "negating"],
}
ADSH = re.compile(r"^(\d{10}-\d{2}-\d{6}|sha256:[0-9a-f]{16})$")


def read(name):
    with open(path("fsds", f"{name}.txt"), encoding="utf-8", newline="") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(r)
        rows = [dict(zip(header, row)) for row in r]
        return header, rows


def yyyymmdd(s):
    return datetime.datetime.strptime(s, "%Y%m%d").date()


class FSDSReader(ClientTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = {}
        for name, cols in LAYOUT.items():
            header, rows = read(name)
            assert header == cols, (name, header)
            cls.data[name] = rows

    def test_field_types(self):
        for s in self.data["sub"]:
            self.assertRegex(s["adsh"], ADSH)
            yyyymmdd(s["period"])
            self.assertRegex(s["fy"], r"^\d{4}$")
            self.assertIn(s["fp"], ("FY", "Q1", "Q2", "Q3", "Q4"))
            self.assertIn(s["prevrpt"], ("0", "1"))
            self.assertIn(s["wksi"], ("0", "1"))
            self.assertTrue(s["fye"] == "" or re.match(r"^\d{4}$", s["fye"]))
        for n in self.data["num"]:
            yyyymmdd(n["ddate"])
            self.assertGreaterEqual(int(n["qtrs"]), 0)
            Decimal(n["value"])
        for t in self.data["tag"]:
            self.assertIn(t["custom"], ("0", "1"))
            self.assertIn(t["iord"], ("I", "D"))
        for p in self.data["pre"]:
            int(p["report"]), int(p["line"])
            self.assertIn(p["stmt"], ("BS", "IS", "CF", "EQ", "CI", "UN", "CP", "SI"))

    def test_keys_and_references(self):
        tags = {(t["tag"], t["version"]) for t in self.data["tag"]}
        self.assertEqual(len(tags), len(self.data["tag"]))
        subs = {s["adsh"] for s in self.data["sub"]}
        keys = set()
        for n in self.data["num"]:
            k = (n["adsh"], n["tag"], n["version"], n["ddate"], n["qtrs"], n["uom"], n["segments"], n["coreg"])
            self.assertNotIn(k, keys, "num key is unique")
            keys.add(k)
            self.assertIn((n["tag"], n["version"]), tags)
            self.assertIn(n["adsh"], subs)
        lines = set()
        for p in self.data["pre"]:
            k = (p["adsh"], p["report"], p["line"])
            self.assertNotIn(k, lines, "pre key is unique")
            lines.add(k)
            self.assertIn((p["tag"], p["version"]), tags)

    def test_numbers_are_the_facts(self):
        """Join num with pre the way FSDS readers do and find every fact, exactly."""
        uom = {"USD": "USD", "USD/share": "USD/shares", "shares": "shares", "percent": "pure", "count": "pure", "years": "Y"}
        num = {(n["adsh"], n["tag"], n["version"], n["ddate"], n["qtrs"], n["uom"], n["segments"]): Decimal(n["value"]) for n in self.data["num"]}
        period = {s["adsh"]: s["period"] for s in self.data["sub"]}
        pre = {}
        for p in self.data["pre"]:
            pre.setdefault((p["adsh"], int(p["report"])), []).append((int(p["line"]), p))
        rows = {}
        for r in self.ref:
            rows.setdefault((r["filing_id"], int(r["table_id"])), set()).add(int(r["row_index"]))
        used = set()
        for r in self.ref:
            lines = sorted(pre[(r["filing_id"], int(r["table_id"]))], key=lambda x: x[0])
            order = sorted(rows[(r["filing_id"], int(r["table_id"]))])
            self.assertEqual(len(lines), len(order))
            p = lines[order.index(int(r["row_index"]))][1]
            if r["row_label"].strip():
                self.assertEqual(p["plabel"], r["row_label"])
            if r["period_type"] == "none":
                ddate, qtrs = period[r["filing_id"]], "0"
            else:
                end = datetime.date.fromisoformat(r["period_end"])
                self.assertTrue(month_end(end))
                ddate = end.strftime("%Y%m%d")
                if r["period_type"] == "instant":
                    qtrs = "0"
                else:
                    start = datetime.date.fromisoformat(r["period_start"]) - datetime.timedelta(days=1)
                    months = (end.year - start.year) * 12 + end.month - start.month
                    qtrs = str(months // 3)
            k = (r["filing_id"], p["tag"], p["version"], ddate, qtrs, uom.get(r["unit"], r["unit"]), r["dimension"])
            self.assertIn(k, num, f"fact {r['fact_id']} of {r['filing_id']}")
            v = num[k] * (100 if r["unit"] == "percent" else 1)
            self.assertEqual(v, Decimal(r["value"]))
            used.add(k)
        self.assertEqual(used, set(num), "every num row is a fact")


if __name__ == "__main__":
    unittest.main()
