"""eval/geoparse.py: reading GeoWebNews XML and scoring toponym detection and resolution,
with a hand-made article (no GeoWebNews text) and hand-made predictions."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval.corpus import GoldError
from eval.geoparse import (
    auc,
    gwn_figures,
    gwn_misses,
    load_gwn,
    measure_gwn,
    score_article,
    skip_unmeasured,
)

from tocsin.models import Annotations, PlaceRef, Span

TEXT = "Storms hit Lyon and the French coast; Paris said Lyon would recover."


def _toponym(name: str, kind: str, start: int, *, lat: float | None, lon: float | None) -> str:
    point = f"<latitude>{lat}</latitude><longitude>{lon}</longitude>" if lat is not None else ""
    return (
        f"<toponym><extractedName>{name}</extractedName><type>{kind}</type>"
        f"<modifierType /><start>{start}</start><end>{start + len(name)}</end>"
        f"<geonamesID />{point}</toponym>"
    )


def _write(tmp_path: Path) -> Path:
    toponyms = [
        _toponym("Lyon", "Literal", TEXT.index("Lyon"), lat=45.75, lon=4.85),
        _toponym("French", "Demonym", TEXT.index("French"), lat=None, lon=None),
        _toponym("Paris", "Metonymic", TEXT.index("Paris") + 3, lat=48.85, lon=2.35),  # shifted
        _toponym("Lyon", "Literal", TEXT.rindex("Lyon"), lat=45.75, lon=4.85),
        _toponym("Nowhere", "Literal", -40, lat=1.0, lon=1.0),
    ]
    xml = (
        '<?xml version="1.0" ?><articles><article file="7"><title>t</title>'
        "<link>http://example.org/2018/03/storm.html</link>"
        f"<text>{TEXT}</text><toponyms>{''.join(toponyms)}</toponyms></article></articles>"
    )
    path = tmp_path / "GWN.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def _place(surface: str, *, last: bool = False, lat: float | None, lon: float | None) -> PlaceRef:
    start = TEXT.rindex(surface) if last else TEXT.index(surface)
    return PlaceRef(
        Span("gwn-7", "body", start, start + len(surface)),
        surface,
        resolved=lat is not None,
        lat=lat,
        lon=lon,
        name=surface,
        kind="town",
        country="FR",
    )


def test_loading_moves_shifted_spans_and_drops_unreadable_ones(tmp_path: Path) -> None:
    articles, problems = load_gwn(_write(tmp_path))
    (article,) = articles
    assert article.id == "7" and article.published.isoformat() == "2018-03-01"
    names = [(t.name, TEXT[t.start : t.end]) for t in article.toponyms]
    assert names == [("Lyon", "Lyon"), ("French", "French"), ("Paris", "Paris"), ("Lyon", "Lyon")]
    assert len(problems) == 1 and "does not read its name" in problems[0]


def test_not_the_geowebnews_xml_is_a_gold_error(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<documents/>", encoding="utf-8")
    with pytest.raises(GoldError, match="expected <articles>"):
        load_gwn(path)


def test_detection_and_resolution_are_scored_the_standard_way(tmp_path: Path) -> None:
    (article,), _ = load_gwn(_write(tmp_path))
    preds = (
        _place("Lyon", lat=45.76, lon=4.84),  # right
        _place("French", lat=46.0, lon=2.0),  # over a demonym: neither right nor wrong
        _place("Paris", lat=33.66, lon=-95.56),  # Paris, Texas: detected, far
        _place("Lyon", last=True, lat=None, lon=None),  # detected, unresolved
        _place("Storms", lat=10.0, lon=10.0),  # not a toponym
    )
    score = score_article(article, Annotations("gwn-7", "test", places=preds))
    assert (score.detection.tp, score.detection.n_gold, score.detection.n_pred) == (3, 3, 4)
    assert [p.surface for p in score.false_positives] == ["Storms"]
    figures = gwn_figures([score])
    assert figures["gwn.acc161"] == pytest.approx(1 / 3)
    assert figures["gwn.literal.acc161"] == pytest.approx(1 / 2)
    assert figures["gwn.associative.acc161"] == 0.0
    assert figures["gwn.detection.precision"] == pytest.approx(3 / 4)
    assert figures["gwn.n_resolved"] == 2
    misses = gwn_misses([article], [score])
    assert any("'Paris'" in m and "km off" in m for m in misses)
    assert any(m.endswith("unresolved") for m in misses)


def test_auc_is_zero_for_exact_points_and_one_at_the_antipode() -> None:
    assert auc([0.0, 0.0]) == 0.0
    assert auc([20039.0]) == pytest.approx(1.0)
    assert auc([]) == 0.0


def test_absent_data_measures_nothing_and_skips_its_floors(tmp_path: Path) -> None:
    figures, lines, misses = measure_gwn(None, path=tmp_path / "absent.xml")  # type: ignore[arg-type]
    assert figures == {} and misses == [] and "not measured" in lines[0]
    floors = {"gwn.acc161": 0.1, "actors.f1": 0.9}
    assert skip_unmeasured(floors, figures) == {"actors.f1": 0.9}
    assert skip_unmeasured(floors, {"gwn.n_with_coords": 3}) == floors
