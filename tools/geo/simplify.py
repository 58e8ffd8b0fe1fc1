#!/usr/bin/env python3
"""Builds crates/web/assets/us-map.txt, the compact US state and county map that the dashboard
draws as server-side SVG, from the Census boundaries in ../shared/data/geo.

    python3 tools/geo/simplify.py [GEO_DIR] [OUT] [--tolerance TENTHS]

GEO_DIR defaults to ../shared/data/geo (us-states-inset.geojson, us-counties-inset.geojson),
OUT to crates/web/assets/us-map.txt, both relative to the workspace. Python's standard library
only.

Steps: project longitude/latitude with an Albers equal-area conic (the insets for Alaska,
Hawaii and the territories are already placed by the source); round to tenths of a pixel on a
975-pixel-wide map; cut every ring into arcs at the points where neighbours meet, so that a
border two counties share is simplified once and the two stay joined; simplify each arc with
Douglas-Peucker; drop rings that collapse. Each ring is written as one line of integers: the
first point, then the step to each next point.

Census geometry is public domain; the inset layout is MIT (recoveredfactory/287g-watch).
"""

import argparse
import json
import math
import sys
from pathlib import Path

WIDTH = 975.0
HEIGHT = 610.0
SCALE = 10  # integer units per pixel
PARALLELS = (29.5, 45.5)
ORIGIN = (-96.0, 37.5)


def albers():
    phi1, phi2 = (math.radians(p) for p in PARALLELS)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(ORIGIN[1]))) / n

    def project(lon, lat):
        theta = n * math.radians(lon - ORIGIN[0])
        rho = math.sqrt(max(c - 2 * n * math.sin(math.radians(lat)), 0.0)) / n
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)

    return project


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def load(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    features = data.get("features")
    if not isinstance(features, list):
        raise ValueError(f"{path}: no `features` list")
    return features


def fit(features_sets, project):
    """The scale and offset that fit every projected point into WIDTH x HEIGHT."""
    xs, ys = [], []
    for features in features_sets:
        for feature in features:
            for polygon in polygons(feature["geometry"]):
                for ring in polygon:
                    for lon, lat in ring:
                        x, y = project(lon, lat)
                        xs.append(x)
                        ys.append(y)
    margin = 4.0
    k = min((WIDTH - 2 * margin) / (max(xs) - min(xs)), (HEIGHT - 2 * margin) / (max(ys) - min(ys)))
    x0, y1 = min(xs), max(ys)

    def to_units(lon, lat):
        x, y = project(lon, lat)
        return (round((margin + (x - x0) * k) * SCALE), round((margin + (y1 - y) * k) * SCALE))

    return to_units


def rings_of(features, to_units):
    """(feature, [ring]) with each ring a closed list of integer points, repeats dropped."""
    out = []
    for feature in features:
        rings = []
        for polygon in polygons(feature["geometry"]):
            for ring in polygon:
                points = []
                for lon, lat in ring:
                    point = to_units(lon, lat)
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) > 1 and points[0] == points[-1]:
                    points.pop()
                if len(points) >= 3:
                    rings.append(points)
        out.append((feature, rings))
    return out


def junctions(all_rings):
    """Points where the set of neighbours changes: where two borders meet or one ends."""
    neighbours = {}
    for rings in all_rings:
        for ring in rings:
            n = len(ring)
            for i, point in enumerate(ring):
                pair = frozenset((ring[i - 1], ring[(i + 1) % n]))
                neighbours.setdefault(point, set()).add(pair)
    return {point for point, pairs in neighbours.items() if len(pairs) > 1}


