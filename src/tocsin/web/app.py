"""``create_app``: the FastAPI application behind ``tocsin serve``.

Every response carries a Content-Security-Policy without inline scripts or styles, and
the usual hardening headers; every page needs a signed-in user (``deps``); errors show
a short message and never a traceback or a query. Routers live in ``routers/``, one
module per area, each exposing ``router``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tocsin import __version__
from tocsin.config import Settings
from tocsin.knowledge.files import configure_knowledge
from tocsin.store import Store, open_store
from tocsin.web.deps import LANG_COOKIE, LoginRequired, is_api
from tocsin.web.i18n import choose_language
from tocsin.web.routers import ROUTERS
from tocsin.web.templating import render

log = logging.getLogger("tocsin.web")
STATIC = Path(__file__).parent / "static"

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """The app over ``store`` (opened from ``settings.db`` when not given)."""
    app = FastAPI(
        title="Tocsin",
        version=__version__,
        description="Risk intelligence from open sources: events, documents, claims, "
        "forecasts, risk levels, alerts and briefs. Authenticate with "
        "`Authorization: Bearer <token>` (`tocsin users token NAME`).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    configure_knowledge(settings)
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(settings.db)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _add_middleware(app)
    _add_error_handlers(app)
    return app


def _add_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def language_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        query_lang = request.query_params.get("lang")
        request.state.lang = choose_language(
            query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
        )
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if query_lang is not None and query_lang == request.state.lang:
            response.set_cookie(
                LANG_COOKIE, query_lang, max_age=365 * 86400, samesite="lax", httponly=True
            )
        return response


def _message(status: int, detail: object) -> str:
    if isinstance(detail, str) and status < 500:
        return detail
    return {404: "not found", 405: "method not allowed"}.get(status, "internal error")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = _message(exc.status_code, exc.detail)
        headers = getattr(exc, "headers", None)
        if is_api(request):
            return JSONResponse({"error": message}, status_code=exc.status_code, headers=headers)
        return render(
            request,
            "error.html.j2",
            {"status": exc.status_code, "message": message},
            status=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in err.get('loc', ())[1:])}: {err.get('msg', '')}"
            for err in exc.errors()
        ]
        message = "bad request: " + "; ".join(problems)[:500]
        if is_api(request):
            return JSONResponse({"error": message}, status_code=422)
        return render(request, "error.html.j2", {"status": 400, "message": message}, status=400)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        # Runs outside the middleware (Starlette's ServerErrorMiddleware): set the
        # headers here too.
        log.exception("error serving %s", request.url.path, exc_info=exc)
        response: Response
        if is_api(request):
            response = JSONResponse({"error": "internal error"}, status_code=500)
        else:
            response = render(
                request, "error.html.j2", {"status": 500, "message": "internal error"}, status=500
            )
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response


__all__ = ["HTTPException", "create_app"]
