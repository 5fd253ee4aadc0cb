"""Annotations in the store: a whole round trip, replacement on re-extraction, staleness."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.store.test_db import _doc
from tocsin.models import (
    ActorRef,
    Annotations,
    Attribution,
    PlaceRef,
    Span,
    TimeRef,
    annotation_from_plain,
    annotation_to_plain,
)
from tocsin.store import open_store


def _annotations(doc_id: str, version: str = "v1") -> Annotations:
    body = "Le JNIM a attaqué un convoi près de Diboli hier, selon une source sécuritaire."
    span = lambda a, b, part="body": Span(doc_id, part, a, b)  # noqa: E731
    return Annotations(
        document_id=doc_id,
        extractor_version=version,
        languages={"body": "fr", f"{doc_id}-a": "fr"},
        actors=(ActorRef(span(3, 7), "JNIM", "jnim", "GSIM", 2, acled="JNIM: ..."),),
        places=(
            PlaceRef(
                span(36, 42),
                "Diboli",
                True,
                geonameid=2458589,
                name="Diboli",
                lat=14.47,
                lon=-11.98,
                country="ML",
                admin1="Kayes",
                kind="town",
                precision=2,
                reason="country focus ML",
            ),
            PlaceRef(span(0, 6, f"{doc_id}-a"), "Triste", False, reason="no candidate"),
        ),
        times=(
            TimeRef(
                span(43, 47),
                "hier",
                "date",
                "2025-11-03",
                date(2025, 11, 3),
                date(2025, 11, 3),
                "day",
                relative=True,
            ),
        ),
        attributions=(
            Attribution(
                span(0, 47),
                "anonymous",
                cue=span(49, len(body) - 1),
                source="une source sécuritaire",
            ),
            Attribution(span(0, 6, f"{doc_id}-a"), "author"),
        ),
    )


def test_annotation_plain_round_trip() -> None:
    ann = _annotations("d1")
    for ref in (*ann.actors, *ann.places, *ann.times, *ann.attributions):
        assert annotation_from_plain("d1", annotation_to_plain(ref)) == ref


def test_store_round_trip_and_replacement(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    store.save_document(_doc("d1"), minhash=None)
    store.save_document(_doc("d2", content_hash="h-d2"), minhash=None)
    assert store.load_annotations("d1") is None
    assert store.stale_documents("v1") == ["d1", "d2"]

    ann = _annotations("d1")
    assert store.save_annotations(ann) == 6
    assert store.load_annotations("d1") == ann
    assert store.extractor_version_of("d1") == "v1"
    assert store.stale_documents("v1") == ["d2"]
    assert store.stale_documents("v2") == ["d1", "d2"]

    # a newer extractor replaces every row, it does not add to them
    newer = Annotations(document_id="d1", extractor_version="v2", languages={"body": "fr"})
    assert store.save_annotations(newer) == 0
    assert store.load_annotations("d1") == newer
    assert store.stale_documents("v2") == ["d2"]
