"""The area of interest: read from the settings, a feed, a source, or the assets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tocsin.alert.assets import make_asset
from tocsin.app.area import area_countries, assets_area, document_areas
from tocsin.app.pipeline import Pipeline
from tocsin.app.watch import load_watch_config
from tocsin.config import Settings, load_settings
from tocsin.errors import ConfigError
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Document, Source
from tocsin.store import open_store


def test_codes_names_and_regions() -> None:
    assert area_countries(["ml", "Burkina Faso", "NE", "ML"]) == ("ML", "BF", "NE")
    western = area_countries(["Western Africa"])
    assert {"ML", "BF", "NE", "SN"} <= set(western)
    with pytest.raises(ConfigError, match="'Atlantis' is neither a country"):
        area_countries(["Atlantis"])


def test_setting_from_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "tocsin.toml"
    cfg.write_text('area_of_interest = ["ML", "BF"]\n')
    assert load_settings(config_file=cfg).area_of_interest == ("ML", "BF")
    monkeypatch.setenv("TOCSIN_AREA_OF_INTEREST", "ML, NE")
    assert load_settings(config_file=cfg).area_of_interest == ("ML", "NE")


def test_assets_give_the_area_when_none_is_set(tmp_path: Path) -> None:
    bamako = make_asset("Bureau de Bamako", coords=[(12.65, -8.0)])
    niamey = make_asset("Base de Niamey", coords=[(13.51, 2.11)])
    assert set(assets_area([bamako, niamey])) == {"ML", "NE"}
    store = open_store(f"sqlite:///{tmp_path / 'tocsin.db'}")
    store.save_assets([bamako], now=datetime(2026, 1, 1, tzinfo=UTC))
    assert Pipeline(store, Settings()).area_of_interest() == ("ML",)
    assert Pipeline(store, Settings(area_of_interest=("BF",))).area_of_interest() == ("BF",)


def _doc(doc_id: str, source: Source) -> Document:
    return Document(
        id=doc_id,
        source=source,
        text="x",
        content_hash="",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_feed_then_source_then_default(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "Sahel Info"\ndomain = "sahel.example"\narea_of_interest = ["NE"]\n'
    )
    registry = OutletRegistry.load(sources)
    local = _doc("a", Source(id="s", name="Sahel Info", domain="sahel.example"))
    other = _doc("b", Source(id="o", name="Other", domain="other.example"))
    areas = document_areas([local, other], default=("ML",), registry=registry)
    assert areas == {"a": ("NE",), "b": ("ML",)}
    feed = document_areas([local, other], default=("ML",), registry=registry, feed=("BF",))
    assert feed == {"a": ("BF",), "b": ("BF",)}


def test_watch_config_area(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[feed]]\nurl = "https://a.example/rss"\narea_of_interest = ["Mali"]\n')
    assert load_watch_config(cfg)[0].area_of_interest == ("ML",)
    cfg.write_text('[[feed]]\nurl = "https://a.example/rss"\narea_of_interest = "Nowhere"\n')
    with pytest.raises(ConfigError, match="feed 1: area_of_interest"):
        load_watch_config(cfg)