def distance(point, a, b):
    (x, y), (x1, y1), (x2, y2) = point, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def douglas_peucker(points, tolerance):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, fixed, cache, tolerance):
    """The ring simplified arc by arc; an arc is simplified the same way whichever ring holds
    it, by always simplifying it in one direction."""
    cuts = [i for i, p in enumerate(ring) if p in fixed]
    if not cuts:
        # A ring no other ring touches (an island), or one shared whole (an enclave): start at
        # its smallest point, so that both copies are cut alike.
        start = ring.index(min(ring))
        ring = ring[start:] + ring[:start]
        cuts = [0]
        closed = ring + [ring[0]]
        # Two halves, so that the ring cannot collapse to a line.
        middle = len(ring) // 2
        arcs = [closed[: middle + 1], closed[middle:]]
    else:
        start = cuts[0]
        ring = ring[start:] + ring[:start]
        cuts = [i - start for i in cuts]
        closed = ring + [ring[0]]
        bounds = cuts + [len(ring)]
        arcs = [closed[a : b + 1] for a, b in zip(bounds, bounds[1:])]
    out = []
    for arc in arcs:
        forward = tuple(arc)
        backward = tuple(reversed(arc))
        key = min(forward, backward)
        if key not in cache:
            cache[key] = douglas_peucker(list(key), tolerance)
        simplified = cache[key] if key == forward else list(reversed(cache[key]))
        out.extend(simplified[:-1])
    return out


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def encode(ring):
    x, y = ring[0]
    parts = [str(x), str(y)]
    for nx, ny in ring[1:]:
        parts.append(str(nx - x))
        parts.append(str(ny - y))
        x, y = nx, ny
    return " ".join(parts)


def main(argv):
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description="Build the dashboard's compact US map.")
    parser.add_argument("geo", nargs="?", type=Path, default=root.parent / "shared" / "data" / "geo",
                        help="folder with us-states-inset.geojson and us-counties-inset.geojson")
    parser.add_argument("out", nargs="?", type=Path,
                        default=root / "crates" / "web" / "assets" / "us-map.txt",
                        help="the map file to write")
    parser.add_argument("--tolerance", type=float, default=3.0,
                        help="simplification tolerance in tenths of a pixel (default 3)")
    args = parser.parse_args(argv)
    geo, out_path, tolerance = args.geo, args.out, args.tolerance
    states = load(geo / "us-states-inset.geojson")
    counties = load(geo / "us-counties-inset.geojson")
    to_units = fit([states, counties], albers())
    lines = [
        "# The US states and counties for the dashboard's maps, built by tools/geo/simplify.py",
        "# from the US Census Bureau's cartographic boundaries (public domain) as laid out with",
        "# insets by recoveredfactory/287g-watch (MIT). Albers equal-area conic projection, in",
        f"# tenths of a pixel, simplified to {tolerance / SCALE:g} px.",
        "# W width height (in tenths of a pixel)",
        "# S state-fips name / C county-fips name: a place; each following R line is one of its",
        "#   rings: x y, then dx dy to each next point (rings with holes are drawn even-odd)",
        f"W {round(WIDTH * SCALE)} {round(HEIGHT * SCALE)}",
    ]
    before = after = 0
    for kind, features in (("S", states), ("C", counties)):
        shapes = rings_of(features, to_units)
        fixed = junctions(rings for _, rings in shapes)
        cache = {}
        for feature, rings in sorted(shapes, key=lambda s: str(s[0]["id"])):
            fips = str(feature["id"])
            name = feature["properties"]["name"]
            lines.append(f"{kind} {fips} {name}")
            kept = []
            for ring in rings:
                before += len(ring)
                simple = simplify_ring(ring, fixed, cache, tolerance)
                if len(simple) >= 3 and area(simple) >= 1.0:
                    kept.append(simple)
            if not kept and rings:
                # A place too small to survive simplifying (Falls Church, VA) keeps its largest
                # ring as it was, so that it can still be found and followed on the map.
                kept.append(max(rings, key=area))
            if not kept:
                # The source draws a few places as a line (Falls Church, VA): a small square at
                # their middle keeps them on the map.
                points = [
                    to_units(lon, lat)
                    for polygon in polygons(feature["geometry"])
                    for ring in polygon
                    for lon, lat in ring
                ]
                if not points:
                    raise ValueError(f"{kind} {fips} {name}: no point at all")
                x = round(sum(p[0] for p in points) / len(points))
                y = round(sum(p[1] for p in points) / len(points))
                kept.append([(x - 4, y - 4), (x + 4, y - 4), (x + 4, y + 4), (x - 4, y + 4)])
            for ring in kept:
                after += len(ring)
                lines.append("R " + encode(ring))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    out_path.write_text(text, encoding="utf-8")
    print(f"{out_path}: {len(text):,} bytes, {after:,} points (from {before:,})")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"error: cannot build the map: {error}", file=sys.stderr)
        print("  help: GEO_DIR must hold us-states-inset.geojson and us-counties-inset.geojson"
              " (features with `id`, `properties.name` and Polygon or MultiPolygon geometry)",
              file=sys.stderr)
        sys.exit(2)
