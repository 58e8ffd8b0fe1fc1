#!/usr/bin/env bash
# Makes full-size hostile inputs under target/bombs/ and runs the release binary on each with
# `/usr/bin/time -v`: prints the peak memory (maximum resident set size), the exit code, the
# seconds taken and the first line of the error. Not part of CI: it writes about 200 MB (the
# 2 GB files are sparse) and takes a few minutes; remove target/bombs afterwards.
#
#   bench/bombs/run.sh            # build the release binary, make the bombs, run them
#   REMIT=path/to/remit bench/bombs/run.sh
#   BOMBS="sharing-entry sharing-list" bench/bombs/run.sh   # only these (made only if needed)
#
# Each run must end with a clear error (exit code 1 or 2), never be killed, and stay far under
# the ceiling stated in docs/security.md; the large sharing lists (`sharing-list`,
# `sharing-names`, `sharing-distinct`) are valid and must import (exit code 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/bombs
mkdir -p "$OUT"
if [[ -z "${REMIT:-}" ]]; then
    cargo build --release --quiet -p remit-cli
    REMIT=target/release/remit
fi

want() { # label: whether this run includes the bomb `label`
    [[ -z "${BOMBS:-}" || " $BOMBS " == *" $1 "* ]]
}

make_once() { # name command...: makes $OUT/name unless it exists
    local name=$1
    shift
    [[ -e "$OUT/$name" ]] || { echo "making $name" >&2; "$@" > "$OUT/$name.part"; mv "$OUT/$name.part" "$OUT/$name"; }
}

# 1. 5 GB of zeros in a 5 MB gzip (the upload that aborted `serve`).
want gzip-zeros && make_once zeros.csv.gz sh -c 'head -c 5G /dev/zero | gzip -1'
# 1b. 2 GB of one real row repeated, gzipped as tightly as gzip can (about 1000 to 1): short
#     records, so the ratio limit is what stops it.
want gzip-rows && make_once rows.csv.gz sh -c '{ head -1 examples/demo/alpr/network-audit-sample.csv; yes "$(sed -n 2p examples/demo/alpr/network-audit-sample.csv)" | head -c 2G; } | gzip -9'
# 2. A 2 GB line with no newline: 2 GB of NUL bytes (the 2 GB "header" that was printed to
#    stderr). Sparse, so it takes no disk space.
want nul-bytes && { [[ -e "$OUT/nul.csv" ]] || truncate -s 2G "$OUT/nul.csv"; }
# 3. The same 2 GB line after a real header and row, so that it is a data row.
if want long-row && [[ ! -e "$OUT/line.csv" ]]; then
    head -2 examples/demo/alpr/network-audit-sample.csv > "$OUT/line.csv"
    truncate -s 2G "$OUT/line.csv"
fi
# 4. A sharing list whose third line is a 512 MB agency name (sparse too).
if want sharing-entry && [[ ! -e "$OUT/entry.csv" ]]; then
    printf 'Organization Name\nDixon CA PD\n' > "$OUT/entry.csv"
    truncate -s 512M "$OUT/entry.csv"
    echo >> "$OUT/entry.csv"
