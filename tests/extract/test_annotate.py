"""Whole-document extraction: the Extractor, the pipeline that stores it, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tocsin.app.pipeline import Pipeline
from tocsin.config import Settings
from tocsin.extract.annotate import Extractor
from tocsin.extract.nlp import Models, chunks
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import Comment, Document, Precision, Source
from tocsin.store import open_store

ARTICLE = (
    "Le JNIM a attaqué mardi dernier un convoi de camions-citernes à 30 km au nord de "
    "Ségou, selon une source sécuritaire qui a requis l'anonymat. Le ministre des "
    "Affaires étrangères, Abdoulaye Diop, a assuré que la route resterait ouverte. "
    "Des hommes armés non identifiés ont ensuite incendié trois véhicules près de Kati "
    "(Koulikoro). Le blocus devrait durer au cours des six prochains mois, estiment des "
    "analystes."
)


@pytest.fixture(scope="module")
def extractor(models: Models, gazetteer: Gazetteer) -> Extractor:
    return Extractor(models=models, gazetteer=gazetteer)


def _doc(
    text: str = ARTICLE, *, lang: str | None = "fr", comments: tuple[Comment, ...] = ()
) -> Document:
    return Document(
        id="d1",
        source=Source(id="s", name="S"),
        text=text,
        content_hash="h",
        fetched_at=datetime(2025, 10, 16, tzinfo=UTC),
        published=datetime(2025, 10, 15, 9, tzinfo=UTC),
        published_precision=Precision.DAY,
        language=lang,
        comments=comments,
    )


def test_article_body_and_comments(extractor: Extractor) -> None:
    comments = (
        Comment(id="c1", text="Les FAMa sont où ??? 😡", language="fr"),
        Comment(id="c2", text="ok", parent_id="c1", language="fr"),
        Comment(
            id="c3", text="Wagner left Mali last year, Africa Corps is there now.", language="en"
        ),
    )
    ann = extractor.extract(_doc(comments=comments))
    assert ann.document_id == "d1" and ann.extractor_version == extractor.version
    assert ann.languages == {"body": "fr", "c1": "fr", "c2": "fr", "c3": "en"}
    body_actors = {a.actor_id for a in ann.actors if a.span.part == "body"}
    assert {"jnim", "unidentified-armed-group-mali"} <= body_actors
    assert {a.actor_id for a in ann.actors if a.span.part == "c1"} == {"fama"}
    assert {"wagner", "africa-corps"} <= {a.actor_id for a in ann.actors if a.span.part == "c3"}
    for ref in (*ann.actors, *ann.places, *ann.times):
        text = (
            ARTICLE
            if ref.span.part == "body"
            else next(c.text for c in comments if c.id == ref.span.part)
        )
        assert text[ref.span.start : ref.span.end] == ref.surface
    segou = next(p for p in ann.places if p.surface == "Ségou")
    assert segou.resolved and segou.country == "ML" and segou.precision == 2
    assert segou.offset_km == 30 and segou.direction == "N"
    kati = next(p for p in ann.places if p.surface == "Kati")
    assert kati.resolved and kati.admin1 == "Koulikoro"
    values = {t.surface: t.value for t in ann.times}
    assert values["mardi dernier"] == "2025-10-14"
    assert values["au cours des six prochains mois"] == "2025-10-15/2026-04-15"
    kinds = {a.kind for a in ann.attributions}
    assert {"anonymous", "person"} <= kinds


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "ok",
        "🔥🔥🔥 😡😡",
        "LE JNIM A ATTAQUÉ HIER UN CONVOI PRÈS DE SÉGOU SELON DES SOURCES CONCORDANTES",
        "Le convoi est arrivé à Gao. قال مصدر أمني إن الهجوم وقع أمس. Les FAMa ont riposté.",
        ("Les camions-citernes restent bloqués près de Kati hier. " * 18_000)[:1_000_000],
    ],
    ids=["empty", "blank", "one-word", "emoji", "all-caps", "arabic-in-french", "1MB"],
)
def test_hostile_text_never_raises(extractor: Extractor, text: str) -> None:
    ann = extractor.extract(_doc(text))
    for ref in (*ann.actors, *ann.places, *ann.times, *ann.attributions):
        assert 0 <= ref.span.start <= ref.span.end <= len(text)


def test_chunks_cover_the_text_exactly() -> None:
    text = ("Une phrase. " * 5000) + "x" * 50_000 + " fin"
    pieces = list(chunks(text, size=10_000))
    assert "".join(p for _o, p in pieces) == text
    assert all(len(p) <= 10_000 for _o, p in pieces)
    assert [o for o, _p in pieces] == [
        sum(len(p) for _o, p in pieces[:i]) for i in range(len(pieces))
    ]


def test_pipeline_stores_and_skips_current(tmp_path: Path, extractor: Extractor) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    store.save_document(_doc(), minhash=None)
    pipeline = Pipeline(store, Settings(), extractor=extractor)
    results = {r.doc_id: r for r in pipeline.extract(["d1", "nope"])}
    first = results["d1"]
    assert first.status == "extracted" and results["nope"].status == "missing"
    again = {r.doc_id: r.status for r in pipeline.extract(["d1"])}
    assert again == {"d1": "current"}
    stored = store.load_annotations("d1")
    assert stored == first.annotations
    assert store.stale_documents(extractor.version) == []


def test_cli_extract_json_and_highlight(tmp_path: Path, index_path: Path) -> None:
    env = {
        **os.environ,
        "TOCSIN_EXTRACT": "1",
        "TOCSIN_GAZETTEER_INDEX": str(index_path),
        "TOCSIN_GAZETTEER_WORLD": "0",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Convoi attaqué\n\n" + ARTICLE + "\n", encoding="utf-8")
    (folder / "b.md").write_text(
        "# Note\n\nFighting near Markoye in Oudalan province killed 12 soldiers yesterday, "
        "a security source who asked not to be named said.\n",
        encoding="utf-8",
    )
    db = tmp_path / "t.db"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tocsin", "--db", str(db), *args],
            capture_output=True,
            text=True,
            timeout=180,
            env=env,
            check=False,
        )

    done = run("extract", "--json", str(folder), "no-such-id")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    by_input = {Path(x["input"]).name: x for x in lines}
    assert by_input["no-such-id"]["status"] == "failed"
    a = by_input["a.txt"]
    assert a["status"] == "extracted" and a["extractor_version"]
    types = {x["type"] for x in a["annotations"]}
    # no publication date: no relative times, but the judgment "devrait durer" is there,
    # and the attack on the convoy is an event
    assert types == {"actor", "place", "attribution", "judgment", "event"}
    attack = next(x for x in a["annotations"] if x["type"] == "event")
    assert (attack["sub_event_type"], attack["actor1"], attack["tags"]) == (
        "Attack",
        "jnim",
        ["convoy", "supplies"],
    )
    b = by_input["b.md"]
    markoye = next(
        x for x in b["annotations"] if x["type"] == "place" and x["surface"] == "Markoye"
    )
    assert markoye["country"] == "BF" and markoye["precision"] == 2

    shown = run("docs", "show", a["doc_id"], "--annotations")
    assert shown.returncode == 0, shown.stderr
    assert "jnim" in shown.stdout and "legend" in shown.stdout and not shown.stderr.strip()
    again = run("extract", a["doc_id"])
    assert again.returncode == 0 and "current" in again.stdout
    # extraction merged the reports into the event layer
    listed = run("events", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    events = [json.loads(x) for x in listed.stdout.splitlines()]
    assert {(e["sub_event_type"], e["actor1"]) for e in events} >= {("Attack", "jnim")}
