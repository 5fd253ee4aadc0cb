"""The one loader of knowledge files: the bundled TOML file, then the user's own.

:func:`load_knowledge` ("actors") reads ``knowledge/actors.toml`` and, when the
``knowledge_dir`` setting names a folder (set with :func:`configure_knowledge`), the
user's ``actors.toml`` in that folder on top of it. The merge rule, for each key of the
user's file:

- a table merges into the bundled table key by key, at every depth (the user's value
  wins; keys the bundled file lacks are added: that is how a phrase is added to a table
  of phrases such as ``[fr.cues]``);
- an array of tables (``[[actor]]``, ``[[source]]``) is appended to the bundled one,
  except that an entry whose ``id`` (or, for entries without one, ``name``) is that of
  a bundled entry replaces that entry, in its place;
- any other value (text, number, boolean, a plain array such as a list of words)
  replaces the bundled value; written with a trailing ``+`` (``"according+" = [...]``)
  an array is put in front of the bundled array instead, less the items it repeats.

A user's file that is not valid TOML, a key whose value has another type than the
bundled file's (a table for a text, a text for a number, numbers in a list of words),
a ``+`` key with no bundled array under it, and a ``.toml`` file whose name is not that
of a bundled file are one-line :class:`ConfigError` naming the file and the key. Keys
the bundled file does not have are kept; the code that reads the file rejects those it
does not know where the file has a fixed set of keys.

The merged data is cached per (name, folder); each call returns its own copy, so that a
reader may change it. Readers that cache what they build from it use
:func:`per_knowledge_dir`, so that a new folder is read anew. The CLI (its main
callback) and the web app (``create_app``) call :func:`configure_knowledge` with their
settings; a program using the library calls it too, else only the bundled files count.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tocsin.config import Settings, read_toml
from tocsin.errors import ConfigError

__all__ = [
    "configure_knowledge",
    "knowledge_dir",
    "knowledge_files",
    "knowledge_names",
    "knowledge_path",
    "knowledge_source",
    "load_knowledge",
    "per_knowledge_dir",
]

BUNDLED_DIR = Path(__file__).resolve().parent
T = TypeVar("T")


class _State:
    folder: Path | None = None  # the user's knowledge folder, resolved


_state = _State()


def knowledge_path(name: str) -> Path:
    """The bundled file ``name`` ("actors.toml", "gazetteer/westafrica.tsv.gz")."""
    return BUNDLED_DIR / name


def knowledge_names() -> tuple[str, ...]:
    """The names of the bundled TOML files ("actors", "estimative", ...)."""
    return tuple(sorted(p.stem for p in BUNDLED_DIR.glob("*.toml")))


def knowledge_dir() -> Path | None:
    """The user's knowledge folder in use, if any."""
    return _state.folder


def configure_knowledge(settings: Settings) -> None:
    """Use ``settings.knowledge_dir`` (empty: none) as the user's knowledge folder from
    now on, and check every TOML file in it at once, so that a mistake shows at start."""
    raw = settings.knowledge_dir
    if not raw or not str(raw).strip():
        _state.folder = None
        return
    folder = Path(str(raw).strip()).expanduser().resolve()
    if not folder.is_dir():
        raise ConfigError(
            f"knowledge_dir {raw}: no such folder; create it or fix the knowledge_dir setting"
        )
    known = knowledge_names()
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in known:
            raise ConfigError(
                f"{path}: not a knowledge file; name it after one of {', '.join(known)}"
            )
    _state.folder = folder
    for path in sorted(folder.glob("*.toml")):
        _merged(path.stem, folder)
    from tocsin.knowledge.names import RISK_LEVEL_NAMES

    len(RISK_LEVEL_NAMES)  # the risk names checked now, not when a page first needs them


def knowledge_files(name: str) -> tuple[Path, ...]:
    """The files that :func:`load_knowledge` reads for ``name``: the bundled one, then
    the user's if there is one."""
    bundled = _bundled_file(name)
    if _state.folder is not None and (user := _state.folder / f"{name}.toml").is_file():
        return (bundled, user)
    return (bundled,)


def knowledge_source(name: str) -> Path:
    """The file to name in a message about ``name``'s merged data: the user's when there
    is one (the bundled file is tested), else the bundled file."""
    return knowledge_files(name)[-1]


def load_knowledge(name: str) -> dict[str, Any]:
    """The bundled ``name``.toml with the user's file of that name merged on top (see the
    module's docstring for the rule); a copy the caller may change."""
    return copy.deepcopy(_merged(name, _state.folder))


def per_knowledge_dir(build: Callable[[], T]) -> Callable[[], T]:
    """``build`` called once per user knowledge folder (``functools.cache`` that knows
    about :func:`configure_knowledge`)."""
    built: dict[Path | None, T] = {}

    @functools.wraps(build)
    def cached() -> T:
        folder = _state.folder
        if folder not in built:
            built[folder] = build()
        return built[folder]

    return cached


