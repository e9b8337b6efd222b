#!/usr/bin/python3
"""The benchmark job (PERF-NOTES) in geopandas, with the same answers as PostGIS geography.

Run by the harness with Debian's Python (/usr/bin/python3: geopandas 0.12, shapely 1.8, pyproj 3.4, rtree):

    /usr/bin/python3 bench/geopandas_join.py --dir WORK/geopandas --runs 1

Reads the CSV files the harness wrote (not timed), then times the job:
  1. each population point to the village that covers it (boundary included; on a shared boundary the
     smallest code wins, as in Indicators/README.md);
  2. people within the radius of at least one 4G tower (geodesic distance on WGS84, pyproj.Geod, which is
     GeographicLib's geod_inverse, as PostGIS geography);
  3. fibre length per village: planar intersection in lon/lat, then geodesic length of the pieces;
  4. village anchor (office) within 500 m of an existing route, by PostGIS geography's own method: closest
     point on the great-circle edges of a unit sphere, then the ellipsoidal distance to it;
  5. sums per village and per regency.
Writes villages_out.csv, regencies_out.csv and stats.json (seconds per run and per step, peak RSS).
"""
import argparse
import json
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd
import geopandas as gpd
from pyproj import Geod
from shapely.geometry import box
import shapely.vectorized as shapely_vectorized

GEOD = Geod(ellps="WGS84")
FIBRE_REACH_M = 500.0


def read(directory):
    villages = pd.read_csv(f"{directory}/villages.csv", dtype={"code": str})
    villages = gpd.GeoDataFrame(villages[["code"]], geometry=gpd.GeoSeries.from_wkt(villages["wkt"]), crs=4326)
    cells = pd.read_csv(f"{directory}/cells.csv")
    cells = gpd.GeoDataFrame(cells[["x", "y", "population"]], geometry=gpd.points_from_xy(cells["x"], cells["y"]), crs=4326)
    towers = pd.read_csv(f"{directory}/towers4g.csv")
    anchors = pd.read_csv(f"{directory}/anchors.csv", dtype={"code": str})
    fibre = pd.read_csv(f"{directory}/fibre.csv", dtype={"id": str})
    fibre = gpd.GeoDataFrame(fibre[["id", "existing"]], geometry=gpd.GeoSeries.from_wkt(fibre["wkt"]), crs=4326)
    return villages, cells, towers, anchors, fibre


def degree_boxes(x, y, metres):
    """Lon/lat boxes that contain every point within `metres` (geodesic) of (x, y), with a 1 % margin."""
    dlat = metres / 110_574.0 * 1.01
    max_lat = np.minimum(89.0, np.abs(y) + dlat)
    dlon = metres / (111_320.0 * np.cos(np.radians(max_lat))) * 1.01
    return gpd.GeoSeries([box(a, b, c, d) for a, b, c, d in zip(x - dlon, y - dlat, x + dlon, y + dlat)], crs=4326)


def unit_vectors(lon, lat):
    lon = np.radians(lon)
    lat = np.radians(lat)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def sphere_closest_on_edges(p, a, b):
    """PostGIS edge_distance_to_point on the unit sphere: the closest point of the minor arc a–b to p and its angle."""
    n = np.cross(a, b)
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    foot = p - np.sum(p * n, axis=1, keepdims=True) * n
    foot /= np.linalg.norm(foot, axis=1, keepdims=True)
    on_arc = (np.sum(np.cross(a, foot) * n, axis=1) >= 0) & (np.sum(np.cross(foot, b) * n, axis=1) >= 0)

    def angle(u, v):
        return np.arctan2(np.linalg.norm(np.cross(u, v), axis=1), np.sum(u * v, axis=1))

    best, best_angle = a.copy(), angle(p, a)
    ab = angle(p, b)
    take = ab < best_angle
    best[take], best_angle[take] = b[take], ab[take]
    af = np.where(on_arc, angle(p, foot), np.inf)
    take = af < best_angle
    best[take], best_angle[take] = foot[take], af[take]
    return best, best_angle


