"""Build the compact West African gazetteer shipped in the package.

Reads the GeoNames extracts in ``../shared/data/geonames_westafrica/`` (19 tab-separated
columns) and writes ``src/tocsin/knowledge/gazetteer/westafrica.tsv.gz``: one row per
place kept, alternate names filtered, admin1 codes resolved to ADM1 names, sorted, with
a gzip header carrying no time stamp, so that a re-run gives a byte-identical file.

    .venv/bin/python scripts/build_gazetteer.py [SOURCE_DIR] [OUTPUT]
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

from tocsin.geo.gazetteer import admin_display, clean_alternates

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "geonames_westafrica"
OUTPUT = ROOT / "src" / "tocsin" / "knowledge" / "gazetteer" / "westafrica.tsv.gz"
COUNTRIES = ("BF", "CI", "GN", "ML", "MR", "NE", "SN")
HEADER = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1_code",
    "admin1_name",
    "population",
)

# What is kept: every populated place (P) and administrative area (A); hydrographic (H),
# area (L) and terrain (T) features; among sites (S) only camps, mines, dams, airports,
# forts and ruins. Vegetation (V), roads (R) and undersea (U) features are left out.
KEEP_CLASSES = {"P", "A", "H", "L", "T"}
KEEP_SITES = re.compile(r"^(?:CMP.*|MN.*|DAM|AIRP|AIRF|FT|RUIN)$")
WATER_GENERIC = re.compile(
    r"^(?:fleuve|rivi[eè]re|lac|lake|mare)\s+(?:de\s+|du\s+|d['’]\s*)?|\s+(?:river|fleuve|lake)$",
    re.IGNORECASE,
)


def keep(fclass: str, fcode: str) -> bool:
    return fclass in KEEP_CLASSES or (fclass == "S" and bool(KEEP_SITES.match(fcode)))


def derived_names(name: str, fclass: str) -> list[str]:
    """ "Niger River" is also "Niger"; "Lac Faguibine" also "Faguibine"."""
    if fclass != "H":
        return []
    short = WATER_GENERIC.sub("", name).strip()
    return [short] if short and short != name else []


def read_rows(folder: Path) -> list[list[str]]:
    rows = []
    for country in COUNTRIES:
        path = folder / f"{country}.txt"
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                cols = line.rstrip("\n").split("\t")
                if len(cols) != 19:
                    raise SystemExit(f"{path}:{number}: {len(cols)} columns, expected 19")
                rows.append(cols)
    return rows


def compact(rows: list[list[str]]) -> list[tuple[str, ...]]:
    admin1 = {(c[8], c[10]): admin_display(c[1]) for c in rows if c[7] == "ADM1"}
    out = {}
    for c in rows:
        geonameid, name, ascii_name, alternates = c[0], c[1].strip(), c[2].strip(), c[3]
        fclass, fcode, country, admin1_code = c[6], c[7], c[8], c[10]
        if not keep(fclass, fcode) or not name:
            continue
        names = alternates.split(",") + derived_names(name, fclass)
        kept = clean_alternates(names, exclude=(name, ascii_name))
        out[int(geonameid)] = (
            geonameid,
            name,
            ascii_name,
            ",".join(kept),
            f"{float(c[4]):.5f}",
            f"{float(c[5]):.5f}",
            fclass,
            fcode,
            country,
            admin1_code,
            admin1.get((country, admin1_code), ""),
            str(int(c[14] or 0)),
        )
    return [out[k] for k in sorted(out)]


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    output = Path(argv[2]) if len(argv) > 2 else OUTPUT
    rows = compact(read_rows(source))
    text = "".join("\t".join(r) + "\n" for r in [HEADER, *rows])
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
    ):
        handle.write(text.encode("utf-8"))
    per_country = Counter(r[8] for r in rows)
    print(f"{output}: {len(rows)} rows, {output.stat().st_size:,} bytes")
    for country, count in sorted(per_country.items()):
        print(f"  {country}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
