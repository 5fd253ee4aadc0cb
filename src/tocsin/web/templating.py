"""Server-side pages: one Jinja2 environment with autoescaping always on, and
``render`` which gives every template the request's language, translator, user and CSRF
token. Text from documents and comments is escaped by Jinja2; never mark it ``|safe``.
Templates that need JavaScript load a file from ``static/js`` (``{% block scripts %}``)
and pass data through ``data-*`` attributes or the JSON API.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from tocsin.web.deps import caller
from tocsin.web.i18n import LANGUAGES, translator

_TEMPLATES = Path(__file__).parent / "templates"


def _when(value: date | datetime | None, fmt: str = "%Y-%m-%d") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(fmt + (" %H:%M" if fmt == "%Y-%m-%d" else ""))
    return value.strftime(fmt)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.globals["languages"] = LANGUAGES
    return env


ENV = _environment()


def page_url(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one): for
    pagination links and filters."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    found = caller(request)
    lang: str = getattr(request.state, "lang", "en")
    values = {
        "request": request,
        "lang": lang,
        "t": translator(lang),
        "user": found.user if found else None,
        "csrf_token": found.session.csrf if found and found.session else "",
        "page_url": lambda **changes: page_url(request, **changes),
        **(context or {}),
    }
    html = ENV.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)