def job(villages, cells, towers, anchors, fibre, steps):
    # every run builds its own spatial indexes (geopandas caches them on the geometry array)
    for frame in (villages, cells, fibre):
        frame.geometry.values._sindex = None
    t = time.perf_counter()

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - t
        t = now

    # 1. point -> village: candidates from the tree on the points, then shapely's vectorised point-in-polygon per
    # village (interior); the few points left (on a boundary, if any) go through sjoin "intersects" (= covers).
    cx, cy = cells["x"].values, cells["y"].values
    vi, ci = cells.sindex.query_bulk(villages.geometry)
    starts = np.flatnonzero(np.r_[True, vi[1:] != vi[:-1]])
    inside = np.zeros(len(ci), dtype=bool)
    polygons = villages.geometry.values
    for s, e in zip(starts, np.r_[starts[1:], len(vi)]):
        c = ci[s:e]
        inside[s:e] = shapely_vectorized.contains(polygons[vi[s]], cx[c], cy[c])
    codes = villages["code"].values
    pairs = pd.DataFrame({"code": codes[vi[inside]], "cell": ci[inside]})
    left = np.setdiff1d(np.arange(len(cells)), pairs["cell"].values)
    if len(left):
        edge = gpd.sjoin(cells.iloc[left][["geometry"]], villages, how="inner", predicate="intersects")
        pairs = pd.concat([pairs, pd.DataFrame({"code": edge["code"].values, "cell": edge.index.values})])
    pairs = pairs.sort_values("code", kind="stable").drop_duplicates("cell")
    cell_village = pd.Series(pairs["code"].values, index=pairs["cell"].values).reindex(cells.index)
    lap("1 point→village")

    # 2. people within the radius of >= 1 4G tower: box prefilter, then the exact geodesic distance per pair
    # (a point intersects a box exactly when their bounding boxes do, so the tree query needs no predicate)
    boxes = degree_boxes(towers["x"].values, towers["y"].values, towers["radius"].values)
    ti, ci = cells.sindex.query_bulk(boxes)
    _, _, dist = GEOD.inv(towers["x"].values[ti], towers["y"].values[ti], cx[ci], cy[ci])
    covered = np.zeros(len(cells), dtype=bool)
    covered[ci[dist <= towers["radius"].values[ti]]] = True
    lap("2 4G coverage")

    # 3. fibre length per village: intersection pieces, geodesic length of each
    fv = gpd.sjoin(fibre[["geometry"]], villages, how="inner", predicate="intersects")
    pieces = gpd.GeoSeries(fv.geometry.values).intersection(gpd.GeoSeries(villages.geometry.values[fv["index_right"].values]), align=False)
    lengths = np.fromiter((GEOD.geometry_length(g) if not g.is_empty else 0.0 for g in pieces.values), dtype=float, count=len(pieces))
    fibre_m = pd.Series(lengths).groupby(fv["code"].values).sum()
    lap("3 fibre km")

    # 4. anchor within 500 m of an existing route (PostGIS geography's method, see the module docstring)
    existing = fibre[fibre["existing"] == 1]
    coords = [np.asarray(line.coords) for geom in existing.geometry.values for line in getattr(geom, "geoms", [geom])]
    seg_a = np.concatenate([c[:-1] for c in coords])
    seg_b = np.concatenate([c[1:] for c in coords])
    keep = np.any(seg_a != seg_b, axis=1)
    seg_a, seg_b = seg_a[keep], seg_b[keep]
    segments = gpd.GeoSeries([box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])) for a, b in zip(seg_a, seg_b)], crs=4326)
    anchor_boxes = gpd.GeoDataFrame(geometry=degree_boxes(anchors["x"].values, anchors["y"].values, FIBRE_REACH_M))
    cand = gpd.sjoin(anchor_boxes, gpd.GeoDataFrame(geometry=segments), how="inner", predicate="intersects")
    ai = cand.index.values
    si = cand["index_right"].values
    p = unit_vectors(anchors["x"].values[ai], anchors["y"].values[ai])
    closest, angle = sphere_closest_on_edges(p, unit_vectors(seg_a[si, 0], seg_a[si, 1]), unit_vectors(seg_b[si, 0], seg_b[si, 1]))
    order = np.lexsort((angle, ai))
    first = np.ones(len(order), dtype=bool)
    first[1:] = ai[order][1:] != ai[order][:-1]
    best = order[first]
    lon = np.degrees(np.arctan2(closest[best, 1], closest[best, 0]))
    lat = np.degrees(np.arctan2(closest[best, 2], np.hypot(closest[best, 0], closest[best, 1])))
    _, _, d = GEOD.inv(anchors["x"].values[ai[best]], anchors["y"].values[ai[best]], lon, lat)
    on_fibre = np.zeros(len(anchors), dtype=np.int64)
    on_fibre[ai[best][d <= FIBRE_REACH_M]] = 1
    lap("4 village on fibre")

    # 5. sums per village and regency
    pop = cells["population"].values
    per_village = pd.DataFrame({"code": cell_village.values, "population": pop, "covered_4g": np.where(covered, pop, 0)}).groupby("code").sum()
    out = pd.DataFrame({"code": anchors["code"].values, "on_fibre": on_fibre}).set_index("code")
    out = out.join(per_village, how="left").join(fibre_m.rename("fibre_m"), how="left").fillna(0)
    out = out.astype({"population": np.int64, "covered_4g": np.int64, "on_fibre": np.int64})
    out["regency"] = out.index.str[:5]
    regencies = out.groupby("regency")[["population", "covered_4g", "fibre_m", "on_fibre"]].sum()
    lap("5 sums per village and regency")
    return out, regencies


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()

    t = time.perf_counter()
    data = read(args.dir)
    read_seconds = time.perf_counter() - t
    print(f"read the inputs in {read_seconds:.1f} s: {len(data[0])} villages, {len(data[1])} points, {len(data[2])} 4G towers, {len(data[4])} routes", flush=True)

    runs, per_step = [], []
    for i in range(args.runs):
        steps = {}
        t = time.perf_counter()
        villages_out, regencies_out = job(*data, steps)
        runs.append(time.perf_counter() - t)
        per_step.append(steps)
        print(f"run {i + 1}: {runs[-1]:.1f} s ({', '.join(f'{k} {v:.1f}' for k, v in steps.items())})", flush=True)

    cols = ["population", "covered_4g", "fibre_m", "on_fibre"]
    villages_out[cols].to_csv(f"{args.dir}/villages_out.csv", index_label="code", float_format="%.6f")
    regencies_out[cols].rename(columns={"on_fibre": "villages_on_fibre"}).to_csv(f"{args.dir}/regencies_out.csv", index_label="code", float_format="%.6f")
    steps = {k: statistics.median(s[k] for s in per_step) for k in per_step[0]}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(f"{args.dir}/stats.json", "w") as f:
        json.dump({"runs": runs, "steps": steps, "read_seconds": read_seconds, "peak_rss_bytes": peak}, f)
    print(f"peak RSS {peak / 2**20:.0f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
