"""DuckDB and pandas on the same plate-reader network audit as `remit audit`.

Both classify every search's reason with the word lists of classifiers/reasons.toml (the same
terms, whole words, `*` as a prefix, categories tried in the file's order) and count searches by
searching agency, category and month: the part of Remit's pipeline that these tools are used for
today. Remit does more on top (law decisions, findings, report), so the comparison favours them.

Usage: python compare.py duckdb|pandas FILE [THREADS]
Prints one line: `<tool> <seconds> <groups> <classified searches>`.
"""

import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def category_patterns():
    """(name, regex) per category with terms, in priority order."""
    data = tomllib.loads((ROOT / "classifiers" / "reasons.toml").read_text())
    out = []
    for category in data["category"]:
        terms = category.get("terms", []) + category.get("agency_terms", [])
        if not terms or category.get("mode") == "all_words":
            continue
        parts = []
        for term in terms:
            words = [w for w in re.split(r"[^0-9A-Za-z*]+", term) if w]
            pieces = []
            for word in words:
                if word.endswith("*"):
                    pieces.append(re.escape(word[:-1].lower()) + "[a-z0-9]*")
                else:
                    pieces.append(re.escape(word.lower()))
            parts.append("[^a-z0-9]+".join(pieces))
        pattern = r"(?:^|[^a-z0-9])(?:" + "|".join(parts) + r")(?:$|[^a-z0-9])"
        out.append((category["name"], pattern))
    return out


def run_duckdb(path, threads):
    import duckdb

    cases = " ".join(
        f"WHEN regexp_matches(r, '{pattern}') THEN '{name}'"
        for name, pattern in category_patterns()
    )
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    start = time.perf_counter()
    rows = con.execute(
        f"""
        WITH s AS (
            SELECT "Org Name" AS org, lower(coalesce("Reason", '')) AS r,
                   strptime("Search Time", '%m/%d/%Y, %I:%M:%S %p UTC') AS t
            FROM read_csv('{path}', header = true, all_varchar = true)
        )
        SELECT org, CASE {cases} WHEN r = '' THEN 'missing' ELSE 'other' END AS category,
               date_trunc('month', t) AS month, count(*) AS n
        FROM s GROUP BY ALL
        """
    ).fetchall()
    elapsed = time.perf_counter() - start
    return elapsed, len(rows), sum(r[3] for r in rows)


def run_pandas(path):
    import numpy as np
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(
        path, usecols=["Org Name", "Reason", "Search Time"], dtype=str, keep_default_na=False
    )
    reasons = frame["Reason"].str.lower()
    conditions = [reasons.str.contains(pattern, regex=True) for _, pattern in category_patterns()]
    names = [name for name, _ in category_patterns()]
    conditions.append(reasons == "")
    names.append("missing")
    frame["category"] = np.select(conditions, names, default="other")
    frame["month"] = pd.to_datetime(
        frame["Search Time"], format="%m/%d/%Y, %I:%M:%S %p UTC"
    ).dt.to_period("M")
    groups = frame.groupby(["Org Name", "category", "month"]).size()
    elapsed = time.perf_counter() - start
    return elapsed, len(groups), int(groups.sum())


def main():
    tool, path = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    if tool == "duckdb":
        elapsed, groups, total = run_duckdb(path, threads)
    elif tool == "pandas":
        elapsed, groups, total = run_pandas(path)
    else:
        raise SystemExit(f"unknown tool `{tool}`")
    print(f"{tool} {elapsed:.2f} {groups} {total}")


if __name__ == "__main__":
    main()
