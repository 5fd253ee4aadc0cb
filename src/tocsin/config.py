"""Settings: defaults, then a ``tocsin.toml``, then ``TOCSIN_*`` environment variables,
then CLI flags (the CLI passes them to :func:`load_settings` as overrides).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from tocsin.errors import ConfigError

DEFAULT_DB = "sqlite:///tocsin.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB
    # Languages the detector may answer (ISO 639-1); others come out as the closest of these
    # or as unknown. Kept small on purpose: accuracy on short comments drops with every extra.
    languages: tuple[str, ...] = ("fr", "en", "ar")
    # Jaccard similarity of word 3-shingles above which a document is a near-copy.
    near_duplicate_threshold: float = 0.7
    # Short texts are documents (their form says "report"): nothing is dropped for being
    # short. Under this many words, an HTML page must read as prose (not a home or list
    # page's links and labels), and a feed item's own text is a summary: the page at its
    # link is read for the full text.
    min_words: int = 25
    # Fetch limits (see ingest/fetch.py).
    max_bytes: int = 10_000_000
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    min_interval: float = 1.0
    retries: int = 2
    allow_private: bool = False
    respect_robots: bool = True
    # Where outlet names, domains and kinds are registered (user-editable TOML).
    sources_file: str | None = None
    # A folder of the user's own knowledge files (actors.toml, estimative.toml...) that
    # add to or override the bundled ones: see tocsin.knowledge.files.
    knowledge_dir: str | None = None
    # Extract actors, places, times and attributions from what `ingest` and `watch` store.
    extract: bool = True
    # Risk levels: the length of a period (the trend compares it with the one before).
    risk_period_days: int = 7
    # Outgoing email (alerts, digest). An empty user sends without logging in.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_from: str = "tocsin@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    # The key that signs webhook bodies (HMAC-SHA256); webhooks are not sent without one.
    webhook_secret: str = ""
    webhook_timeout: float = 10.0
    # Delivery retries: the wait doubles from outbox_backoff seconds, at most
    # outbox_max_attempts tries, then the message is marked dead.
    outbox_backoff: float = 30.0
    outbox_max_attempts: int = 8
    # Where Tocsin's web pages are served: links in emails (unsubscribe) and the feed.
    base_url: str = "http://127.0.0.1:8000"
    # The organisation's name, shown in briefs, alerts and the digest.
    organisation: str = ""
    # When `tocsin watch` sends the weekly digest: "monday 07:00" (UTC); empty: never.
    digest_schedule: str = ""
    # Where the organisation works: countries (ISO2 codes or names) and regions ("Western
    # Africa"); their places come before namesakes abroad. Empty: the assets' countries.
    area_of_interest: tuple[str, ...] = ()


_ENV_PREFIX = "TOCSIN_"


def read_toml(path: Path, *, missing: str = "check the path", what: str = "file") -> dict[str, Any]:
    """A TOML file as a dict; a missing or broken file is a one-line ``ConfigError``
    naming the file and ``what`` it is ("place lexicon"); ``missing`` says what to do
    when the file is not there."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such {what}; {missing}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{path}: cannot read the {what} ({msg}); fix the TOML syntax") from exc


def _coerce(name: str, value: Any, default: Any) -> Any:
    """Turn a TOML or environment value into the type of the default."""
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {name}={value!r}: {exc}; give a {type(default).__name__}"
        ) from exc
    if isinstance(default, str):
        return str(value)
    return value


def load_settings(
    *, config_file: str | Path | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """Build the settings from the file (if any), the environment and explicit overrides."""
    base = Settings()
    known = {f.name: getattr(base, f.name) for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = Path(config_file) if config_file else Path("tocsin.toml")
    if path.exists() or config_file:
        data = read_toml(path, missing="check the --config path")
        section = data.get("tocsin", data)
        for key, value in section.items():
            if key in known:
                values[key] = _coerce(key, value, known[key])
    for key, default in known.items():
        env = os.environ.get(_ENV_PREFIX + key.upper())
        if env is not None:
            values[key] = _coerce(key, env, default)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in known:
            raise ConfigError(f"unknown setting {key!r}; known settings: {', '.join(known)}")
        values[key] = _coerce(key, value, known[key])
    settings = replace(base, **values)
    if not 0.0 < settings.near_duplicate_threshold <= 1.0:
        raise ConfigError(
            f"near_duplicate_threshold={settings.near_duplicate_threshold}: "
            "must be in (0, 1]; 0.7 suits syndicated copies"
        )
    return settings
