#!/usr/bin/env python3
"""make bench: edgarfacts throughput on a generated corpus (median of several runs).

Reports MB/s and filings/s for parse only (1 and 2 jobs), parse + load into DuckDB, and
load --out-parquet; facts/s; peak RSS; per-stage times; and `cat` of the same corpus as the
I/O floor, so the figures can be read as ratios on a noisy machine.

Environment: BIN (the edgarfacts binary), BENCH_CORPUS (folder, generated if missing),
BENCH_FILINGS (default 1000), RUNS (default 3).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("BIN") or os.path.expanduser("~/.cache/edgarfacts-target/release/edgarfacts")
CORPUS = os.environ.get("BENCH_CORPUS", os.path.join(tempfile.gettempdir(), "edgarfacts-bench-corpus"))
FILINGS = int(os.environ.get("BENCH_FILINGS", "1000"))
RUNS = int(os.environ.get("RUNS", "3"))


def run(cmd):
    """Wall seconds, peak RSS (MB) and stderr of one command."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    lines = p.stderr.strip().splitlines()
    rss_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return wall, rss_kb / 1024, "\n".join(lines[:-1])


def median_run(make_cmd, before=None):
    walls, rsses, last = [], [], ""
    for _ in range(RUNS):
        if before:
            before()
        w, r, err = run(make_cmd())
        walls.append(w)
        rsses.append(r)
        last = err
    return statistics.median(walls), max(rsses), last


def main():
    if not os.path.exists(BIN):
        sys.exit(f"no binary at {BIN}: run `make build`")
    if not os.path.isdir(CORPUS) or len(os.listdir(CORPUS)) < FILINGS:
        subprocess.run([BIN, "bench-corpus", "--out", CORPUS, "--filings", str(FILINGS)], check=True)
    files = [os.path.join(CORPUS, f) for f in sorted(os.listdir(CORPUS))]
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    n = len(files)
    print(f"corpus: {n} filings, {mb:.1f} MB in {CORPUS}; {os.cpu_count()} CPUs; median of {RUNS} runs\n")

    work = tempfile.mkdtemp(prefix="edgarfacts-bench-")
    db = os.path.join(work, "bench.duckdb")
    pq = os.path.join(work, "parquet")

    def fresh():
        for p in (db, db + ".wal"):
            if os.path.exists(p):
                os.remove(p)
        shutil.rmtree(pq, ignore_errors=True)

    rows = []
    cat_wall, _, _ = median_run(lambda: ["sh", "-c", f"cat {CORPUS}/* > /dev/null"])
    rows.append(("cat (I/O floor)", cat_wall, None, None))
    w1, r1, _ = median_run(lambda: [BIN, "load", "-q", "--parse-only", "--jobs", "1", CORPUS])
    rows.append(("parse only, 1 job", w1, r1, None))
    w2, r2, err = median_run(lambda: [BIN, "load", "--parse-only", "--timings", CORPUS])
    facts = int(re.search(r"(\d+) facts", err).group(1)) if re.search(r"(\d+) facts", err) else 0
    rows.append(("parse only, all jobs", w2, r2, facts))
    wl, rl, err_load = median_run(lambda: [BIN, "load", "--timings", "--db", db, CORPUS], before=fresh)
    rows.append(("parse + load (DuckDB)", wl, rl, facts))
    wp, rp, _ = median_run(lambda: [BIN, "load", "-q", "--out-parquet", pq, CORPUS], before=fresh)
    rows.append(("parse + --out-parquet", wp, rp, facts))

    print("| run | seconds | MB/s | filings/s | facts/s | peak RSS MB | x cat time |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, wall, rss, f in rows:
        print(f"| {name} | {wall:.2f} | {mb / wall:.1f} | {n / wall:.0f} | {f / wall if f else 0:,.0f} | "
              f"{rss if rss is not None else 0:.0f} | {wall / cat_wall:.0f} |")
    print(f"\nspeed-up from 1 to all jobs (parse only): {w1 / w2:.2f}x")
    for line in (err_load.splitlines()):
        if line.startswith("stage times"):
            print(f"\nparse + load {line}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
