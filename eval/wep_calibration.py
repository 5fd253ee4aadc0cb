"""People's readings of English likelihood words beside Tocsin's bands.

Reads CAPphrase's ``absolute_judgements.csv`` (columns response_id, term, probability
0-100, order: 5,174 people each giving a number for each phrase) and, for each
English cue of ``knowledge/estimative.toml`` that matches a CAPphrase term, prints
the number of readings, their median and interquartile range, the band, and whether
the median lies inside the band (ends included). The data is not copied into the
repository; without it the script says so and exits 0.

    .venv/bin/python eval/wep_calibration.py [--data PATH]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wep_capphrase" / "absolute_judgements.csv"

# Our phrase (folded) -> the CAPphrase term it is read as, where the words differ.
# A phrase equal to a term (case aside) matches it without being listed.
ALIASES = {
    "almost certainly": "Almost Certain",
    "nearly certain": "Almost Certain",
    "virtually certain": "Almost Certain",
    "very likely": "Highly Likely",
    "will likely": "Likely",
    "probably": "Probable",
    "more likely than not": "Better than Even",
    "roughly even chance": "About Even",
    "roughly even odds": "About Even",
    "even chance": "About Even",
    "fifty-fifty": "About Even",
    "may": "May Happen",
    "might": "Might Happen",
    "could": "Could Happen",
    "very unlikely": "Highly Unlikely",
    "highly improbable": "Highly Unlikely",
    "slight chance": "Chances are Slight",
    "remote possibility": "Remote Chance",
}


def read_readings(path: Path) -> dict[str, list[float]]:
    """Readings per CAPphrase term, as probabilities in [0, 1]; bad rows are skipped."""
    readings: dict[str, list[float]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                value = float(row.get("probability") or "")
            except ValueError:
                continue
            term = (row.get("term") or "").strip()
            if term and 0 <= value <= 100:
                readings[term].append(value / 100)
    return readings


def match_term(phrase: str, terms: dict[str, str]) -> str | None:
    """The CAPphrase term (from ``terms``: lower case -> as written) for ``phrase``."""
    alias = ALIASES.get(phrase)
    if alias is not None and alias.lower() in terms:
        return terms[alias.lower()]
    return terms.get(phrase.lower())


def calibrate(path: Path) -> list[tuple[str, str, int, float, float, float, float, float, bool]]:
    """Per matched phrase: phrase, term, n, median, q1, q3, low, high, median inside."""
    from tocsin.extract.estimative.lexicon import load_estimative_lexicon

    readings = read_readings(path)
    terms = {term.lower(): term for term in readings}
    cues = load_estimative_lexicon().for_language("en").cues
    rows = []
    for phrase, (low, high) in sorted(cues.items(), key=lambda kv: (kv[1], kv[0])):
        term = match_term(phrase, terms)
        if term is None or len(readings[term]) < 4:
            continue
        values = readings[term]
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        median = statistics.median(values)
        inside = low - 1e-9 <= median <= high + 1e-9
        rows.append((phrase, term, len(values), median, q1, q3, low, high, inside))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="absolute_judgements.csv")
    args = parser.parse_args(argv)
    path: Path = args.data
    if path.is_dir():
        path = path / "absolute_judgements.csv"
    if not path.is_file():
        print(f"{path}: no CAPphrase data here; nothing to compare (pass --data PATH)")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    rows = calibrate(path)
    print(
        f"{'phrase':24} {'CAPphrase term':22} {'n':>5} {'median':>6} {'IQR':>9} {'band':>9}  inside"
    )
    for phrase, term, n, median, q1, q3, low, high, inside in rows:
        print(
            f"{phrase:24} {term:22} {n:5d} {median:6.0%} {q1:4.0%}-{q3:<4.0%} "
            f"{low:4.0%}-{high:<4.0%}  {'yes' if inside else 'NO'}"
        )
    hits = sum(row[-1] for row in rows)
    print(f"{hits} of {len(rows)} medians inside the band")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
