"""Tocsin: risk intelligence from open sources.

The verbs a Python user calls, each from the layer that owns it (imported when first
used, so that ``import tocsin`` stays light)::

    import tocsin

    settings = tocsin.load_settings(overrides={"db": "sqlite:///sahel.db"})
    store = tocsin.open_store(settings.db)
    pipeline = tocsin.Pipeline(store, settings)
    stored = [r.doc_id for r in pipeline.ingest(["notes/"]) if r.doc_id]  # read .. store
    extracted = list(pipeline.extract(stored))  # extract, then assess and alert
    brief = tocsin.build_brief(
        store, area=tocsin.resolve_area("Bamako"), period_end=day, period_days=30
    )
    markdown = tocsin.render_brief(brief, "md")

``docs/DESIGN.md`` is the map of the package; ``tocsin.models`` holds the central objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tocsin.app.assessment import assess_batch, update_alerts
    from tocsin.app.briefs import build_brief
    from tocsin.app.comments import document_summary
    from tocsin.app.digest import build_digest, send_digests
    from tocsin.app.events import import_reference, update_events
    from tocsin.app.outbox import deliver
    from tocsin.app.pipeline import Pipeline
    from tocsin.app.review import review
    from tocsin.app.risk import update_risk
    from tocsin.app.users import add_user
    from tocsin.app.watch import run_watch
    from tocsin.comments.classify import classify_texts
    from tocsin.config import Settings, load_settings
    from tocsin.geo.areas import resolve_area
    from tocsin.knowledge.files import configure_knowledge
    from tocsin.report.brief.render import render_brief
    from tocsin.report.exports import write_events
    from tocsin.store.db import Store, open_store

# name -> the module that owns it
_VERBS = {
    "Settings": "tocsin.config",
    "load_settings": "tocsin.config",
    "configure_knowledge": "tocsin.knowledge.files",
    "open_store": "tocsin.store.db",
    "Store": "tocsin.store.db",
    "Pipeline": "tocsin.app.pipeline",
    "assess_batch": "tocsin.app.assessment",
    "update_events": "tocsin.app.events",
    "import_reference": "tocsin.app.events",
    "update_risk": "tocsin.app.risk",
    "update_alerts": "tocsin.app.assessment",
    "deliver": "tocsin.app.outbox",
    "review": "tocsin.app.review",
    "resolve_area": "tocsin.geo.areas",
    "build_brief": "tocsin.app.briefs",
    "render_brief": "tocsin.report.brief.render",
    "build_digest": "tocsin.app.digest",
    "send_digests": "tocsin.app.digest",
    "write_events": "tocsin.report.exports",
    "classify_texts": "tocsin.comments.classify",
    "document_summary": "tocsin.app.comments",
    "add_user": "tocsin.app.users",
    "run_watch": "tocsin.app.watch",
}

__all__ = [
    "Pipeline",
    "Settings",
    "Store",
    "__version__",
    "add_user",
    "assess_batch",
    "build_brief",
    "build_digest",
    "classify_texts",
    "configure_knowledge",
    "deliver",
    "document_summary",
    "import_reference",
    "load_settings",
    "open_store",
    "render_brief",
    "resolve_area",
    "review",
    "run_watch",
    "send_digests",
    "update_alerts",
    "update_events",
    "update_risk",
    "write_events",
]


def __getattr__(name: str) -> Any:
    module = _VERBS.get(name)
    if module is None:
        raise AttributeError(f"module 'tocsin' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
