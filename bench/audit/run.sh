#!/usr/bin/env bash
# Benchmark of `remit audit` against DuckDB and pandas on the same generated network audit.
#
#   bash bench/audit/run.sh            # 1M, 5M and 20M rows for Remit; DuckDB and pandas on 5M
#   SIZES="1000000" bash bench/audit/run.sh
#
# It builds Remit in release mode, makes its own virtualenv under target/bench-audit/venv and
# installs duckdb and pandas there from PyPI, generates the inputs with `remit demo gen-audit`
# (seed 1), and prints wall time, peak memory and the ratios. Needs python3 with venv and GNU time.
# On the compared file, Remit and DuckDB run RUNS times each, alternating, and the best time of
# each counts (a shared machine's other load only ever adds time); pandas runs once.
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=target/bench-audit
SIZES=${SIZES:-"1000000 5000000 20000000"}
COMPARE_ROWS=${COMPARE_ROWS:-5000000}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
OWNER="El Cajon CA PD"
mkdir -p "$WORK"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building remit (release)"
cargo build --release -p remit-cli --quiet
REMIT=target/release/remit
"$REMIT" --version

if [ ! -x "$WORK/venv/bin/python" ]; then
  echo "== virtualenv with duckdb and pandas"
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet duckdb pandas
fi
PY="$WORK/venv/bin/python"
"$PY" -c 'import duckdb, pandas, sys; print("duckdb", duckdb.__version__, "pandas", pandas.__version__, "python", sys.version.split()[0])'

measure() {
  # Runs a command, prints "<seconds> <peak KB>".
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null
  cat "$log"
  rm -f "$log"
}

declare -A REMIT_SECONDS
for rows in $SIZES $COMPARE_ROWS; do
  file="$WORK/network-$rows.csv"
  if [ ! -f "$file" ]; then
    "$REMIT" demo gen-audit --rows "$rows" --seed 1 --out "$file" 2> /dev/null
  fi
done

echo "== remit audit (full pipeline: read, classify, resolve, decide; findings.csv, summary.json, report.html and the SQLite store)"
printf "%10s %10s %10s %12s %14s\n" rows bytes seconds peak_MB rows_per_s
for rows in $(echo $SIZES $COMPARE_ROWS | tr ' ' '\n' | sort -un); do
  file="$WORK/network-$rows.csv"
  out="$WORK/out-$rows"
  rm -rf "$out"
  # A fresh store each time, so that every run is a new import; warm the page cache so that
  # every tool reads from memory.
  rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
  cat "$file" > /dev/null
  read -r seconds peak < <(measure "$REMIT" --db "$WORK/bench.db" audit "$file" --owner "$OWNER" --out "$out" --threads "$THREADS" --quiet --json)
  REMIT_SECONDS[$rows]=$seconds
  printf "%10s %10s %10s %12s %14s\n" "$rows" "$(stat -c %s "$file")" "$seconds" "$((peak / 1024))" \
    "$(python3 -c "print(int($rows / max($seconds, 0.001)))")"
done

file="$WORK/network-$COMPARE_ROWS.csv"
echo "== the same $COMPARE_ROWS-row file, best of $RUNS alternating runs: remit (with the store and --no-store), DuckDB ($THREADS threads)"
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
remit_runs=(); nostore_runs=(); duck_runs=()
for run in $(seq "$RUNS"); do
  rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
  rm -rf "$WORK/out-compare"
  read -r seconds _ < <(measure "$REMIT" --db "$WORK/bench.db" audit "$file" --owner "$OWNER" --out "$WORK/out-compare" --threads "$THREADS" --quiet --json)
  remit_runs+=("$seconds")
  rm -rf "$WORK/out-compare"
  read -r seconds _ < <(measure "$REMIT" audit "$file" --owner "$OWNER" --out "$WORK/out-compare" --threads "$THREADS" --quiet --json --no-store)
  nostore_runs+=("$seconds")
  read -r _ seconds groups rows < <("$PY" bench/audit/compare.py duckdb "$file" "$THREADS")
  duck_runs+=("$seconds")
  echo "run $run: remit ${remit_runs[-1]}s, remit --no-store ${nostore_runs[-1]}s, duckdb ${seconds}s ($groups groups over $rows searches)"
done
remit_best=$(best "${remit_runs[@]}")
nostore_seconds=$(best "${nostore_runs[@]}")
duck_seconds=$(best "${duck_runs[@]}")
echo "== pandas, once"
read -r _ pandas_seconds pandas_groups pandas_rows < <("$PY" -W ignore bench/audit/compare.py pandas "$file")
echo "pandas: ${pandas_seconds}s, $pandas_groups groups over $pandas_rows searches"
REMIT_SECONDS[$COMPARE_ROWS]=$remit_best
remit_seconds=${REMIT_SECONDS[$COMPARE_ROWS]}
echo "best: remit ${remit_seconds}s (full pipeline with the store), remit ${nostore_seconds}s (--no-store), duckdb ${duck_seconds}s, pandas ${pandas_seconds}s"
python3 - "$remit_seconds" "$nostore_seconds" "$duck_seconds" "$pandas_seconds" <<'PY'
import sys
remit, nostore, duck, pandas = map(float, sys.argv[1:])
print(f"ratio (with the store): remit is {duck / remit:.1f}x faster than duckdb and {pandas / remit:.1f}x faster than pandas")
print(f"ratio (--no-store):     remit is {duck / nostore:.1f}x faster than duckdb and {pandas / nostore:.1f}x faster than pandas")
PY
