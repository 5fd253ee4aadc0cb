"""eval/: gold loading, matching and scoring with hand-made predictions (no models)."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eval import run
from eval.acled_notes import AOI_PREFIX, acled_figures
from eval.claims import claim_figures
from eval.comments import gold_figures, hatecheck_figures, heldout_figures
from eval.corpus import (
    GOLD_DIR,
    NOTES_FILE,
    GoldActor,
    GoldAttribution,
    GoldError,
    GoldNote,
    GoldParagraph,
    GoldPlace,
    GoldTime,
    Job,
    annotate_all,
    find_span,
    load_notes,
    parse_paragraph,
)
from eval.events import event_figures, merge_figures
from eval.geoparse import gwn_figures
from eval.judgments import judgment_figures
from eval.score import (
    Counts,
    actor_agrees,
    attribution_agrees,
    check_floors,
    classify_spelling,
    haversine_km,
    load_floors,
    match_greedy,
    note_figures,
    overlap,
    paragraph_figures,
    pick_event_place,
    place_agrees,
    score_note,
    score_paragraph,
    spelling_counts,
    time_agrees,
)

from tocsin.models import ActorRef, Annotations, Attribution, Document, PlaceRef, Span, TimeRef

KM_PER_DEG_LAT = 111.2


def span(start: int, end: int, part: str = "body") -> Span:
    return Span("d", part, start, end)


def actor(start: int, end: int, actor_id: str, part: str = "body") -> ActorRef:
    return ActorRef(span(start, end, part), "x", actor_id, actor_id, 2)


def place(start: int, end: int, **kwargs: Any) -> PlaceRef:
    kwargs.setdefault("resolved", True)
    return PlaceRef(span(start, end), "x", **kwargs)


def time_ref(start: int, end: int, value: str) -> TimeRef:
    return TimeRef(span(start, end), "x", "date", value, None, None, "day")


def town(lat: float, lon: float = 0.0, **kwargs: Any) -> GoldPlace:
    return GoldPlace(0, 5, True, kind="town", country="ML", lat=lat, lon=lon, **kwargs)


# ---------------------------------------------------------------- gold loading


def test_find_span_takes_the_nth_occurrence() -> None:
    text = "JNIM et le JNIM, encore JNIM"
    assert find_span(text, "JNIM") == (0, 4)
    assert find_span(text, "JNIM", 1) == (11, 15)
    assert find_span(text, "JNIM", 2) == (24, 28)
    assert find_span(text, "JNIM", 3) is None
    assert find_span(text, "GSIM") is None
    assert find_span(text, "") is None


def test_parse_paragraph_resolves_spans_and_reports_missing_text() -> None:
    text = "Hier, le JNIM a attaqué Ségou, selon l'armée. Le JNIM dément."
    row = {
        "id": "fr-1", "lang": "fr", "published": "2025-10-15", "country": "ML", "text": text,
        "actors": [{"text": "JNIM", "id": "jnim", "n": 1}, {"text": "GSIM", "id": "jnim"}],
        "places": [{"text": "Ségou", "lat": 13.43, "lon": -6.22, "kind": "town"},
                   {"text": "Xyz", "unresolved": True}],
        "times": [{"text": "Hier", "kind": "date", "value": "2025-10-14"}],
        "attributions": [{"claim": "le JNIM a attaqué Ségou", "kind": "official_statement",
                          "cue": "selon l'armée"}],
    }  # fmt: skip
    problems: list[str] = []
    gold = parse_paragraph(row, problems)
    assert gold.published == date(2025, 10, 15) and gold.country == "ML"
    assert [(a.start, a.end, a.actor_id) for a in gold.actors] == [(49, 53, "jnim")]
    assert gold.places[0].resolved and text[gold.places[0].start : gold.places[0].end] == "Ségou"
    assert gold.times[0].value == "2025-10-14"
    assert gold.attributions[0].cue == (31, 44)
    assert len(problems) == 2 and all("not found" in p for p in problems)
    with pytest.raises(GoldError):
        parse_paragraph({"id": "x", "text": "t"}, [])


def test_acled_notes_gold_file_is_well_formed() -> None:
    notes = load_notes(GOLD_DIR / NOTES_FILE)
    assert len(notes) >= 45
    assert sum(n.village for n in notes) >= 25
    assert len({n.id for n in notes}) == len(notes)
    assert {n.country for n in notes} >= {"BF", "ML", "NE"}
    assert {n.geo_precision for n in notes} == {1, 2, 3}
    for note in notes:
        assert note.location in note.text, note.id
        assert 2019 <= note.date.year <= 2026
        assert 4 <= note.lat <= 20 and -12 <= note.lon <= 16, note.id


# ---------------------------------------------------------------- matching


def test_overlap_counts_shared_characters_and_touching_is_none() -> None:
    assert overlap((0, 5), (3, 8)) == 2
    assert overlap((0, 5), (5, 8)) == 0
    assert overlap((2, 3), (0, 10)) == 1
    assert overlap((0, 5), (6, 9)) == 0


def test_greedy_matching_is_one_to_one_and_prefers_the_largest_overlap() -> None:
    gold = [GoldActor(0, 10, "jnim"), GoldActor(8, 20, "jnim")]
    preds = [actor(9, 19, "jnim")]  # overlaps both; shares 1 with the first, 10 with the second
    assert match_greedy(gold, preds, actor_agrees) == [(1, 0)]
    preds = [actor(0, 10, "jnim"), actor(0, 10, "jnim")]  # a duplicate cannot match twice
    assert match_greedy(gold[:1], preds, actor_agrees) == [(0, 0)]
    assert match_greedy(gold, [actor(0, 10, "isgs")], actor_agrees) == []
    assert match_greedy(gold, [actor(30, 34, "jnim")], actor_agrees) == []
    assert match_greedy([], preds, actor_agrees) == []


def test_town_matches_within_25_km_only() -> None:
    near = place(0, 5, kind="town", lat=24 / KM_PER_DEG_LAT, lon=0.0)
    far = place(0, 5, kind="natural", lat=26 / KM_PER_DEG_LAT, lon=0.0)
    assert place_agrees(town(0.0), near)
    assert not place_agrees(town(0.0), far)
    assert not place_agrees(town(0.0), place(0, 5, kind="town"))  # no coordinates
    assert place_agrees(town(0.0, geonameid=7), place(0, 5, geonameid=7))
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.2, abs=0.1)


def test_region_matches_a_region_of_the_same_country_within_161_km() -> None:
    gold = GoldPlace(0, 5, True, kind="region", country="ML", lat=0.0, lon=0.0)
    ok = place(0, 5, kind="region", country="ML", lat=150 / KM_PER_DEG_LAT, lon=0.0)
    assert place_agrees(gold, ok)
    assert not place_agrees(gold, place(0, 5, kind="region", country="ML", lat=1.6, lon=0.0))
    assert not place_agrees(gold, place(0, 5, kind="region", country="BF", lat=0.0, lon=0.0))
    assert not place_agrees(gold, place(0, 5, kind="town", country="ML", lat=0.0, lon=0.0))
    assert not place_agrees(gold, place(0, 5, kind="region", country="ML"))  # no point to compare
    no_point = GoldPlace(0, 5, True, kind="region", country="ML")
    assert place_agrees(no_point, place(0, 5, kind="region", country="ML"))


def test_country_unresolved_time_and_attribution_agreement() -> None:
    mali = GoldPlace(0, 4, True, kind="country", country="ML")
    assert place_agrees(mali, place(0, 4, kind="country", country="ml", lat=17.0, lon=-4.0))
    assert not place_agrees(mali, place(0, 4, kind="country", country="NE"))
    assert not place_agrees(mali, place(0, 4, kind="natural", country="ML"))
    unresolved = GoldPlace(0, 4, False)
    assert place_agrees(unresolved, place(0, 4, resolved=False))
    assert not place_agrees(unresolved, place(0, 4, kind="town", lat=0.0, lon=0.0))
    assert not place_agrees(town(0.0), place(0, 4, resolved=False))
    assert time_agrees(GoldTime(0, 4, "date", "2025-10-14"), time_ref(0, 4, "2025-10-14"))
    assert not time_agrees(GoldTime(0, 4, "date", "2025-10-14"), time_ref(0, 4, "2025-10"))
    claim = GoldAttribution(0, 40, "anonymous")
    assert attribution_agrees(claim, Attribution(span(10, 30), "anonymous"))
    assert not attribution_agrees(claim, Attribution(span(10, 30), "person"))


# ---------------------------------------------------------------- counts and paragraphs


def test_counts_with_zero_predictions_or_zero_gold() -> None:
    assert (Counts(0, 5, 0).precision, Counts(0, 5, 0).recall, Counts(0, 5, 0).f1) == (0, 0, 0)
    assert Counts(0, 0, 0).f1 == 0.0
    assert Counts(0, 0, 3).precision == 0.0
    counts = Counts(3, 4, 6)
    assert counts.precision == 0.5 and counts.recall == 0.75
    assert counts.f1 == pytest.approx(0.6)
    counts.add(Counts(1, 1, 1))
    assert (counts.tp, counts.n_gold, counts.n_pred) == (4, 5, 7)


def paragraph(lang: str = "fr") -> GoldParagraph:
    text = "Le JNIM a attaqué Ségou hier, a affirmé un officier. Des civils ont fui vers Mopti."
    return GoldParagraph(
        "p1", lang, date(2025, 10, 15), text, "ML",
        actors=(GoldActor(3, 7, "jnim"), GoldActor(53, 63, "civilians-mali")),
        places=(GoldPlace(18, 23, True, "town", "ML", 13.4317, -6.2157, 1),
                GoldPlace(77, 82, True, "town", "ML", 14.4843, -4.1827, 1)),
        times=(GoldTime(24, 28, "date", "2025-10-14"),),
        attributions=(GoldAttribution(0, 28, "person"),),
    )  # fmt: skip


def test_score_paragraph_counts_places_distances_and_precision_codes() -> None:
    gold = paragraph()
    ann = Annotations(
        "p1", "test",
        actors=(actor(3, 7, "jnim"), actor(53, 63, "civilians-burkina-faso"),
                actor(3, 7, "jnim", part="c1")),  # a comment's mention is not the paragraph's
        places=(place(18, 23, kind="town", country="ML", lat=13.45, lon=-6.2, precision=2),
                place(77, 82, kind="town", country="ML", lat=15.5, lon=-4.18, precision=1)),
        times=(time_ref(24, 28, "2025-10-14"), time_ref(40, 45, "2025")),
        attributions=(Attribution(span(0, 27), "anonymous"),),
    )  # fmt: skip
    score = score_paragraph(gold, ann)
    assert (score.counts["actors"].tp, score.counts["actors"].n_pred) == (1, 2)
    assert (score.counts["places"].tp, score.counts["places"].n_gold) == (1, 2)
    assert (score.counts["times"].tp, score.counts["times"].n_pred) == (1, 2)
    assert score.counts["attributions"].tp == 0
    assert (score.places.with_coords, score.places.within_near, score.places.within_far) == (
        2, 1, 2,
    )  # fmt: skip
    assert (score.places.precision_total, score.places.precision_right) == (1, 0)
    assert any("missed 'Mopti'" in m for m in score.misses)
    assert any("civilians-burkina-faso" in m for m in score.misses)


def test_paragraph_figures_per_kind_and_language() -> None:
    golds = [paragraph("fr"), paragraph("en")]
    perfect = Annotations(
        "p1", "test",
        actors=(actor(3, 7, "jnim"), actor(53, 63, "civilians-mali")),
        places=(place(18, 23, kind="town", lat=13.43, lon=-6.21, precision=1),
                place(77, 82, kind="town", lat=14.48, lon=-4.18, precision=1)),
        times=(time_ref(24, 28, "2025-10-14"),),
        attributions=(Attribution(span(0, 28), "person"),),
    )  # fmt: skip
    empty = Annotations("p1", "test")
    scores = [score_paragraph(golds[0], perfect), score_paragraph(golds[1], empty)]
    figures = paragraph_figures(golds, scores)
    assert figures["actors.fr.f1"] == 1.0 and figures["actors.en.f1"] == 0.0
    assert figures["actors.precision"] == 1.0 and figures["actors.recall"] == 0.5
    assert figures["places.n_gold"] == 4 and figures["places.en.n_pred"] == 0
    assert figures["places.within_25km"] == 0.5 and figures["places.fr.within_161km"] == 1.0
    assert figures["places.fr.precision_code_accuracy"] == 1.0
    assert figures["attributions.en.recall"] == 0.0


# ---------------------------------------------------------------- notes and spellings


def note(lat: float = 14.6433, lon: float = 0.0361, **kwargs: Any) -> GoldNote:
    base: dict[str, Any] = {
        "id": "an-1", "date": date(2022, 7, 15), "country": "BF", "text": "...",
        "location": "Markoye", "lat": lat, "lon": lon, "geo_precision": 1, "village": True,
    }  # fmt: skip
    return GoldNote(**(base | kwargs))


def test_event_place_is_the_first_resolved_town_else_the_first_resolved_place() -> None:
    region = place(0, 5, kind="region", lat=14.0, lon=0.0)
    village = place(30, 37, kind="town", lat=14.64, lon=0.04, name="Markoye")
    lost = place(10, 15, resolved=False)
    assert pick_event_place([village, lost, region]) is village
    assert pick_event_place([lost, region]) is region
    assert pick_event_place([lost]) is None
    result = score_note(note(), Annotations("an-1", "t", places=(village,)))
    assert result.predicted == "Markoye" and result.near and result.far
    missing = score_note(note(), Annotations("an-1", "t"))
    assert missing.distance_km is None and not missing.near
    far = score_note(note(lat=15.5), Annotations("an-1", "t", places=(village,)))
    figures = note_figures([result, missing, far], {"villages": {"same": 2, "missing": 1}})
    assert figures["notes.within_25km"] == pytest.approx(1 / 3)
    assert figures["notes.within_161km"] == pytest.approx(2 / 3)
    assert figures["notes.villages.n"] == 3 and figures["spelling.villages.missing"] == 1


@dataclass(frozen=True)
class Candidate:
    lat: float | None
    lon: float | None
    matched_by: str


class FakeGazetteer:
    def __init__(self, table: dict[str, list[Candidate]]) -> None:
        self.table = table

    def lookup(self, name: str, *, country: str | None = None, limit: int = 20) -> list[Candidate]:
        return self.table.get(name, [])[:limit]


def test_spelling_is_same_variant_or_missing_by_the_25_km_rule() -> None:
    gaz = FakeGazetteer({
        "Markoye": [Candidate(30.0, 0.0, "name"), Candidate(14.65, 0.04, "alternate")],
        "Majoari": [Candidate(14.64, 0.03, "variant")],
        "Arbinda": [Candidate(16.0, 0.0, "name")],
        "Nowhere": [Candidate(None, None, "name")],
    })  # fmt: skip
    at = {"country": "BF", "lat": 14.6433, "lon": 0.0361}
    assert classify_spelling(gaz, "Markoye", **at) == "same"  # type: ignore[arg-type]
    assert classify_spelling(gaz, "Majoari", **at) == "variant"  # type: ignore[arg-type]
    assert classify_spelling(gaz, "Arbinda", **at) == "missing"  # type: ignore[arg-type]
    assert classify_spelling(gaz, "Nowhere", **at) == "missing"  # type: ignore[arg-type]
    notes = [note(), note(id="an-2"), note(location="Majoari", village=False)]
    counts = spelling_counts(gaz, notes)
    assert counts["villages"] == {"same": 1, "variant": 0, "missing": 0}  # counted once
    assert counts["all"] == {"same": 1, "variant": 1, "missing": 0}


# ---------------------------------------------------------------- floors


def test_floors_list_each_metric_below_its_floor(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text('[floors]\n"actors.f1" = 0.5\n"places.f1" = 0.7\n"times.f1" = 0\n')
    floors = load_floors(path)
    assert floors == {"actors.f1": 0.5, "places.f1": 0.7, "times.f1": 0.0}
    figures = {"actors.f1": 0.5, "places.f1": 0.69, "times.f1": 0.0}
    assert check_floors(figures, floors) == ["places.f1 = 0.690 < floor 0.700"]
    assert check_floors(figures, {"notes.within_25km": 0.1}) == [
        "notes.within_25km: not measured (floor 0.100)"
    ]
    assert check_floors(figures, {}) == []
    path.write_text('[floors]\n"actors.f1" = "high"\n')
    with pytest.raises(GoldError, match=r"actors\.f1"):
        load_floors(path)


def test_repository_floors_are_all_measured_metrics() -> None:
    floors = load_floors(run.FLOORS)
    assert {"actors.f1", "places.f1", "times.f1", "attributions.f1"} <= set(floors)
    golds = [paragraph()]
    figures = paragraph_figures(golds, [score_paragraph(golds[0], Annotations("p1", "t"))])
    figures |= note_figures([], {"villages": {"same": 0}})
    figures |= judgment_figures([]) | claim_figures([], [])
    figures |= event_figures([], []) | merge_figures({}, {})
    figures |= gold_figures([], []) | heldout_figures([], []) | hatecheck_figures([], [])
    figures |= acled_figures([]) | acled_figures([], prefix=AOI_PREFIX) | gwn_figures([])
    assert not [f for f in check_floors(figures, floors) if "not measured" in f]


# ---------------------------------------------------------------- running (stand-in extractor)


class StandInExtractor:
    """Finds "JNIM" as jnim and "Markoye" as the BF village; records the hints it got."""

    def __init__(self) -> None:
        self.hints: list[str | None] = []
        self.gazetteer = FakeGazetteer({"Markoye": [Candidate(14.6433, 0.0361, "name")]})

    def extract(self, doc: Document, *, country_hint: str | None = None) -> Annotations:
        self.hints.append(country_hint)
        actors = []
        places = []
        if (found := find_span(doc.text, "JNIM")) is not None:
            actors.append(ActorRef(Span(doc.id, "body", *found), "JNIM", "jnim", "JNIM", 2))
        if (found := find_span(doc.text, "Markoye")) is not None:
            places.append(
                PlaceRef(Span(doc.id, "body", *found), "Markoye", True, name="Markoye",
                         lat=14.6433, lon=0.0361, country="BF", kind="town", precision=1)
            )  # fmt: skip
        return Annotations(doc.id, "stand-in", actors=tuple(actors), places=tuple(places))


def test_annotate_all_passes_the_country_hint_and_publication_date() -> None:
    ex = StandInExtractor()
    jobs = [Job("a", "JNIM", "fr", date(2025, 1, 2), "ML"), Job("b", "x", "en", date(2025, 1, 3))]
    anns = annotate_all(ex, jobs)
    assert [a.document_id for a in anns] == ["a", "b"]
    assert ex.hints == ["ML", None]
    assert [a.actor_id for a in anns[0].actors] == ["jnim"]


def write_gold(folder: Path) -> None:
    row = {
        "id": "en-1", "lang": "en", "published": "2022-07-20", "country": "BF",
        "text": "JNIM fighters attacked Markoye.",
        "actors": [{"text": "JNIM", "id": "jnim"}],
        "places": [{"text": "Markoye", "lat": 14.6433, "lon": 0.0361, "country": "BF",
                    "kind": "town", "precision": 1}],
        "times": [], "attributions": [],
    }  # fmt: skip
    (folder / "paragraphs_en.jsonl").write_text(json.dumps(row) + "\n")
    gold_note = {
        "id": "an-1", "date": "2022-07-15", "country": "BF", "location": "Markoye",
        "text": "On 15 July 2022, IS Sahel militants attacked Markoye (Markoye, Oudalan).",
        "admin1": "Sahel", "admin2": "Oudalan", "lat": 14.6433, "lon": 0.0361,
        "geo_precision": 1, "village": True,
    }  # fmt: skip
    (folder / NOTES_FILE).write_text(json.dumps(gold_note) + "\n")


def test_run_prints_figures_writes_json_and_enforces_floors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in = types.ModuleType("tocsin.extract.annotate")
    stand_in.Extractor = StandInExtractor  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tocsin.extract.annotate", stand_in)
    write_gold(tmp_path)
    floors = tmp_path / "floors.toml"
    floors.write_text('[floors]\n"actors.f1" = 1.0\n"notes.within_25km" = 1.0\n')
    out = tmp_path / "figures.json"
    args = ["--gold", str(tmp_path), "--floors", str(floors), "--json", str(out)]
    assert run.main(args) == 0
    printed = capsys.readouterr().out
    assert "actors" in printed and "gazetteer spellings, villages: same 1" in printed
    report = json.loads(out.read_text())
    assert report["figures"]["places.within_25km"] == 1.0
    assert report["notes"][0]["predicted"] == "Markoye"
    assert "paragraphs_fr.jsonl: missing" in report["problems"]

    floors.write_text('[floors]\n"actors.f1" = 1.0\n"times.f1" = 0.5\n"attributions.f1" = 0.5\n')
    assert run.main(["--gold", str(tmp_path), "--floors", str(floors)]) == 1
    below = [line for line in capsys.readouterr().out.splitlines() if "below floor" in line]
    assert below == [
        "below floor: attributions.f1 = 0.000 < floor 0.500",
        "below floor: times.f1 = 0.000 < floor 0.500",
    ]
    (tmp_path / NOTES_FILE).write_text("{not json\n")
    assert run.main(["--gold", str(tmp_path), "--floors", str(floors)]) == 2


class RaisingExtractor(StandInExtractor):
    def extract(self, doc: Document, *, country_hint: str | None = None) -> Annotations:
        if "boom" in doc.text:
            raise ValueError("boom")
        return super().extract(doc, country_hint=country_hint)


def test_annotate_all_collects_extractor_errors_when_asked() -> None:
    jobs = [Job("a", "JNIM", "fr", date(2025, 1, 2)), Job("b", "boom", "fr", date(2025, 1, 2))]
    with pytest.raises(ValueError, match="boom"):
        annotate_all(RaisingExtractor(), jobs)
    errors: list[str] = []
    anns = annotate_all(RaisingExtractor(), jobs, errors=errors)
    assert errors == ["b: ValueError: boom"]
    assert len(anns[0].actors) == 1 and anns[1].actors == ()
