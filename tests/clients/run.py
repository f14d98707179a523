#!/usr/bin/env python3
"""Real clients against every export (make test-clients).

Loads the two seed filings with the edgarfacts binary into a warehouse in a temporary folder
whose name has spaces and quotes, exports it in every format, writes the facts as the
warehouse gives them (reference.csv), then runs the client tests in this folder:

  test_duckdb_client.py   the Python duckdb package (the crate's DuckDB version) opens the warehouse
  test_parquet_client.py  DuckDB and pyarrow read the Parquet file and the Hive-partitioned folder
  test_sqlite_client.py   the sqlite3 shell reads the SQLite export
  test_xlsx_client.py     LibreOffice (soffice --headless --convert-to csv) reads the .xlsx
  test_fsds_client.py     a reader that follows the SEC's FSDS layout reads the fsds folder

Each test skips, saying why, when its client is not installed.

usage: run.py [--bin PATH] [--keep]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def default_bin():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/edgarfacts-target"))
    return os.path.join(target, "release", "edgarfacts")


def sh(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(args)}\n{r.stderr}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=default_bin(), help="the edgarfacts binary")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin}: no such binary (make build)")

    work = tempfile.mkdtemp(prefix="edgarfacts clients 'q' ")
    db = os.path.join(work, "warehouse.duckdb")
    seeds = [os.path.join(ROOT, "fixtures", "seeds", f) for f in ("002_ca836c439cf71e0b.txt", "003_9546893661c5e793.txt")]
    sh([a.bin, "load", "-q", *seeds, "--db", db])
    exports = [
        ["--to", os.path.join(work, "facts.csv")],
        ["--to", os.path.join(work, "facts 'v' .parquet")],
        ["--to", os.path.join(work, "parts"), "--format", "parquet", "--partition-by", "entity_id,fiscal_year"],
        ["--to", os.path.join(work, "facts.xlsx")],
        ["--to", os.path.join(work, "warehouse.sqlite")],
        ["--to", os.path.join(work, "fsds") + os.sep],
    ]
    for e in exports:
        r = sh([a.bin, "export", "--db", db, *e])
        print(r.stderr.strip().splitlines()[0])
    ref = sh([a.bin, "query", "--db", db, "--format", "csv", "SELECT * FROM v_facts ORDER BY filing_id, fact_id"])
    with open(os.path.join(work, "reference.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(ref.stdout)
    ver = sh([a.bin, "query", "--db", db, "--format", "csv", "SELECT version() AS v"])
    with open(os.path.join(work, "duckdb_version.txt"), "w") as f:
        f.write(ver.stdout.splitlines()[1].strip().lstrip("v"))

    os.environ["EDGARFACTS_CLIENT_DIR"] = work
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    n = result.testsRun
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print(f"clients: {n - failed - skipped} passed, {failed} failed, {skipped} skipped")
    if a.keep:
        print(f"work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
