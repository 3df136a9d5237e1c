"""Geography of the demo data: the 63 provinces, their sizes, the 34, communes.

Sizes are approximate public figures (2019 census population in thousands,
GRDP 2019 at current prices in trillion VND, natural area in km²); they only
set the relative weight of each province in the generated series.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date

import numpy as np

import settings

# code population(thousand) grdp(trillion VND) area(km²)
_SIZES = """
01 8054 970 3359|02 855 28 7929|04 531 20 6700|06 314 15 4860|08 786 40 5868
10 731 55 6364|11 599 20 9541|12 461 18 9069|14 1249 55 14110|15 822 30 6888
17 855 40 4591|19 1287 110 3522|20 782 35 8310|22 1321 230 6178|24 1804 110 3896
25 1464 65 3535|26 1152 120 1236|27 1369 210 823|30 1893 120 1668|31 2029 280 1562
33 1253 100 930|34 1861 80 1586|35 853 55 862|36 1781 70 1669|37 983 70 1387
38 3641 210 11115|40 3328 130 16487|42 1289 75 5991|44 896 40 8000|45 633 30 4702
46 1129 55 4947|48 1134 110 1285|49 1496 100 10575|51 1232 110 5155|52 1487 85 6066
54 873 35 5023|56 1232 95 5138|58 591 30 3356|60 1231 85 7943|62 541 25 9677
64 1514 75 15511|66 1870 85 13030|67 623 30 6509|68 1297 85 9781|70 995 65 6877
72 1170 85 4041|74 2456 370 2695|75 3097 370 5864|77 1149 360 1981|79 8993 1330 2061
80 1689 120 4495|82 1765 75 2556|83 1289 55 2394|84 1010 55 2391|86 1023 55 1526
87 1600 75 3384|89 1908 90 3537|91 1724 95 6349|92 1236 90 1439|93 734 40 1622
94 1200 55 3312|95 908 40 2669|96 1194 60 5221
"""

SOUTH = ("DNB", "DBSCL")
CITIES = ("01", "31", "46", "48", "79", "92")  # centrally-run cities (name prefix)

# Multipliers on a base weight for activities concentrated in some provinces.
_BOOSTS: dict[str, dict[str, float]] = {
    "fdi": {
        "74": 3,
        "75": 2,
        "27": 3,
        "31": 2.5,
        "24": 2,
        "22": 1.5,
        "80": 1.5,
        "26": 1.5,
        "30": 1.3,
        "19": 2,
        "77": 1.3,
        "33": 1.5,
        "35": 1.5,
        "72": 1.3,
        "70": 1.2,
        "38": 1.2,
        "42": 1.5,
    },
    "tour": {
        "79": 5,
        "01": 5,
        "56": 5,
        "22": 3,
        "48": 4,
        "91": 4,
        "49": 2.5,
        "68": 1.5,
        "77": 1.5,
        "46": 2,
        "10": 2,
        "37": 1.5,
        "60": 1.5,
    },
    "tourdom": {
        "01": 2,
        "79": 2,
        "56": 2,
        "22": 2,
        "48": 2,
        "91": 1.5,
        "49": 1.5,
        "68": 2,
        "77": 2,
        "46": 1.5,
        "10": 1.5,
        "37": 2,
        "60": 1.5,
        "38": 1.5,
        "40": 1.3,
        "44": 1.3,
    },
    "power": {
        "22": 6,
        "42": 3,
        "60": 4,
        "14": 4,
        "17": 3,
        "12": 3,
        "84": 3,
        "77": 4,
        "75": 2,
        "34": 2,
        "30": 2,
        "31": 2,
        "58": 3,
        "64": 2,
        "96": 2,
        "10": 2,
    },
    "abroad": {
        "38": 3,
        "40": 3,
        "42": 3,
        "36": 1.5,
        "34": 1.5,
        "24": 2,
        "30": 1.5,
        "25": 1.5,
        "44": 1.5,
    },
    "fish": {
        "96": 2,
        "91": 2,
        "87": 1.5,
        "89": 1.5,
        "22": 2,
        "31": 2,
        "36": 2,
        "34": 2,
        "77": 2,
        "60": 1.5,
    },
    "city_low": {"01": 0.4, "79": 0.1, "48": 0.1, "31": 0.5, "92": 0.6},
}


def _by_region(*factors: float) -> dict[str, float]:
    return dict(
        zip(("DBSH", "TDMNPB", "BTBDHMT", "TN", "DNB", "DBSCL"), factors, strict=True)
    )


_REGION_FACTORS: dict[str, dict[str, float]] = {
    # regions:     DBSH TDMNPB BTBDHMT  TN  DNB DBSCL
    "agri": _by_region(0.8, 1.1, 1.1, 1.6, 0.7, 2),
    "rice": _by_region(1.6, 0.5, 1, 0.4, 0.3, 5),
    "fish": _by_region(0.6, 0.15, 1.5, 0.2, 0.6, 3),
    "forest": _by_region(12, 55, 52, 46, 25, 5),
    "disaster": _by_region(1, 1.5, 3, 1, 0.4, 0.8),
    "dengue": _by_region(1, 0.3, 1.5, 1.2, 2, 2),
}
_NO_EXPRESSWAY = {
    "02",
    "04",
    "06",
    "11",
    "12",
    "14",
    "62",
    "64",
    "67",
    "70",
    "84",
    "89",
    "91",
    "93",
    "94",
    "95",
    "96",
}

# Lunar New Year (Tết) day by year.
TET = {
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
}


@dataclass
class Unit:
    code: str
    name: str
    region: str


@dataclass
class Geo:
    old: list[Unit]  # the 63, valid to 2025-06-30
    new: list[Unit]  # the 34, valid from 2025-07-01
    merge: np.ndarray  # (34, 63) 0/1: new province <- old ones
    pop: np.ndarray
    grdp: np.ndarray
    area: np.ndarray
    dev: np.ndarray  # standardised log GRDP per head
    south: np.ndarray  # bool per old province
    communes_old: dict[str, int]  # number of communes per old province
    commune_pool: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def weights(self, basis: str) -> np.ndarray:
        """Relative size of each of the 63 for an activity (sums to 1)."""
        codes = [u.code for u in self.old]
        regions = [u.region for u in self.old]
        boost = lambda name: np.array([_BOOSTS[name].get(c, 1.0) for c in codes])  # noqa: E731
        region = lambda name: np.array([_REGION_FACTORS[name][r] for r in regions])  # noqa: E731
        pop, grdp, area = self.pop, self.grdp, self.area
        base = {
            "pop": lambda: pop,
            "grdp": lambda: grdp,
            "mixed": lambda: np.sqrt(pop * grdp),
            "budget": lambda: grdp**1.3,
            "firm": lambda: grdp**1.25,
            "fdi": lambda: grdp**1.5 * boost("fdi"),
            "industry": lambda: grdp * np.sqrt(boost("fdi")),
            "tour": lambda: np.sqrt(pop * grdp) * boost("tour") ** 2,
            "tourdom": lambda: np.sqrt(pop) * boost("tourdom") ** 2,
            "power": lambda: np.sqrt(grdp) * boost("power") ** 2,
            "abroad": lambda: pop * boost("abroad"),
            "agri": lambda: pop * region("agri") * boost("city_low"),
            "rice": lambda: np.sqrt(pop) * region("rice") * boost("city_low") ** 2,
            "fish": lambda: np.sqrt(area) * region("fish") * boost("fish"),
            "forest": lambda: area * region("forest"),
            "area": lambda: area,
            "disaster": lambda: np.sqrt(area) * region("disaster"),
            "dengue": lambda: pop * region("dengue"),
            "poor": lambda: pop * np.exp(-1.2 * self.dev),
            "cps": lambda: pop**0.15,
            "equal": lambda: np.ones(len(codes)),
            "expressway": lambda: (
                np.sqrt(area)
                * np.array([0.0 if c in _NO_EXPRESSWAY else 1.0 for c in codes])
            ),
            "communes": lambda: np.array(
                [self.communes_old.get(c, 1) for c in codes], dtype=float
            ),
        }[basis]()
        return base / base.sum()

    def aggregate(self, values: np.ndarray, how: str, weights: np.ndarray):
        """(63, ...) -> (34, ...): sum, or weighted mean with `weights` (63,)."""
        if how == "sum":
            return np.tensordot(self.merge, values, axes=(1, 0))
        w = self.merge * weights[None, :]
        w = w / w.sum(axis=1, keepdims=True)
        return np.tensordot(w, values, axes=(1, 0))


def _read(name: str) -> list[dict[str, str]]:
    with (settings.REFERENCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_geo() -> Geo:
    units = _read("units.csv")
    reform = date.fromisoformat(settings.REFORM_FIRST_NEW_DAY).isoformat()
    old = [
        Unit(u["unit_code"], u["name_vi"], u["region_key"])
        for u in units
        if u["level"] == "province" and u["valid_to"] and u["valid_to"] < reform
    ]
    new = [
        Unit(u["unit_code"], u["name_vi"], u["region_key"])
        for u in units
        if u["level"] == "province" and u["valid_from"] >= reform
    ]
    old.sort(key=lambda u: u.code)
    new.sort(key=lambda u: u.code)
    sizes = {}
    for item in _SIZES.replace("\n", "|").split("|"):
        if item.strip():
            code, pop, grdp, area = item.split()
            sizes[code] = (float(pop), float(grdp), float(area))
    # a province the table does not know gets a median size
    median = tuple(float(np.median([s[i] for s in sizes.values()])) for i in range(3))
    arr = np.array([sizes.get(u.code, median) for u in old])
    pop, grdp, area = arr[:, 0], arr[:, 1], arr[:, 2]
    dev = np.log(grdp / pop)
    dev = (dev - dev.mean()) / dev.std()
    old_index = {u.code: i for i, u in enumerate(old)}
    new_index = {u.code: i for i, u in enumerate(new)}
    merge = np.zeros((len(new), len(old)))
    for row in _read("province_merger.csv"):
        if row["old_code"] in old_index and row["new_code"] in new_index:
            merge[new_index[row["new_code"]], old_index[row["old_code"]]] = 1.0
    communes_old: dict[str, int] = {}
    pool: dict[tuple[str, str], list[str]] = {}
    for u in units:
        if u["level"] != "commune":
            continue
        era = "old" if u["valid_to"] and u["valid_to"] < reform else "new"
        if era == "old":
            communes_old[u["parent_code"]] = communes_old.get(u["parent_code"], 0) + 1
        pool.setdefault((u["parent_code"], era), []).append(u["unit_code"])
    for codes in pool.values():
        codes.sort()
    return Geo(
        old,
        new,
        merge,
        pop,
        grdp,
        area,
        dev,
        np.array([u.region in SOUTH for u in old]),
        communes_old,
        pool,
    )
