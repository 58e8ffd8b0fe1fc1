#!/usr/bin/env python3
"""Draws the names of the labelled accuracy sets from ../shared/data and writes draft labels.

Standard library only. Run from the repository root:

    python3 crates/agencies/evaluation/sample_names.py ../shared/data out/

Writes out/pool.tsv (every distinct name with its source and state column), and
out/sample-draft.tsv, out/holdout-draft.tsv and out/el-cajon-draft.tsv: the drawn names with a
draft state and class from the simple rules in draft_state() and draft_class(). Every draft was
then checked by hand against the labelling rules in docs/methodology.md#agency-names and corrected
where wrong; the checked labels are crates/agencies/tests/fixtures/labelled-names.csv. The
holdout set leaves out every name of the sample and of El Cajon's list.
"""

import collections
import csv
import glob
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path):
    """Every sheet of a workbook as lists of cell texts."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    workbook = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheets = {}
    for sheet in workbook.find("m:sheets", NS):
        target = targets[sheet.get("{%s}id" % NS["r"])]
        target = target[1:] if target.startswith("/") else "xl/" + target
        root = ET.fromstring(z.read(target))
        rows = []
        for row in root.iter("{%s}row" % NS["m"]):
            values = {}
            for c in row.findall("m:c", NS):
                kind, v = c.get("t"), c.find("m:v", NS)
                text = None
                if kind == "s" and v is not None:
                    text = shared[int(v.text)]
                elif kind == "inlineStr":
                    text = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
                elif v is not None:
                    text = v.text
                values[column_index(c.get("r"))] = text
            rows.append([values.get(i) for i in range(max(values) + 1)] if values else [])
        sheets[sheet.get("name")] = rows
    return sheets


def pool(data):
    """(source, state column, name) for every agency name in the data."""
    rows = []
    for f in sorted(glob.glob(data + "/alpr/transparency-portals/*.json")):
        d = json.load(open(f))
        base = os.path.basename(f)
        for key in ("sharing_outbound", "sharing_inbound"):
            for n in d.get(key) or []:
                rows.append(("portal:" + base + ":" + key, "", n))
        if d.get("crawled_name"):
            rows.append(("portal:" + base + ":crawled_name", "", d["crawled_name"]))
    for r in csv.DictReader(open(data + "/alpr/eugene-or/sharing-list.csv")):
        rows.append(("eugene-sharing", r["State"], r["Name"]))
    for r in csv.DictReader(open(data + "/alpr/okaloosa-fl/sharing-agencies.csv")):
        rows.append(("okaloosa-sharing:org", "", r["Organization Name"]))
        for col in ("Networks Shared With Me", "Networks I'm Sharing"):
            for n in (r[col] or "").split(","):
                if n.strip():
                    rows.append(("okaloosa-sharing:networks", "", n.strip()))
    irvine = read_xlsx(data + "/alpr/irvine-ca/vigilant-audit_2021-12_2025-01.xlsx")
    for sheet in ("A1", "A2", "A3", "A4"):
        for r in irvine[sheet][1:]:
            if r and r[0]:
                rows.append(("irvine:" + sheet, "", r[0]))
    for f in sorted(glob.glob(data + "/287g/ice-sheets/*/*.xlsx")):
        sheet = list(read_xlsx(f).values())[0]
        header = [(h or "").strip() for h in sheet[0]]
        name, state = header.index("LAW ENFORCEMENT AGENCY"), header.index("STATE")
        kind = "287g-pending" if "pending" in f else "287g"
        for r in sheet[1:]:
            if len(r) > name and r[name]:
                rows.append((kind, r[state] or "", r[name]))
    return rows


CODES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "FLORIDA": "FL", "GEORGIA": "GA",
    "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS",
    "KENTUCKY": "KY", "LOUISIANA": "LA", "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA",
    "MICHIGAN": "MI", "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM",
    "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK",
    "OREGON": "OR", "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC",
    "SOUTH DAKOTA": "SD", "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT",
    "VIRGINIA": "VA", "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
}
def draft_state(name, col):
    m=re.search(r'\(\s*([A-Z]{2})\s*\)', name)
    if m and m.group(1) in CODES: return m.group(1)
    m=re.match(r'^([A-Z]{2})\s*-', name)
    if m and m.group(1) in CODES: return m.group(1)
    m=re.search(r'[ ,-]([A-Z]{2})\s+(PD|SO|SD|DPS|DA|PR|Tribal|Police|Sheriff|Marshal|FD|State|Campus)\b', name)
    if m and m.group(1) in CODES: return m.group(1)
    m=re.search(r'[ ,-]([A-Z]{2})\s*$', name.strip())
    if m and m.group(1) in CODES: return m.group(1)
    if col:
        c=col.strip().upper()
        if c in CODES: return c
        if c in NAMES: return NAMES[c]
    for n,c in NAMES.items():
        if name.upper().startswith(n+' ') and not re.match(n+r' (CITY|COUNTY|BEACH)', name.upper()): return c
    return ''
def draft_class(name):
    u=name.upper()
    if re.search(r'\b(LLC|INC|HOA|APARTMENTS|ASSOCIATION|WALMART|CORPORATION)\b',u): return 'private'
    if re.search(r'FEDERAL|BORDER PATROL|\bHSI\b|\bATF\b|POSTAL INSPECTION|VETERANS AFFAIRS|AIR FORCE|DRUG ENFORCEMENT ADMIN|\bUS\b|U\.S\.',u): return 'federal'
    if re.search(r'STATE POLICE|HIGHWAY PATROL|STATE PATROL|DEPARTMENT OF (PUBLIC SAFETY|CORRECTIONS)|ATTORNEY GENERAL',u) and not re.search(r'UNIVERSITY|COLLEGE',u): return 'state'
    if re.search(r'\b(PD|SO|SD|POLICE|SHERIFF|SHERIFFS|MARSHAL|MARSHALS|CONSTABLE|DA|DISTRICT ATTORNEY|UNIVERSITY|COLLEGE|ISD|SCHOOL|TRIBAL|DPS|PROSECUTOR|DETENTION|JAIL|CORRECTIONS)\b',u): return 'local'
    return ''


def group_of(source):
    for group in ("portal", "okaloosa", "irvine", "287g", "eugene"):
        if source.startswith(group):
            return group
    raise ValueError(source)


def draw(first_source, left_out, skipped, seed, quota):
    """Shuffles each source's distinct names (without `left_out`) and takes the first names
    not in `skipped` and not taken already."""
    by_group = collections.defaultdict(list)
    for (group, name, state), source in first_source.items():
        if name not in left_out:
            by_group[group].append((name, state, source))
    random.seed(seed)
    drawn, seen = [], set(skipped)
    for group, count in quota.items():
        candidates = sorted(by_group[group])
        random.shuffle(candidates)
        taken = 0
        for name, state, source in candidates:
            if name in seen:
                continue
            seen.add(name)
            drawn.append((group, source, state, name))
            taken += 1
            if taken == count:
                break
    return drawn


def write(path, rows):
    with open(path, "w") as out:
        for group, source, state, name in rows:
            out.write("\t".join([group, source, state, name, draft_state(name, state), draft_class(name)]) + "\n")


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    # Names are kept on one line: tabs and line breaks inside a name become spaces.
    rows = [tuple(x.replace("\t", " ").replace("\n", " ") for x in row) for row in pool(data)]
    first_source = {}
    for source, state, name in rows:
        first_source.setdefault((group_of(source), name, state), source)
    with open(os.path.join(out, "pool.tsv"), "w") as f:
        for (group, name, state), source in first_source.items():
            f.write("\t".join([source, state, name]) + "\n")
    portal = json.load(open(data + "/alpr/transparency-portals/-el-cajon-pd-ca__2026-04-29.json"))
    el_cajon = portal["sharing_outbound"]
    sample = draw(first_source, set(), set(el_cajon), 20260,
                  {"287g": 130, "portal": 100, "irvine": 90, "okaloosa": 70, "eugene": 20})
    holdout = draw(first_source, set(el_cajon) | {r[3] for r in sample}, set(), 777,
                   {"287g": 40, "portal": 40, "irvine": 35, "okaloosa": 30, "eugene": 5})
    write(os.path.join(out, "sample-draft.tsv"), sample)
    write(os.path.join(out, "holdout-draft.tsv"), holdout)
    source = "portal:-el-cajon-pd-ca__2026-04-29.json:sharing_outbound"
    write(os.path.join(out, "el-cajon-draft.tsv"), [("el-cajon", source, "", n) for n in el_cajon])
    print(f"{len(first_source)} distinct names; sample {len(sample)}, holdout {len(holdout)}, El Cajon {len(el_cajon)}")


if __name__ == "__main__":
    main()
