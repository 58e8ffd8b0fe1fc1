#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) and prints, per target, the inputs run,
# the coverage reached and any crash. Outside CI: needs cargo-fuzz (`cargo install cargo-fuzz`)
# and, on a stable toolchain, RUSTC_BOOTSTRAP=1 (set here) for libFuzzer's compiler flags.
#
#   fuzz/run.sh [SECONDS]            one target after another
#   PARALLEL=1 fuzz/run.sh 3600      all at once, under `nice -n 19`
#   TARGETS="csv_scanner timestamp" fuzz/run.sh 30
#
# Logs go to $FUZZ_LOGS (default /tmp/fuzz-logs), crashes to fuzz/artifacts/TARGET/, and the
# corpus each run grows to fuzz/corpus/TARGET/ (made by fuzz/seed.py on the first run).
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
logs=${FUZZ_LOGS:-/tmp/fuzz-logs}
targets=${TARGETS:-"csv_scanner timestamp registry_sheet sharing_list corpus_rules"}
export RUSTC_BOOTSTRAP=1
# Small limits, so that short inputs reach them and no input takes much memory.
export REMIT_MAX_RECORD_BYTES=${REMIT_MAX_RECORD_BYTES:-4K}
export REMIT_MAX_FIELD_BYTES=${REMIT_MAX_FIELD_BYTES:-1K}
export REMIT_MAX_COLUMNS=${REMIT_MAX_COLUMNS:-200}
export REMIT_MAX_SHEET_ROWS=${REMIT_MAX_SHEET_ROWS:-5000}
export REMIT_MAX_SHEET_CELLS=${REMIT_MAX_SHEET_CELLS:-200000}
export REMIT_MAX_WORKBOOK_PART_BYTES=${REMIT_MAX_WORKBOOK_PART_BYTES:-16M}

cd "$here"
# Release build with debug assertions (integer overflow is a crash) and without a sanitizer:
# the code under test has no `unsafe`.
cargo fuzz build -O -a -s none
[ -d corpus ] || python3 seed.py
mkdir -p "$logs"

max_len() {
    case $1 in
        timestamp) echo 4096 ;;
        csv_scanner) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

# The binaries are run as built above (not through `cargo fuzz run`, which would rebuild them
# whenever the tree changes). `-fork=1` with `-ignore_crashes=1` keeps a target running after a
# crash, saving each crashing input in fuzz/artifacts/TARGET/.
run_one() {
    local target=$1
    mkdir -p "corpus/$target" "artifacts/$target"
    nice -n 19 "target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="artifacts/$target/" >"$logs/$target.log" 2>&1 || true
}

if [ -n "${PARALLEL:-}" ]; then
    for target in $targets; do run_one "$target" & done
    wait
else
    for target in $targets; do run_one "$target"; done
fi

status=0
printf '%-16s %14s %8s %8s %8s  %s\n' target executions cov features corpus "crashes (timeouts, slow, oom)"
for target in $targets; do
    log="$logs/$target.log"
    # The last status line of the fork mode: `#RUNS: cov: C ft: F corp: N exec/s: ...`.
    line=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -1 || true)
    runs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$line")
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
    corp=$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$line")
    # libFuzzer names a crashing input `crash-…`; `timeout-…` (over 10 s), `slow-unit-…` and
    # `oom-…` are inputs that were slow or large on this machine: run them alone to tell.
    kinds() { find "artifacts/$target" -type f -name "$1-*" | wc -l; }
    crashes=$(kinds crash)
    [ "$crashes" -eq 0 ] || status=1
    printf '%-16s %14s %8s %8s %8s  %s (%s, %s, %s)\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" \
        "${corp:-?}" "$crashes" "$(kinds timeout)" "$(kinds slow-unit)" "$(kinds oom)"
    # Each crash run again alone, for its message (the same message counted once).
    for crash in $(find "artifacts/$target" -type f -name 'crash-*'); do
        "target/x86_64-unknown-linux-gnu/release/$target" "$crash" 2>&1 |
            grep -A1 "panicked at" | tail -1 | cut -c1-160
    done | sort | uniq -c | sed 's/^/    /'
done
echo "logs: $logs"
exit $status
