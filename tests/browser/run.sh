#!/usr/bin/env bash
# The dashboard in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
# driven over WebDriver by dashboard.py, against `remit serve --demo` on a free loopback port,
# with JavaScript turned off. Screenshots go to target/browser/.
#
#   tests/browser/run.sh            # builds remit (debug) if needed, installs Chromium if needed
#   REMIT=path/to/remit tests/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "== installing chromium and chromium-driver (Debian packages)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: chromium and chromedriver are missing and this is not root" >&2
    echo "  help: sudo apt-get install -y chromium chromium-driver" >&2
    exit 2
  fi
  apt-get install -y chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null; }
fi

if [ -z "${REMIT:-}" ]; then
  echo "== cargo build -p remit-cli"
  cargo build -q -p remit-cli
  REMIT=target/debug/remit
fi

mkdir -p target/browser
python3 tests/browser/published.py --remit "$REMIT" --out target/browser
exec python3 tests/browser/dashboard.py --remit "$REMIT" --out target/browser
