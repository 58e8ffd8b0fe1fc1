"""The screenshots of docs/web.md: the demo's home page, an answer, the 287(g) page, an agency,
an audit and a sharing page, each on a 360-pixel phone screen and a 1366-pixel laptop screen, in
headless Chromium with JavaScript off (as the browser tests run it).

Each screenshot is the first screenful of the page, stored as a palette PNG (the 256 colours the
page uses most, each other colour drawn as the nearest of them), so that it stays small in the
repository. Only the Python standard library and Debian's chromium + chromium-driver are needed.

    python3 tests/browser/screenshots.py --remit target/debug/remit --out docs/img
"""

import argparse
import base64
import os
import struct
import sys
import tempfile
import zlib

from dashboard import start_server
from webdriver import Failure, run_in_browser

PAGES = [
    ("home", "/"),
    (
        "answer",
        "/ask?where=CA&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
    ),
    ("287g", "/287g?state=FL#map"),
    ("agency", "/agencies/FL/Bay%20County%20Sample%20Sheriff%27s%20Office"),
    ("audit", "/audits/demo-network-audit"),
    ("sharing", "/sharing/Sample%20City%20CA%20PD"),
]

SCREENS = [("phone", 360, 780), ("desktop", 1366, 900)]


def read_png(data):
    """Width, height and rows of RGB pixels of an 8-bit RGB or RGBA PNG without interlacing
    (what Chromium writes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("the screenshot is not a PNG")
    position, idat, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise Failure(f"unexpected PNG format: depth {depth}, colour type {colour}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 0xFF
        previous = line
        if channels == 4:
            line = bytearray(b for index, b in enumerate(line) if index % 4 != 3)
        rows.append(bytes(line))
    return width, height, rows


def palette_png(width, height, rows):
    """The image as an 8-bit palette PNG of its 256 most used colours."""
    counts = {}
    for row in rows:
        for x in range(0, len(row), 3):
            colour = row[x : x + 3]
            counts[colour] = counts.get(colour, 0) + 1
    palette = sorted(counts, key=counts.get, reverse=True)[:256]
    index = {colour: i for i, colour in enumerate(palette)}
    for colour in counts:
        if colour not in index:
            index[colour] = min(
                range(len(palette)),
                key=lambda i: sum((a - b) ** 2 for a, b in zip(colour, palette[i])),
            )
    raw = bytearray()
    for row in rows:
        raw.append(0)
        raw.extend(index[row[x : x + 3]] for x in range(0, len(row), 3))

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + chunk(b"PLTE", b"".join(palette))
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remit", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    server, site = start_server(args.remit)

    def body(browser):
        for screen, width, height in SCREENS:
            browser.resize(width, height)
            for name, path in PAGES:
                browser.open(f"{site}{path}")
                if "#" in path:
                    # Pages are read with JavaScript off; the driver's own script scrolls.
                    anchor = path.split("#", 1)[1]
                    browser.script(f"document.getElementById('{anchor}').scrollIntoView()")
                png = base64.b64decode(browser.call("GET", "/screenshot"))
                small = palette_png(*read_png(png))
                target = os.path.join(args.out, f"web-{name}-{screen}.png")
                with open(target, "wb") as out:
                    out.write(small)
                print(f"{target}: {len(small) // 1024} KB ({len(png) // 1024} KB as taken)")

    try:
        failures = tempfile.gettempdir()
        return run_in_browser("1366,900", False, failures, "remit-screenshots-failure.png", body)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