# ---------------------------------------------------------------- reading and merging


def _bundled_file(name: str) -> Path:
    path = BUNDLED_DIR / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(
            f"knowledge file {name!r} is not bundled; use one of {', '.join(knowledge_names())}"
        )
    return path


@functools.lru_cache(maxsize=128)
def _merged(name: str, folder: Path | None) -> dict[str, Any]:
    bundled = _bundled_file(name)
    data = read_toml(bundled, what="knowledge file", missing="reinstall Tocsin")
    if folder is not None and (user := folder / f"{name}.toml").is_file():
        extra = read_toml(user, what=f"knowledge file ({name}.toml)")
        _merge(data, extra, _Where(user, f"{name}.toml"), "")
    return data


class _Where:
    """The user's file and the bundled file's name, for messages."""

    def __init__(self, path: Path, bundled: str) -> None:
        self.path = path
        self.bundled = bundled

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {problem}")

    def wrong_type(self, key: str, got: str, want: str) -> ConfigError:
        return self.fail(
            key, f"is {_a(got)} but the bundled {self.bundled} has {_a(want)}; write {_a(want)}"
        )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "array of tables" if value and all(isinstance(v, dict) for v in value) else "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date | dt.time):
        return "date or time"
    return type(value).__name__


def _same_kind(old: Any, new: Any) -> bool:
    a, b = _kind(old), _kind(new)
    if {a, b} <= {"array", "array of tables"}:  # an empty array, or a mixed one
        return a == b or not old or not new or a == "array"
    return a == b


def _merge(base: dict[str, Any], extra: dict[str, Any], where: _Where, prefix: str) -> None:
    for key, value in extra.items():
        dotted = f"{prefix}{key}"
        if key.endswith("+") and len(key) > 1:
            _prepend(base, key[:-1], value, where, dotted)
            continue
        if key not in base:
            base[key] = value
            continue
        old = base[key]
        if not _same_kind(old, value):
            raise where.wrong_type(dotted, _kind(value), _kind(old))
        if isinstance(old, dict):
            _merge(old, value, where, f"{dotted}.")
        elif _kind(old) == "array of tables":
            _append_entries(old, value, where, dotted)
        else:
            if isinstance(old, list):
                _check_items(old, value, where, dotted)
            base[key] = value


def _prepend(base: dict[str, Any], key: str, value: Any, where: _Where, dotted: str) -> None:
    old = base.get(key)
    if not isinstance(old, list) or _kind(old) == "array of tables":
        raise where.fail(
            dotted,
            f"adds to an array, but the bundled {where.bundled} has no array {key}; "
            f"write {key} = [...] instead",
        )
    if not isinstance(value, list):
        raise where.wrong_type(dotted, _kind(value), "array")
    _check_items(old, value, where, dotted)
    base[key] = value + [v for v in old if v not in value]


def _check_items(old: list[Any], new: list[Any], where: _Where, dotted: str) -> None:
    """A list's items have the kinds of the bundled list's (when it has items)."""
    kinds = {_kind(v) for v in old}
    if not kinds:
        return
    for item in new:
        if _kind(item) not in kinds:
            want = " or ".join(sorted(kinds))
            raise where.fail(
                dotted,
                f"holds {_a(_kind(item))} but the bundled {where.bundled} holds "
                f"{want} items there; write {_a(sorted(kinds)[0])}",
            )


def _identity(entry: dict[str, Any]) -> tuple[str, Any] | None:
    for field in ("id", "name"):
        if isinstance(entry.get(field), str):
            return field, entry[field]
    return None


def _append_entries(old: list[dict[str, Any]], new: list[Any], where: _Where, dotted: str) -> None:
    shapes: dict[str, set[str]] = {}
    for entry in old:
        for k, v in entry.items():
            shapes.setdefault(k, set()).add(_kind(v))
    place = {ident: i for i, e in enumerate(old) if (ident := _identity(e)) is not None}
    for n, entry in enumerate(new, 1):
        label = f"{dotted}[{n}]"
        if not isinstance(entry, dict):
            raise where.wrong_type(label, _kind(entry), "table")
        ident = _identity(entry)
        if ident is not None:
            label = f"{dotted}[{ident[0]} = {ident[1]!r}]"
        for k, v in entry.items():
            if k in shapes and _kind(v) not in shapes[k] and not _loose_array(v, shapes[k]):
                want = sorted(shapes[k])[0]
                raise where.wrong_type(f"{label}.{k}", _kind(v), want)
        if ident is not None and ident in place:
            old[place[ident]] = entry
        else:
            old.append(entry)


def _loose_array(value: Any, kinds: set[str]) -> bool:
    """An array where the bundled entries have arrays (of tables or of values)."""
    return isinstance(value, list) and bool(kinds & {"array", "array of tables"})
