"""The package's public face: the verbs ``import tocsin`` names, and the example of its
docstring run as written (on a demo corpus file, with the real models)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import tocsin
from tocsin.app.demo import corpus_path


def test_every_name_in_all_resolves_to_its_owner() -> None:
    for name in tocsin.__all__:
        value = getattr(tocsin, name)
        if name == "__version__":
            continue
        owner = importlib.import_module(tocsin._VERBS[name])
        assert getattr(owner, name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = tocsin.nothing_here  # type: ignore[attr-defined]


def test_the_docstring_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    source = corpus_path() / "analyse-blocus-bamako.html"
    (notes / source.name).write_bytes(source.read_bytes())
    settings = tocsin.load_settings(overrides={"db": f"sqlite:///{tmp_path / 'sahel.db'}"})
    store = tocsin.open_store(settings.db)
    pipeline = tocsin.Pipeline(store, settings)
    stored = [r.doc_id for r in pipeline.ingest([str(notes)]) if r.doc_id]
    assert len(stored) == 1
    extracted = list(pipeline.extract(stored))
    assert [r.status for r in extracted] == ["extracted"]
    published = store.get_document(stored[0])
    assert published is not None and published.published is not None
    brief = tocsin.build_brief(
        store,
        area=tocsin.resolve_area("Bamako"),
        period_end=published.published.date(),
        period_days=30,
    )
    markdown = tocsin.render_brief(brief, "md").decode("utf-8")
    assert "Bamako" in markdown
    store.close()
