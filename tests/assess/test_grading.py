"""Admiralty grading: source letters from registry and record, claim numbers, reasons."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import pytest

from tocsin.assess.grading import (
    BAD_BRIER,
    GOOD_BRIER,
    LETTER_WORDS,
    MIN_CLAIMS,
    MIN_FORECASTS,
    NUMBER_WORDS,
    ClaimGrade,
    SourceGrade,
    TrackRecord,
    admiralty,
    grade_claim,
    grade_source,
)
from tocsin.errors import ConfigError
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Claim, Source, Span, Statement

SRC = Source(id="wire", name="Wire")

GOOD_FORECASTS = TrackRecord(forecasts_resolved=12, brier=0.14)
BAD_FORECASTS = TrackRecord(forecasts_resolved=12, brier=0.36)
FAIR_FORECASTS = TrackRecord(forecasts_resolved=12, brier=0.25)
FEW_FORECASTS = TrackRecord(forecasts_resolved=MIN_FORECASTS - 1, brier=0.01)
CORROBORATED = TrackRecord(claims_corroborated=8, claims_contradicted=0, claims_total=10)
CONTRADICTED = TrackRecord(claims_corroborated=2, claims_contradicted=4, claims_total=10)
MIXED_CLAIMS = TrackRecord(claims_corroborated=3, claims_contradicted=1, claims_total=10)
FEW_CLAIMS = TrackRecord(claims_contradicted=4, claims_total=MIN_CLAIMS - 1)
BEST = TrackRecord(12, 0.10, 9, 0, 10)
WORST = TrackRecord(12, 0.40, 1, 6, 10)


@pytest.mark.parametrize(
    ("base", "record", "letter"),
    [
        ("A", None, "A"),
        ("B", None, "B"),
        ("C", None, "C"),
        ("D", None, "D"),
        ("E", None, "E"),
        ("F", None, "F"),
        ("B", GOOD_FORECASTS, "A"),
        ("B", BAD_FORECASTS, "C"),
        ("B", FAIR_FORECASTS, "B"),
        ("B", FEW_FORECASTS, "B"),  # too few to judge: stays at base
        ("C", CORROBORATED, "B"),
        ("C", CONTRADICTED, "D"),
        ("C", MIXED_CLAIMS, "C"),
        ("C", FEW_CLAIMS, "C"),
        ("C", BEST, "B"),  # forecasts lift C to B; corroboration alone never makes A
        ("B", CORROBORATED, "B"),
        ("C", WORST, "E"),
        ("A", BEST, "A"),  # never above A
        ("E", WORST, "E"),  # a judged letter never below E
        ("D", WORST, "E"),
        ("F", FEW_FORECASTS, "F"),  # F stays F without enough record
        ("F", FEW_CLAIMS, "F"),
        ("F", TrackRecord(), "F"),
        ("F", FAIR_FORECASTS, "D"),  # enough record: judged, starts at D
        ("F", GOOD_FORECASTS, "C"),
        ("F", BEST, "B"),
        ("F", WORST, "E"),
        ("F", CONTRADICTED, "E"),
    ],
)
def test_source_letter(base: str, record: TrackRecord | None, letter: str) -> None:
    grade = grade_source(SRC, base=base, base_reason="test", record=record)
    assert isinstance(grade, SourceGrade)
    assert grade.letter == letter
    assert grade.reasons and all(isinstance(r, str) and r for r in grade.reasons)
    assert grade.reasons[0].startswith(f"registry: {LETTER_WORDS[base]} ({base})")
    assert grade.words == LETTER_WORDS[letter]


def test_source_reasons_explain_each_step() -> None:
    grade = grade_source(SRC, base="B", base_reason="wire agency", record=GOOD_FORECASTS)
    assert grade.reasons[0] == "registry: usually reliable (B) — wire agency"
    assert any(
        "12 resolved forecasts, Brier 0.14" in r and f"{GOOD_BRIER:.2f}" in r and "up one" in r
        for r in grade.reasons
    )
    assert grade.reasons[-1] == "grade: completely reliable (A)"
    bad = grade_source(SRC, base="B", record=BAD_FORECASTS)
    assert any(f"worse than {BAD_BRIER:.2f}, down one letter" in r for r in bad.reasons)
    capped = grade_source(SRC, base="A", record=BEST)
    assert any("already A" in r for r in capped.reasons)
    few = grade_source(SRC, base="C", record=FEW_CLAIMS)
    assert any("not judged" in r for r in few.reasons)


def test_unknown_source_is_f_with_its_reason() -> None:
    grade = grade_source(SRC)  # Source's defaults: F, no record of this source yet
    assert grade.letter == "F"
    assert grade.reasons[0] == "registry: cannot be judged (F) — no record of this source yet"
    record = grade_source(SRC, record=FEW_FORECASTS)
    assert record.letter == "F" and any("stays F" in r for r in record.reasons)


def test_source_letter_from_the_source_itself() -> None:
    graded = Source(id="w", name="W", reliability="B", reliability_reason="wire agency")
    assert grade_source(graded).letter == "B"
    assert grade_source(graded, base="D").letter == "D"  # base wins


@pytest.mark.parametrize(
    "record",
    [
        TrackRecord(forecasts_resolved=-3, brier=float("nan")),
        TrackRecord(forecasts_resolved=10, brier=1.7),
        TrackRecord(forecasts_resolved=10, brier=-0.1),
        TrackRecord(claims_corroborated=50, claims_contradicted=50, claims_total=10),
        TrackRecord(claims_total=-5, claims_contradicted=-1),
        TrackRecord(forecasts_resolved=10**12, brier=0.0, claims_total=10**12),
    ],
)
def test_odd_records_never_raise(record: TrackRecord) -> None:
    grade = grade_source(SRC, base="C", record=record)
    assert grade.letter in "ABCDE"
    assert grade.reasons


@pytest.mark.parametrize("base", ["Z", "", "bb", "f ", None])
def test_odd_base_letters(base: str | None) -> None:
    grade = grade_source(Source(id="x", name="X", reliability="Q"), base=base)
    assert grade.letter in "ABCDEF"
    if base == "f ":
        assert grade.letter == "F"


# ------------------------------------------------------------------- claims


_IDS = count(1)


def statement(
    source: str,
    stance: str = "affirms",
    *,
    attribution: str = "author",
    copy_of: str | None = None,
) -> Statement:
    n = next(_IDS)
    return Statement(
        id=f"s{n}",
        document_id=f"d{n}",
        source_id=source,
        span=Span(f"d{n}", "body", 0, 10),
        text="L'armée contrôle la route.",
        lang="fr",
        stance=stance,
        attribution=attribution,
        copy_of=copy_of,
    )


def claim(*statements: Statement, independent: int = 1, contradicted: bool = False) -> Claim:
    return Claim(
        id="c1",
        statements=statements,
        independent=independent,
        contradicted=contradicted,
    )


LETTERS = {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E", "f": "F", "b2": "B", "d2": "D"}


@pytest.mark.parametrize(
    ("made", "number"),
    [
        (claim(), 6),
        (claim(statement("a"), statement("c"), statement("f"), independent=3), 1),
        (claim(statement("c"), statement("e"), independent=2), 1),
        (claim(statement("d"), statement("f"), independent=2), 2),
        (claim(statement("a")), 2),
        (claim(statement("b")), 2),
        (claim(statement("b"), statement("b", copy_of="d1")), 2),  # same outlet
        (claim(statement("c")), 3),
        (claim(statement("d")), 4),
        (claim(statement("e")), 4),
        (claim(statement("f")), 6),
        (claim(statement("nobody-knows")), 6),
        (claim(statement("b", attribution="anonymous")), 3),
        (claim(statement("c", attribution="unnamed_sources")), 4),
        (claim(statement("d", attribution="anonymous")), 4),
        (claim(statement("f", attribution="anonymous")), 6),
        (claim(statement("b", attribution="anonymous"), statement("c"), independent=2), 1),
        # contradicted: weighed by number of sources, then by the best letter
        (
            claim(
                statement("a"),
                statement("b"),
                statement("e", "denies"),
                independent=3,
                contradicted=True,
            ),
            3,
        ),
        (claim(statement("b"), statement("d", "denies"), independent=2, contradicted=True), 3),
        (claim(statement("b"), statement("b2", "denies"), independent=2, contradicted=True), 4),
        (claim(statement("d"), statement("a", "denies"), independent=2, contradicted=True), 5),
        (
            claim(
                statement("a"),
                statement("d", "denies"),
                statement("d2", "denies"),
                independent=3,
                contradicted=True,
            ),
            5,
        ),
        (claim(statement("b"), statement("c", "forecasts"), contradicted=True), 4),
    ],
)
def test_claim_number(made: Claim, number: int) -> None:
    grade = grade_claim(made, source_letters=LETTERS)
    assert isinstance(grade, ClaimGrade)
    assert grade.number == number
    assert grade.words == NUMBER_WORDS[number]
    assert grade.reasons[-1] == f"grade: {NUMBER_WORDS[number]} ({number})"


def test_every_grade_is_reachable() -> None:
    letters = {
        grade_source(SRC, base=b, record=r).letter
        for b in "ABCDEF"
        for r in (None, BEST, WORST, FAIR_FORECASTS)
    }
    assert letters == set("ABCDEF")


def test_claim_reasons_name_sources_and_rules() -> None:
    grade = grade_claim(claim(statement("c")), source_letters=LETTERS)
    assert grade.reasons[0] == "sources: c C"
    assert any("one independent source, fairly reliable (C)" in r for r in grade.reasons)
    against = grade_claim(
        claim(statement("d"), statement("a", "denies"), independent=2, contradicted=True),
        source_letters=LETTERS,
    )
    assert any("contradicted by more or better sources" in r for r in against.reasons)


def test_claim_without_letters_cannot_be_judged() -> None:
    assert grade_claim(claim(statement("a"))).number == 6
    assert grade_claim(claim(statement("a")), source_letters={"a": "zz"}).number == 6
    many = claim(*(statement(f"s{i}") for i in range(40)), independent=40)
    assert grade_claim(many).number == 1
    assert "and 34 more" in grade_claim(many).reasons[0]


def test_claim_with_odd_independent_count() -> None:
    assert grade_claim(claim(statement("b"), independent=0), source_letters=LETTERS).number == 2
    assert grade_claim(claim(statement("b"), independent=-4), source_letters=LETTERS).number == 2


@pytest.mark.parametrize(
    ("letter", "number", "code"), [("B", 2, "B2"), ("a", 1, "A1"), (" f", 6, "F6")]
)
def test_admiralty(letter: str, number: int, code: str) -> None:
    assert admiralty(letter, number) == code


@pytest.mark.parametrize(("letter", "number"), [("G", 1), ("A", 0), ("A", 7), ("AB", 2), ("", 3)])
def test_admiralty_rejects(letter: str, number: int) -> None:
    with pytest.raises(ValueError):
        admiralty(letter, number)


# ----------------------------------------------------------- outlet registry


def test_registry_carries_reliability(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(
        '[[source]]\nname = "Wire Agency"\ndomain = "wire.example"\n'
        'reliability = "b"\nreliability_reason = "wire agency,  corrections policy"\n'
        '[[source]]\nname = "Blog"\ndomain = "blog.example"\n',
        encoding="utf-8",
    )
    registry = OutletRegistry.load(path)
    wire = registry.source(domain="news.wire.example", name=None)
    assert (wire.reliability, wire.reliability_reason) == ("B", "wire agency, corrections policy")
    blog = registry.source(domain="blog.example", name=None)
    assert (blog.reliability, blog.reliability_reason) == ("F", "no record of this source yet")
    unknown = registry.source(domain="nowhere.example", name=None)
    assert unknown.reliability == "F"
    grade = grade_source(wire)
    assert grade.letter == "B"
    assert grade.reasons[0] == "registry: usually reliable (B) — wire agency, corrections policy"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('reliability = "G"', "reliability must be one letter"),
        ("reliability = 3", "reliability must be one letter"),
        ('reliability_reason = "why"', "reliability_reason without reliability"),
        ('reliability = "B"\nreliability_reason = 4', "reliability_reason must be text"),
    ],
)
def test_registry_rejects_bad_reliability(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(f'[[source]]\nname = "X"\ndomain = "x.example"\n{extra}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        OutletRegistry.load(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)
