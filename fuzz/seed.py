#!/usr/bin/env python3
"""Makes the fuzz targets' starting corpora in fuzz/corpus/TARGET/ (ignored by git).

Seeds come from three places: small inputs written here, the repository's own corpus and test
fixtures, and, when it is there, the real data in ../shared/data (cut to its first rows; nothing
from it is kept in the repository). Each seed starts with the control byte its target reads
first (which reader, which option), then the bytes the reader gets.

Usage: fuzz/seed.py [SHARED_DATA_DIR]
"""
import glob
import hashlib
import io
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
MAX = 60_000


def put(target, control, data):
    if isinstance(data, str):
        data = data.encode()
    data = bytes([control]) + data[:MAX]
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def head(data, lines):
    return b"\n".join(data.split(b"\n")[:lines])


def sheet_parts(path, rows=30, strings=200):
    """The `<sheetData>` of a workbook's first sheet cut to `rows` rows, and its first
    `strings` shared strings: the two parts the assembled-workbook modes fuzz."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        sheet = [n for n in names if n.startswith("xl/worksheets/sheet")]
        if not sheet:
            return None
        xml = book.read(sorted(sheet)[0]).decode("utf-8", "replace")
        shared = book.read("xl/sharedStrings.xml").decode("utf-8", "replace") if "xl/sharedStrings.xml" in names else ""
    start = xml.find("<sheetData")
    ends = [m.end() for m in re.finditer("</row>", xml)]
    if start < 0:
        return None
    body = xml[start:ends[min(rows, len(ends)) - 1]] + "</sheetData>" if ends else xml[start:xml.find("</worksheet>")]
    items = re.findall(r"<si>.*?</si>", shared, re.S)[:strings]
    return body.encode(), "".join(items).encode()


# --- csv_scanner: control byte = read size; then CSV bytes.
for i, text in enumerate([
    "a,b,c\n1,2,3\n",
    'Search Time,User,Reason\r\n"01/02/2025, 10:11:12 AM UTC","Ann ""A"" Lee",stolen\r\n',
    '"multi\nline",x\n\n\n"unterminated',
    "\ufeffname,state\nA,CA\n",
    ",,,\n,\n\"\"\n",
    "x" * 600 + "\n" + "y,\"" + "z" * 200 + "\"\n",
]):
    put("csv_scanner", i * 7, text)

# --- timestamp: control byte = zone offset; then values, one a line.
put("timestamp", 56, "\n".join([
    "01/02/2025, 10:11:12 AM UTC", "12/31/2024, 11:59:59 PM UTC", "2025-08-01T13:05:47.234Z",
    "2025-08-01 13:05:47", "2025-08-01T13:05:47-07:00", "1/2/2025 3:04 PM", "1/2/25 15:04",
    "45826.001444317131", "1735689600", "1735689600123", "2025-08-01", "  2025-08-01T00:00:00+0530 ",
]))
put("timestamp", 0, "01/02/2025, 10:11:12 AM UTC\n01/02/2025, 10:11:13 PM UTC\n02/02/2025, 12:00:00 AM UTC")
put("timestamp", 112, "7/4/2024 12:00:00 AM\n2024-07-04T00:00:00 PDT\n+05:30\n-7\nUTC")

# --- registry_sheet: bit 0 = kind, bits 1-2 = 0/1 CSV, 2 workbook, 3 assembled workbook.
for path in sorted(glob.glob(os.path.join(ROOT, "crates/registry/tests/fixtures/sample/*.csv"))):
    put("registry_sheet", 0 if "participating" in path else 1, read(path))
put("registry_sheet", 0, "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,MOA\n"
    "AL,Example County Sheriff's Office,Sheriff,Example,Jail Enforcement Model,2025-01-02,link\n")

# --- sharing_list: bit 7 = no owner given; bit 6 = `--direction inbound`; bits 0-5 % 5 = 0 JSON,
# 1 CSV, 2 names, 3 workbook, 4 assembled workbook.
fixtures = os.path.join(ROOT, "crates/sharing/tests/fixtures")
for path in sorted(glob.glob(os.path.join(fixtures, "*"))):
    ext = os.path.splitext(path)[1]
    mode = {".json": 0, ".csv": 1, ".txt": 2, ".xlsx": 3}.get(ext)
    if mode is not None:
        put("sharing_list", mode, read(path))
        put("sharing_list", mode | 0x80, read(path))
        if mode in (1, 2):
            put("sharing_list", mode | 0x40, read(path))
vigilant = os.path.join(fixtures, "vigilant-lists.xlsx")
if os.path.exists(vigilant):
    parts = sheet_parts(vigilant)
    if parts:
        put("sharing_list", 4, parts[0] + b"\0" + parts[1])

# --- corpus_rules: control % 3 = 0/1 rule file, 2 context file.
for path in sorted(glob.glob(os.path.join(ROOT, "corpus/us-*/*.toml"))):
    name = os.path.basename(path)
    if name.endswith("scenarios.toml") or name.endswith("searched.toml"):
        continue
    put("corpus_rules", 2 if name.endswith("context.toml") else 0, read(path))
for path in sorted(glob.glob(os.path.join(ROOT, "corpus/context/*.toml")))[:5]:
    put("corpus_rules", 2, read(path))

# --- The real data, when it is there.
if os.path.isdir(SHARED):
    for path in sorted(glob.glob(os.path.join(SHARED, "alpr/*/*.csv"))):
        data = read(path)
        put("csv_scanner", 9, head(data, 40))
        if "sharing" in os.path.basename(path):
            put("sharing_list", 1, head(data, 200))
            put("sharing_list", 0x81, head(data, 200))
            put("sharing_list", 0x41, head(data, 200))
    for path in sorted(glob.glob(os.path.join(SHARED, "alpr/transparency-portals/*.json")))[:25]:
        put("sharing_list", 0, read(path))
    sheets = sorted(glob.glob(os.path.join(SHARED, "287g/ice-sheets/*/*.xlsx")))
    for path in sheets[:2] + sheets[-2:]:
        kind = 0 if "participating" in os.path.basename(path) else 1
        if os.path.getsize(path) <= MAX:
            put("registry_sheet", 4 | kind, read(path))
        parts = sheet_parts(path)
        if parts:
            put("registry_sheet", 6 | kind, parts[0] + b"\0" + parts[1])
    for path in sorted(glob.glob(os.path.join(SHARED, "287g/ice-sheets/*/*.csv")))[:4]:
        kind = 0 if "participating" in os.path.basename(path) else 1
        put("registry_sheet", kind, head(read(path), 60))
else:
    print(f"note: {SHARED} not found; seeding from the repository only", file=sys.stderr)

for target in sorted(os.listdir(os.path.join(HERE, "corpus"))):
    count = len(os.listdir(os.path.join(HERE, "corpus", target)))
    print(f"{target}: {count} seeds")