fi
# 4b. A valid sharing list of $BOMB_LIST_ROWS rows (5M by default, about 250 MB) naming 10,000
#     agencies over and over: the reader streams it and notes each repeat; what is stored (and
#     then resolved and checked) is the 10,000 names. The memory is the import's.
list_rows=${BOMB_LIST_ROWS:-5000000}
want sharing-list && make_once "list-$list_rows.csv" awk -v n="$list_rows" 'BEGIN {
    print "Name,State,Type"
    for (i = 0; i < n; i++) printf "Agency number %d Police Department,CA,Police\n", i % 10000
}'
# 4c. The same as a text list, one name a line.
want sharing-names && make_once "names-$list_rows.txt" awk -v n="$list_rows" 'BEGIN {
    for (i = 0; i < n; i++) printf "Agency number %d Police Department\n", i % 10000
}'
# 4d. $BOMB_DISTINCT_ROWS (1M by default) different names: imported in the same memory, and
#     checked after the import in batches, each name resolved through a bounded memo (see
#     docs/security.md, "Sharing lists"), so the memory does not grow with the number of names.
distinct_rows=${BOMB_DISTINCT_ROWS:-1000000}
want sharing-distinct && make_once "distinct-$distinct_rows.csv" awk -v n="$distinct_rows" 'BEGIN {
    print "Name,State,Type"
    for (i = 0; i < n; i++) printf "Agency number %d Police Department,CA,Police\n", i
}'
# 5. and 6. Workbooks: one 2 GB cell; 20M rows.
make_workbook() { # name rows cell-bytes
    python3 - "$OUT/$1" "$2" "$3" <<'PY'
import sys, zipfile
path, rows, cell = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with zipfile.ZipFile(path + ".part", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
        w.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        w.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>')
        if cell:
            w.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
            block = b"z" * (1 << 20)
            for _ in range(cell >> 20):
                w.write(block)
            w.write(b'</t></is></c></row>')
        block = []
        for r in range(2, rows + 2):
            block.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
            if len(block) == 100000:
                w.write(b"".join(block)); block = []
        w.write(b"".join(block))
        w.write(b'</sheetData></worksheet>')
import os; os.rename(path + ".part", path)
PY
}
# Named as ICE names its sheets, so that `registry import` reads them.
{ want xlsx-cell || want sharing-cell || want audit-cell; } && [[ ! -e "$OUT/participatingAgencies07182025cell.xlsx" ]] && { echo "making the 2 GB cell workbook" >&2; make_workbook participatingAgencies07182025cell.xlsx 0 $((2 << 30)); }
want xlsx-rows && [[ ! -e "$OUT/participatingAgencies07182025rows.xlsx" ]] && { echo "making the 20M-row workbook" >&2; make_workbook participatingAgencies07182025rows.xlsx "${BOMB_ROWS:-20000000}" 0; }
# 7. A rule whose `when` nests 100,000 deep, in a copy of the corpus.
if want deep-when && [[ ! -e "$OUT/corpus/deep" ]]; then
    rm -rf "$OUT/corpus" && cp -r corpus "$OUT/corpus"
    python3 - "$OUT/corpus/us-mt/hb200-2021.toml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
deep = "(" * 100000 + "policy_restricts_status_sharing" + ")" * 100000
start = text.index('when = "')
end = text.index("\n", start)
open(path, "w").write(text[:start] + f'when = "{deep}"' + text[end:])
PY
    touch "$OUT/corpus/deep"
fi
# 8. A 128 KB argument.
LONG_MAP="time=$(head -c 131000 /dev/zero | tr "\0" "m")"

run() { # label command...
    local label=$1
    shift
    want "$label" || return 0
    local log="$OUT/$label.time" err="$OUT/$label.err"
    rm -f "$OUT/bomb.db"
    local code=0
    /usr/bin/time -v -o "$log" "$@" > /dev/null 2> "$err" || code=$?
    local peak seconds
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$log")
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    printf '%-14s peak %8s  exit %s  %s  stderr %s bytes\n    %s\n' "$label" "$peak" "$code" "$seconds" \
        "$(wc -c < "$err")" "$(grep -av '^\s*$' "$err" | head -1 | cut -c1-300)"
}

DB=(--db "$OUT/bomb.db")
run gzip-zeros "$REMIT" audit "$OUT/zeros.csv.gz" --owner "El Cajon CA PD" --no-store --quiet
run gzip-rows "$REMIT" audit "$OUT/rows.csv.gz" --owner "El Cajon CA PD" --no-store --quiet
run long-row "$REMIT" audit "$OUT/line.csv" --owner "El Cajon CA PD" --no-store --quiet
run nul-bytes "$REMIT" audit "$OUT/nul.csv" --owner "El Cajon CA PD" --no-store --quiet
run sharing-entry "$REMIT" "${DB[@]}" sharing import "$OUT/entry.csv" --owner "El Cajon CA PD" --quiet
run sharing-list "$REMIT" "${DB[@]}" sharing import "$OUT/list-$list_rows.csv" --owner "El Cajon CA PD" --quiet
run sharing-names "$REMIT" "${DB[@]}" sharing import "$OUT/names-$list_rows.txt" --owner "El Cajon CA PD" --quiet
run sharing-distinct "$REMIT" "${DB[@]}" sharing import "$OUT/distinct-$distinct_rows.csv" --owner "El Cajon CA PD" --quiet
run xlsx-cell "$REMIT" "${DB[@]}" registry import "$OUT/participatingAgencies07182025cell.xlsx"
run xlsx-rows "$REMIT" "${DB[@]}" registry import "$OUT/participatingAgencies07182025rows.xlsx"
run sharing-cell "$REMIT" "${DB[@]}" sharing import "$OUT/participatingAgencies07182025cell.xlsx" --owner "El Cajon CA PD" --quiet
run audit-cell "$REMIT" audit "$OUT/participatingAgencies07182025cell.xlsx" --owner "El Cajon CA PD" --no-store --quiet
run deep-when "$REMIT" rules check --corpus "$OUT/corpus"
run long-argument "$REMIT" audit examples/demo/alpr/network-audit-sample.csv --owner "El Cajon CA PD" --no-store --quiet --map "$LONG_MAP"
rm -f "$OUT"/bomb.db*
