from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.config import load_settings
from tocsin.errors import ConfigError


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "tocsin.toml"
    cfg.write_text('[tocsin]\ndb = "sqlite:///a.db"\nmin_words = 40\nlanguages = ["fr", "en"]\n')
    monkeypatch.setenv("TOCSIN_MIN_WORDS", "30")
    monkeypatch.setenv("TOCSIN_ALLOW_PRIVATE", "yes")
    s = load_settings(config_file=cfg, overrides={"db": "sqlite:///b.db", "max_bytes": None})
    assert s.db == "sqlite:///b.db"
    assert s.min_words == 30
    assert s.languages == ("fr", "en")
    assert s.allow_private is True
    assert s.max_bytes == 10_000_000


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"near_duplicate_threshold": 1.5}, "near_duplicate_threshold"),
        ({"min_words": "many"}, "min_words"),
        ({"colour": "red"}, "unknown setting"),
    ],
)
def test_bad_settings_say_what_to_do(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(overrides=overrides)


def test_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file; check the --config path"):
        load_settings(config_file=tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("db = = 3")
    with pytest.raises(ConfigError, match="fix the TOML syntax"):
        load_settings(config_file=bad)
