#!/usr/bin/env bash
# Benchmark of `remit audit` against DuckDB, pandas and `wc -l` on the same generated network
# audits, in two workloads: 14% of searches by agencies outside the state (as in real network
# audits: about 0.7 million findings in 5 million rows) and 60% (findings-heavy: about 3 million).
#
#   bash bench/audit/run.sh            # 1M, 5M and 20M rows for Remit; the comparison on 5M
#   SIZES="1000000" SHARES="60" bash bench/audit/run.sh
#   REMIT=path/to/remit bash bench/audit/run.sh   # a binary already built (no cargo build)
#   REMIT_ARGS=--full-findings bash bench/audit/run.sh   # more options for every Remit run
#
# It builds Remit in release mode, makes its own virtualenv under target/bench-audit/venv and
# installs duckdb and pandas there from PyPI, generates the inputs with `remit demo gen-audit`
# (seed 1, `--out-of-state` per workload), and prints wall time, peak memory and the ratios.
# Needs python3 with venv and GNU time. On the compared file, Remit (with the store and
# --no-store), DuckDB and `wc -l` run RUNS times each, alternating, and the best time of each
# counts (a shared machine's other load only ever adds time); pandas runs once per workload.
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=target/bench-audit
SIZES=${SIZES:-"1000000 5000000 20000000"}
SHARES=${SHARES:-"14 60"}
COMPARE_ROWS=${COMPARE_ROWS:-5000000}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
PANDAS=${PANDAS:-1}
# Word splitting is meant: several options may be given.
REMIT_ARGS=${REMIT_ARGS:-}
OWNER="El Cajon CA PD"
mkdir -p "$WORK"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${REMIT:-}" ]; then
  echo "== building remit (release)"
  cargo build --release -p remit-cli --quiet
  REMIT=target/release/remit
fi
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

# The 14% workload keeps the file name it always had.
input() {
  if [ "$1" = 14 ]; then echo "$WORK/network-$2.csv"; else echo "$WORK/network-$1pct-$2.csv"; fi
}

fresh_store() { rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"; }
# Each Remit run starts with nothing of an earlier run's output waiting to be written to disk:
# the 60% workload writes gigabytes, whose writeback would otherwise slow the next run down.
remit_full() {
  fresh_store
  rm -rf "$2"
  sync
  # shellcheck disable=SC2086
  measure "$REMIT" --db "$WORK/bench.db" audit "$1" --owner "$OWNER" --out "$2" --threads "$THREADS" --quiet --json $REMIT_ARGS
}
remit_no_store() {
  rm -rf "$2"
  sync
  # shellcheck disable=SC2086
  measure "$REMIT" audit "$1" --owner "$OWNER" --out "$2" --threads "$THREADS" --quiet --json --no-store $REMIT_ARGS
}
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }

for share in $SHARES; do
  for rows in $SIZES $COMPARE_ROWS; do
    file=$(input "$share" "$rows")
    if [ ! -f "$file" ]; then
      "$REMIT" demo gen-audit --rows "$rows" --seed 1 --out-of-state "$share" --out "$file" 2> /dev/null
    fi
  done
done

for share in $SHARES; do
  echo
  echo "=== workload: $share% of searches by agencies outside the state"
  echo "== remit audit (full pipeline: read, classify, resolve, decide; findings.csv and decisions.csv, summary.json, report.html and the SQLite store)"
  printf "%10s %12s %10s %10s %10s %14s\n" rows bytes findings seconds peak_MB rows_per_s
  for rows in $(echo $SIZES | tr ' ' '\n' | sort -un); do
    file=$(input "$share" "$rows")
    out="$WORK/out-$share-$rows"
    # Warm the page cache so that every tool reads from memory.
    cat "$file" > /dev/null
    read -r seconds peak < <(remit_full "$file" "$out")
    findings=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['findings'])" "$out/summary.json")
    printf "%10s %12s %10s %10s %10s %14s\n" "$rows" "$(stat -c %s "$file")" "$findings" "$seconds" "$((peak / 1024))" \
      "$(python3 -c "print(int($rows / max($seconds, 0.001)))")"
    rm -rf "$out"
  done

  file=$(input "$share" "$COMPARE_ROWS")
  cat "$file" > /dev/null
  echo "== the same $COMPARE_ROWS-row file, best of $RUNS alternating runs: remit (with the store and --no-store), DuckDB ($THREADS threads), wc -l"
  remit_runs=(); nostore_runs=(); duck_runs=(); wc_runs=(); peaks=()
  for run in $(seq "$RUNS"); do
    read -r seconds peak < <(remit_full "$file" "$WORK/out-compare")
    remit_runs+=("$seconds"); peaks+=("$((peak / 1024))")
    read -r seconds _ < <(remit_no_store "$file" "$WORK/out-compare")
    nostore_runs+=("$seconds")
    read -r _ seconds groups searches < <("$PY" bench/audit/compare.py duckdb "$file" "$THREADS")
    duck_runs+=("$seconds")
    read -r seconds _ < <(measure wc -l "$file")
    wc_runs+=("$seconds")
    echo "run $run: remit ${remit_runs[-1]}s (${peaks[-1]} MB), remit --no-store ${nostore_runs[-1]}s, duckdb ${duck_runs[-1]}s ($groups groups over $searches searches), wc -l ${wc_runs[-1]}s"
  done
  remit_seconds=$(best "${remit_runs[@]}")
  nostore_seconds=$(best "${nostore_runs[@]}")
  duck_seconds=$(best "${duck_runs[@]}")
  wc_seconds=$(best "${wc_runs[@]}")
  pandas_seconds=0
  if [ "$PANDAS" = 1 ]; then
    echo "== pandas, once"
    read -r _ pandas_seconds pandas_groups pandas_searches < <("$PY" -W ignore bench/audit/compare.py pandas "$file")
    echo "pandas: ${pandas_seconds}s, $pandas_groups groups over $pandas_searches searches"
  fi
  echo "best ($share%): remit ${remit_seconds}s (full pipeline with the store), remit ${nostore_seconds}s (--no-store), duckdb ${duck_seconds}s, pandas ${pandas_seconds}s, wc -l ${wc_seconds}s"
  python3 - "$share" "$remit_seconds" "$nostore_seconds" "$duck_seconds" "$pandas_seconds" "$wc_seconds" <<'PY'
import sys
share = sys.argv[1]
remit, nostore, duck, pandas, wc = map(float, sys.argv[2:])
def line(label, seconds):
    parts = [f"{duck / seconds:.1f}x faster than duckdb"]
    if pandas > 0:
        parts.append(f"{pandas / seconds:.1f}x faster than pandas")
    parts.append(f"{seconds / max(wc, 0.001):.1f}x the time of wc -l")
    print(f"ratio ({share}%, {label}): remit is " + ", ".join(parts))
line("with the store", remit)
line("--no-store", nostore)
PY
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
