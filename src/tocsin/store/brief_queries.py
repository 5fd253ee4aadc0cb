"""Queries for briefs as written (table briefs), and the ``Store`` methods over them (mixed
into ``Store``).

A brief's sections, sentences and citations are JSON text (``content``) beside the
Markdown it was rendered to; saving is an upsert by id (the same area, language and
period: the brief written again replaces the old one and keeps its creation time).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from tocsin.models import Brief, BriefSection, Citation, Sentence
from tocsin.store.columns import utc
from tocsin.store.tables import briefs

_CITATION_FIELDS = tuple(Citation.__slots__)


def brief_to_plain(brief: Brief) -> list[dict[str, Any]]:
    """The sections as JSON-ready values (dates as ISO text)."""
    return [
        {
            "key": section.key,
            "title": section.title,
            "sentences": [
                {
                    "text": sentence.text,
                    "citations": [_citation_plain(c) for c in sentence.citations],
                }
                for sentence in section.sentences
            ],
        }
        for section in brief.sections
    ]


def _citation_plain(citation: Citation) -> dict[str, Any]:
    plain = {name: getattr(citation, name) for name in _CITATION_FIELDS}
    if citation.published is not None:
        plain["published"] = citation.published.isoformat()
    return plain


def sections_from_plain(plain: list[dict[str, Any]]) -> tuple[BriefSection, ...]:
    """The inverse of :func:`brief_to_plain`."""
    return tuple(
        BriefSection(
            key=str(section["key"]),
            title=str(section["title"]),
            sentences=tuple(
                Sentence(
                    text=str(sentence["text"]),
                    citations=tuple(_citation(c) for c in sentence.get("citations", [])),
                )
                for sentence in section.get("sentences", [])
            ),
        )
        for section in plain
    )


def _citation(plain: dict[str, Any]) -> Citation:
    values = {k: plain[k] for k in _CITATION_FIELDS if k in plain}
    if isinstance(values.get("published"), str):
        values["published"] = date.fromisoformat(values["published"])
    return Citation(**values)


def _row(brief: Brief, markdown: str, now: datetime) -> dict[str, object]:
    return {
        "id": brief.id,
        "area": brief.area,
        "lang": brief.lang,
        "title": brief.title,
        "period_start": brief.period_start,
        "period_end": brief.period_end,
        "empty": brief.empty,
        "content": json.dumps(brief_to_plain(brief), ensure_ascii=False),
        "markdown": markdown,
        "created": brief.created or now,
    }


def _brief(row: Any) -> Brief:
    return Brief(
        id=row.id,
        area=row.area,
        lang=row.lang,
        title=row.title,
        period_start=row.period_start,
        period_end=row.period_end,
        sections=sections_from_plain(json.loads(row.content)),
        empty=bool(row.empty),
        created=utc(row.created),
    )


def save_brief(conn: Connection, brief: Brief, markdown: str, *, now: datetime) -> None:
    row = _row(brief, markdown, now)
    there = conn.execute(select(briefs.c.id).where(briefs.c.id == brief.id)).first()
    if there is None:
        conn.execute(insert(briefs), [row])
    else:
        changes = {k: v for k, v in row.items() if k not in ("id", "created")}
        conn.execute(update(briefs).where(briefs.c.id == brief.id).values(**changes))


def list_briefs(
    conn: Connection,
    *,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    lang: str | None = None,
) -> list[Brief]:
    query = select(briefs)
    if since is not None:
        query = query.where(briefs.c.period_end >= since)
    if until is not None:
        query = query.where(briefs.c.period_end <= until)
    if area is not None:
        query = query.where(briefs.c.area == area)
    if lang is not None:
        query = query.where(briefs.c.lang == lang)
    query = query.order_by(briefs.c.period_end.desc(), briefs.c.area, briefs.c.lang, briefs.c.id)
    return [_brief(row) for row in conn.execute(query)]


def get_brief(conn: Connection, brief_id: str) -> tuple[Brief, str] | None:
    row = conn.execute(select(briefs).where(briefs.c.id == brief_id)).first()
    return (_brief(row), str(row.markdown)) if row is not None else None


class BriefQueries:
    """Store methods for briefs as written (table briefs)."""

    engine: Engine

    def save_brief(self, brief: Brief, markdown: str, *, now: datetime | None = None) -> None:
        """Insert or replace a brief by id, with the Markdown it was rendered to (a
        replaced brief keeps its creation time)."""
        with self.engine.begin() as conn:
            save_brief(conn, brief, markdown, now=now or datetime.now(UTC))

    def list_briefs(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        area: str | None = None,
        lang: str | None = None,
    ) -> list[Brief]:
        """Briefs whose period ends between ``since`` and ``until`` (inclusive), for
        ``area`` (its name as written in the brief) and ``lang``; newest period first."""
        with self.engine.connect() as conn:
            return list_briefs(conn, since=since, until=until, area=area, lang=lang)

    def get_brief(self, brief_id: str) -> tuple[Brief, str] | None:
        """A brief and its Markdown, or None."""
        with self.engine.connect() as conn:
            return get_brief(conn, brief_id)
