"""The API's own pages: ``/api`` (its documentation, rendered on the server from the
OpenAPI schema, so that it works offline and under the CSP), ``/api/v1/`` (an index) and
``/api/v1/me`` (who the caller is). The schema itself is served by FastAPI at
``/api/v1/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tocsin import __version__
from tocsin.web.deps import Viewer
from tocsin.web.templating import render

router = APIRouter()

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: str = ""


@dataclass(slots=True)
class Group:
    name: str
    operations: list[Operation] = field(default_factory=list)


def _kind(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        kinds = [_kind(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " | ".join(k for k in kinds if k) or "any"
    kind = str(schema.get("type", schema.get("$ref", "").rsplit("/", 1)[-1] or "any"))
    if kind == "array":
        return f"array of {_kind(schema.get('items', {}))}"
    if "format" in schema:
        kind += f" ({schema['format']})"
    if "enum" in schema:
        kind += ": " + ", ".join(str(v) for v in schema["enum"])
    return kind


def operations(schema: dict[str, Any]) -> list[Group]:
    """The API's operations grouped by the first path segment after /api/v1/."""
    groups: dict[str, Group] = {}
    for path, item in sorted(schema.get("paths", {}).items()):
        if not path.startswith("/api/"):
            continue
        name = path.removeprefix("/api/v1/").split("/")[0] or "index"
        group = groups.setdefault(name, Group(name))
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = tuple(
                Parameter(
                    name=p.get("name", ""),
                    where=p.get("in", ""),
                    required=bool(p.get("required")),
                    kind=_kind(p.get("schema", {})),
                    description=p.get("description", "")
                    or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            )
            body = ""
            content = op.get("requestBody", {}).get("content", {})
            for media, spec in content.items():
                body = f"{media}: {_kind(spec.get('schema', {}))}"
                break
            group.operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=(op.get("description") or "").strip(),
                    parameters=params,
                    body=body,
                )
            )
    return [g for g in groups.values() if g.operations]


@router.get("/api", include_in_schema=False)
def api_page(request: Request, _user: Viewer) -> Response:
    return render(
        request,
        "api.html.j2",
        {"groups": operations(request.app.openapi()), "version": __version__},
    )


@router.get("/api/v1/", summary="Index of the API")
def api_index(request: Request, _user: Viewer) -> dict[str, Any]:
    """The version and every path of the API; the full schema is at
    ``/api/v1/openapi.json``."""
    groups = operations(request.app.openapi())
    return {
        "version": __version__,
        "openapi": "/api/v1/openapi.json",
        "docs": "/api",
        "paths": sorted({op.path for g in groups for op in g.operations}),
    }


@router.get("/api/v1/me", summary="The signed-in user")
def api_me(user: Viewer) -> dict[str, Any]:
    """Who the caller is: user name and role (viewer, analyst or admin)."""
    return {"username": user.username, "role": user.role}
