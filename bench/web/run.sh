#!/usr/bin/env bash
# Load test of `remit serve` on loopback with oha, against the JSON API. Two runs per URL, each
# bounded in time: the throughput with 200 connections as fast as they go, and the latency with
# 200 connections at a fixed 5,000 requests/s (corrected for coordinated omission, so a stalled
# server cannot hide its queue). The server is the release build serving the demo store (bundled,
# so the run is the same on any machine); it and oha share the machine's cores.
#
#   bench/web/run.sh                   # 10 s per run
#   DURATION=30s RATE=5000 bench/web/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-200}"
RATE="${RATE:-5000}"

if ! command -v oha >/dev/null; then
  echo "== cargo install oha --locked"
  cargo install -q oha --locked
fi

echo "== cargo build --release -p remit-cli"
cargo build --release -q -p remit-cli

out="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$out"' EXIT
target/release/remit serve --demo --port 0 --quiet >"$out/stdout" 2>"$out/stderr" &
server=$!
for _ in $(seq 100); do
  grep -q "serving on" "$out/stdout" 2>/dev/null && break
  sleep 0.1
done
base="$(sed -n 's/^remit: serving on \(http:[^ ]*\)\/ .*/\1/p' "$out/stdout")"
[ -n "$base" ] || { echo "error: the server did not start" >&2; cat "$out/stderr" >&2; exit 2; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(target/release/remit --version); $(oha --version)"

urls=(
  "/ask.json?where=CA&date=2026-01-15&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency"
  "/287g.json"
)
summary() {
  grep -E "Success rate|Requests/sec|50.00% in|99.00% in|99.90% in|Slowest|^  \[[0-9]+\]|Error distribution|^  \[[0-9]+\] " "$1" || true
}
for url in "${urls[@]}"; do
  curl -sf -o "$out/warm" "$base$url" || { echo "error: $url did not answer 200" >&2; exit 2; }
  echo
  echo "== GET $url ($(wc -c <"$out/warm") bytes)"
  echo "-- oha --no-tui -c $CONNECTIONS -z $DURATION   (as fast as it goes)"
  oha --no-tui -c "$CONNECTIONS" -z "$DURATION" "$base$url" >"$out/oha" 2>&1
  summary "$out/oha"
  echo "-- oha --no-tui -c $CONNECTIONS -q $RATE -z $DURATION --latency-correction   (fixed rate)"
  oha --no-tui -c "$CONNECTIONS" -q "$RATE" -z "$DURATION" --latency-correction "$base$url" >"$out/oha" 2>&1
  summary "$out/oha"
done
