"""Province boundaries for the maps, read from data/geo/ once per process.

The files never change while the app runs, so they are cached with lru_cache
on first use (never at import: a page import must stay cheap). Callers get
the cached objects and must not modify them.

`geo` is the geography key of the data layer: '2025' the 34 provinces from
1 July 2025, '2020' the 63 before. See data/geo/SOURCES.md for the files.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent / "geo"
FILES = {"2025": "vn_provinces_34.geojson", "2020": "vn_provinces_63.geojson"}


def _check(geo: str) -> str:
    if geo not in FILES:
        raise ValueError(f"geo must be one of {', '.join(FILES)}, not {geo!r}")
    return geo


@lru_cache(maxsize=4)  # two geographies
def provinces_geojson(geo: str = "2025") -> dict:
    """The FeatureCollection of one geography: each feature's properties are
    code (GSO 2-digit, the choropleth's featureidkey), name_vi, name_en."""
    path = GEO_DIR / FILES[_check(geo)]
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=4)  # two geographies
def province_codes(geo: str = "2025") -> frozenset[str]:
    """The province codes of one geography (its boundary file's)."""
    features = provinces_geojson(geo)["features"]
    return frozenset(f["properties"]["code"] for f in features)


def whole_country(geo: str, codes) -> bool:
    """Whether `codes` hold every province of the geography (a caller who sees
    the country, not a province analyst's own province alone)."""
    return province_codes(geo) <= set(codes)


@lru_cache(maxsize=1)
def _label_rows() -> tuple[dict, ...]:
    with (GEO_DIR / "archipelago_labels.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _names(geo: str) -> dict[str, dict]:
    return {
        f["properties"]["code"]: f["properties"]
        for f in provinces_geojson(geo)["features"]
    }


@lru_cache(maxsize=4)  # two geographies
def archipelago_labels(geo: str = "2025") -> tuple[dict, ...]:
    """Hoàng Sa and Trường Sa: label point, bounding box, the province holding them.

    Each: code (the province in this geography), lon, lat, bbox
    (min_lon, min_lat, max_lon, max_lat), name_vi/name_en of the archipelago,
    province_vi/province_en, label_vi ('QĐ. Hoàng Sa (Đà Nẵng)') and label_en
    ('Hoang Sa (Paracel) Islands, Da Nang').
    """
    names = _names(_check(geo))
    code_column = "code_34" if geo == "2025" else "code_63"
    out = []
    for row in _label_rows():
        code = row[code_column]
        province = names[code]
        short_vi = row["name_vi"].removeprefix("Quần đảo ").strip()
        out.append(
            {
                "code": code,
                "lon": float(row["label_lon"]),
                "lat": float(row["label_lat"]),
                "bbox": tuple(
                    float(row[k]) for k in ("min_lon", "min_lat", "max_lon", "max_lat")
                ),
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "province_vi": province["name_vi"],
                "province_en": province["name_en"],
                "label_vi": f"QĐ. {short_vi} ({province['name_vi']})",
                "label_en": f"{row['name_en']}, {province['name_en']}",
            }
        )
    return tuple(out)


def _inside(polygon: list, bbox: tuple[float, ...]) -> bool:
    min_lon, min_lat, max_lon, max_lat = bbox
    return all(
        min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
        for lon, lat in polygon[0]
    )


@lru_cache(maxsize=4)  # two geographies
def archipelago_geojson(geo: str = "2025") -> dict:
    """Only the island polygons of Hoàng Sa and Trường Sa, one feature each.

    At national zoom the islets are smaller than a pixel; the map draws this
    small collection again on top with a dark outline so they stay visible.
    Features carry properties code (the province), name_vi, name_en.
    """
    by_code = {f["properties"]["code"]: f for f in provinces_geojson(geo)["features"]}
    features = []
    for label in archipelago_labels(geo):
        geometry = by_code[label["code"]]["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        islands = [p for p in polygons if _inside(p, label["bbox"])]
        features.append(
            {
                "type": "Feature",
                "id": label["code"],
                "properties": {
                    "code": label["code"],
                    "name_vi": label["name_vi"],
                    "name_en": label["name_en"],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": islands},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# The archipelagos' islets lie east of 110°E or south of 8.3°N: the mainland's
# eastmost point (Mũi Đôi) is at 109.46°E, the southmost islands (Hòn Khoai,
# Côn Đảo) above 8.4°N.
MAINLAND_EAST, MAINLAND_SOUTH = 110.0, 8.3


def mainland_bounds(geo: str, codes) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) around these provinces' polygons,
    the archipelagos left out (Đà Nẵng's box is its coast, not Hoàng Sa's:
    every polygon east of MAINLAND_EAST or south of MAINLAND_SOUTH); None
    when no code matches. For a map zoomed to a region."""
    wanted = set(codes)
    lons, lats = [], []
    for feature in provinces_geojson(geo)["features"]:
        if feature["properties"]["code"] not in wanted:
            continue
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            ring = polygon[0]
            if min(lon for lon, _ in ring) > MAINLAND_EAST or (
                max(lat for _, lat in ring) < MAINLAND_SOUTH
            ):
                continue
            lons += [lon for lon, _ in ring]
            lats += [lat for _, lat in ring]
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def zoom_box(geo: str, codes) -> tuple[float, float, float, float] | None:
    """The box to zoom a map of these provinces (a region) to; None, the whole
    country, when they hold Hoàng Sa or Trường Sa (Đà Nẵng, Khánh Hòa): the
    archipelagos stay in the frame."""
    codes = set(codes)
    if codes & {a["code"] for a in archipelago_labels(geo)}:
        return None
    return mainland_bounds(geo, codes)
