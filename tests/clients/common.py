"""Shared by the client tests: where run.py put the exports, and the warehouse's facts."""

import csv
import datetime
import os
import unittest
from decimal import Decimal

DIR = os.environ.get("EDGARFACTS_CLIENT_DIR", "")


def path(*parts):
    return os.path.join(DIR, *parts)


class ClientTest(unittest.TestCase):
    """Base class: skips everything when run outside run.py."""

    @classmethod
    def setUpClass(cls):
        if not DIR or not os.path.exists(path("reference.csv")):
            raise unittest.SkipTest("run through tests/clients/run.py (make test-clients), which makes the exports")
        with open(path("reference.csv"), encoding="utf-8", newline="") as f:
            cls.ref = list(csv.DictReader(f))
        cls.columns = list(cls.ref[0].keys())
        assert len(cls.ref) > 900, len(cls.ref)

    def assertSameFacts(self, rows, what):
        """rows: dicts of column -> value (str, Decimal, date, int or None) in filing_id, fact_id order."""
        self.assertEqual(len(rows), len(self.ref), f"{what}: same count")
        for got, want in zip(rows, self.ref):
            for c in ("filing_id", "fact_id", "line", "row_label", "concept", "unit", "period_type"):
                self.assertEqual(text(got.get(c)), want[c], f"{what}: {c}")
            self.assertEqual(Decimal(text(got["value"])), Decimal(want["value"]), f"{what}: value")
            for c in ("period_start", "period_end"):
                self.assertEqual(text(got.get(c)), want[c], f"{what}: {c}")


def text(v):
    """A client's value as the warehouse's text: '' for NULL, ISO dates, plain decimals."""
    if v is None:
        return ""
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        return "0" if s in ("-0", "0") else s
    return str(v)


def month_end(d):
    return (d + datetime.timedelta(days=1)).month != d.month
