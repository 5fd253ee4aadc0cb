"""The outlet registry (``knowledge/outlets.toml`` and the user's ``--sources`` file): outlets
by domain, name or local file pattern, with their kind and Admiralty reliability."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge
from tocsin.models import Kind, Source
from tocsin.text.fold import slug


def bare_domain(domain: str | None) -> str | None:
    if not domain:
        return None
    domain = domain.lower().strip().split(":")[0]
    return domain[4:] if domain.startswith("www.") else domain


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    kind: Kind
    domains: tuple[str, ...]
    files: tuple[str, ...] = ()  # glob patterns of local file names that come from it
    reliability: str | None = None  # Admiralty letter A–F given in the registry, if any
    reliability_reason: str = ""  # why that letter ("wire agency with a correction policy")
    # where the outlet reports from: countries or regions, as the setting area_of_interest
    area_of_interest: tuple[str, ...] = ()


class OutletRegistry:
    """Outlets by domain and by name, from the bundled file then the user's."""

    def __init__(self, outlets: list[Outlet]) -> None:
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        self._by_file = [(pattern, o) for o in outlets for pattern in o.files]
        for outlet in outlets:
            for domain in outlet.domains:
                if bare := bare_domain(domain):
                    self._by_domain[bare] = outlet
            self._by_name[slug(outlet.name)] = outlet

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> OutletRegistry:
        outlets = _outlets(load_knowledge("outlets"), knowledge_source("outlets"))
        if user_file:
            path = Path(user_file)
            outlets += _outlets(read_toml(path, missing="check the --sources path"), path)
        return cls(outlets)

    def lookup(
        self, *, domain: str | None, name: str | None, origin: str | None = None
    ) -> Outlet | None:
        if (bare := bare_domain(domain)) is not None:
            parts = bare.split(".")
            for i in range(len(parts) - 1):  # news.site.example matches site.example
                if hit := self._by_domain.get(".".join(parts[i:])):
                    return hit
        if name and (hit := self._by_name.get(slug(name))):
            return hit
        if origin and self._by_file:
            base = Path(origin.split(":")[0]).name
            for pattern, outlet in self._by_file:
                if fnmatch.fnmatch(base, pattern):
                    return outlet
        return None

    def source(
        self,
        *,
        domain: str | None,
        name: str | None,
        kind: Kind | None = None,
        language: str | None = None,
        origin: str | None = None,
    ) -> Source:
        """The ``Source`` for a document: registry first, then what the page says."""
        outlet = self.lookup(domain=domain, name=name, origin=origin)
        display = outlet.name if outlet else (name or bare_domain(domain) or "Unknown source")
        key = bare_domain(outlet.domains[0]) if outlet and outlet.domains else None
        source = Source(
            id=slug(key or bare_domain(domain) or display),
            name=display,
            domain=bare_domain(domain) or key,
            kind=kind or (outlet.kind if outlet else Kind.NEWS),
            language=language,
        )
        if outlet and outlet.reliability:  # else Source's default: F, no record yet
            reason = outlet.reliability_reason or "graded in the outlet registry"
            source = replace(source, reliability=outlet.reliability, reliability_reason=reason)
        return source


def _outlets(data: dict[str, Any], path: Path) -> list[Outlet]:
    outlets = []
    for i, item in enumerate(data.get("source", []), 1):
        if not isinstance(item, dict) or not item.get("name"):
            raise ConfigError(f"{path}: source {i} has no name; give each [[source]] a name")
        try:
            kind = Kind(item.get("kind", "news"))
        except ValueError as exc:
            kinds = ", ".join(k.value for k in Kind)
            raise ConfigError(
                f"{path}: source {item['name']!r}: kind must be one of {kinds}"
            ) from exc
        domains = item.get("domains") or ([item["domain"]] if item.get("domain") else [])
        files = item.get("files") or []
        letter, reason = _reliability(path, item)
        area = item.get("area_of_interest") or []
        if isinstance(area, str):
            area = [area]
        if not isinstance(area, list) or not all(isinstance(a, str) for a in area):
            raise ConfigError(
                f"{path}: source {item['name']!r}: area_of_interest must be a list of "
                'countries or regions, such as ["ML", "BF", "NE"]'
            )
        outlets.append(
            Outlet(
                name=str(item["name"]),
                kind=kind,
                domains=tuple(domains),
                files=tuple(files),
                reliability=letter,
                reliability_reason=reason,
                area_of_interest=tuple(area),
            )
        )
    return outlets


def _reliability(path: Path, item: dict[str, object]) -> tuple[str | None, str]:
    """The outlet's Admiralty letter and its reason, checked."""
    letter, reason = item.get("reliability"), item.get("reliability_reason", "")
    if letter is None:
        if reason:
            raise ConfigError(
                f"{path}: source {item['name']!r}: reliability_reason without reliability; "
                'add reliability = "A" to "F"'
            )
        return None, ""
    if not isinstance(letter, str) or letter.strip().upper() not in set("ABCDEF"):
        raise ConfigError(
            f"{path}: source {item['name']!r}: reliability must be one letter, A to F "
            "(A completely reliable ... E unreliable, F cannot be judged)"
        )
    if not isinstance(reason, str):
        raise ConfigError(f"{path}: source {item['name']!r}: reliability_reason must be text")
    return letter.strip().upper(), " ".join(reason.split())
