#!/usr/bin/env python3
"""Lower bounds of the audit pipeline's outputs on this machine, without Remit.

The audit target asks the full pipeline (the store, findings.csv, decisions.csv, summary.json,
report.html) to be three times faster than DuckDB's classify-and-group-by and within five times
of `wc -l` on the same file, with outputs byte-identical to today's. This measures what the
outputs alone cost, whatever program writes them:

1. copying a findings.csv of the given size into a new file (the page-cache write that any
   program writing that file pays, in system time);
2. SQLite inserting N rows of the store's `audit_findings` shape, generated inside SQLite by a
   recursive query (no per-row work outside the database engine), in one transaction, with the
   store's journal (WAL, synchronous=NORMAL) and without a journal.

    python3 bench/audit/floor.py FINDINGS_CSV ROWS

FINDINGS_CSV is the findings.csv a run wrote (bench/audit/run.sh leaves one in
target/bench-audit/out-compare/); ROWS is its number of findings.
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import time

SCHEMA = """CREATE TABLE audit_findings (
  run_id INTEGER NOT NULL, file_index INTEGER NOT NULL, line INTEGER NOT NULL,
  time INTEGER NOT NULL, searcher_id INTEGER NOT NULL, reason_id INTEGER NOT NULL,
  search_type_id INTEGER NOT NULL, outcome INTEGER NOT NULL, flags INTEGER NOT NULL,
  networks INTEGER, devices INTEGER, redacted INTEGER NOT NULL DEFAULT 0,
  reason TEXT, case_number TEXT, user TEXT, plate TEXT)"""

FILL = """WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
INSERT INTO audit_findings
SELECT 1, 0, i + 1, 1735689600 + i * 7, i % 3000, i % 40, i % 2, i % 5, i % 16, 1, 100 + i % 50,
       3, NULL, CASE WHEN i % 3 THEN '25-' || (700000 + i % 100000) END, NULL, NULL
FROM s"""


def clock():
    return time.perf_counter(), os.times()


def since(start):
    wall0, t0 = start
    t1 = os.times()
    return time.perf_counter() - wall0, (t1.user - t0.user), (t1.system - t0.system)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    csv_path, rows = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(csv_path))) as tmp:
        with open(csv_path, "rb") as f:
            while f.read(1 << 24):
                pass
        size = os.path.getsize(csv_path)
        for run in range(3):
            target = os.path.join(tmp, "copy.csv")
            start = clock()
            shutil.copyfile(csv_path, target)
            wall, user, system = since(start)
            print(f"copy {size:,} bytes: {wall:.2f} s wall, {user:.2f} s user, {system:.2f} s system")
            os.remove(target)
        for journal in ("wal", "off"):
            db = os.path.join(tmp, f"floor-{journal}.db")
            con = sqlite3.connect(db, isolation_level=None)
            con.execute(f"PRAGMA journal_mode={journal}")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute(SCHEMA)
            start = clock()
            con.execute("BEGIN")
            con.execute(FILL, (rows,))
            con.execute("COMMIT")
            if journal == "wal":
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            wall, user, system = since(start)
            con.close()
            print(
                f"sqlite {rows:,} rows, journal {journal}: {wall:.2f} s wall, "
                f"{user:.2f} s user, {system:.2f} s system, {os.path.getsize(db) / 1e6:.0f} MB"
            )
        print(f"sqlite {sqlite3.sqlite_version}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
