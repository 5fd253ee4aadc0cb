"""Every router of the app, one module per area of the dashboard (pages) or the API.
``ROUTERS`` is the order ``create_app`` includes them in."""

from __future__ import annotations

from fastapi import APIRouter

from tocsin.web.routers import (
    act_pages,
    admin_pages,
    api_act,
    api_assess,
    api_documents,
    api_events,
    api_map,
    api_meta,
    assess_pages,
    auth_pages,
    brief_pages,
    document_pages,
    event_pages,
    map_pages,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth_pages.router,
    map_pages.router,
    event_pages.router,
    document_pages.router,
    assess_pages.router,
    act_pages.router,
    brief_pages.router,
    admin_pages.router,
    api_meta.router,
    api_map.router,
    api_events.router,
    api_documents.router,
    api_assess.router,
    api_act.router,
)
