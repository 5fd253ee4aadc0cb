"""The weekly digest: built from a real SQLite store (synthetic events, risk levels,
forecasts and briefs of one week), rendered as inline-styled HTML and plain text,
queued through the outbox, delivered to a real SMTP server on 127.0.0.1; subscribers in
the store (SQLite and PostgreSQL); the schedule."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.smtpserver import SmtpServer
from tocsin.alert.messages import read_email_body
from tocsin.app.digest import build_digest, send_digests
from tocsin.app.outbox import deliver
from tocsin.config import Settings
from tocsin.errors import ConfigError, InputError
from tocsin.models import (
    Annotations,
    Brief,
    BriefSection,
    Document,
    Event,
    Forecast,
    Kind,
    PlaceRef,
    RiskLevel,
    Sentence,
    Source,
    Span,
    Subscriber,
)
from tocsin.report.digest.messages import (
    digest_due,
    digest_message_id,
    digest_slot,
    digest_week_end,
    make_subscriber,
    parse_schedule,
    read_subscribers,
)
from tocsin.store import Store, open_store

WEEK_END = date(2025, 12, 7)
NOW = datetime(2025, 12, 8, 7, 0, tzinfo=UTC)
SETTINGS = Settings(base_url="https://tocsin.example.org/", organisation="Sahel Solidarité")
SIG = "-- "  # the signature separator, with its space
HOSTILE = '<script>alert("x")</script>\r\n\u202eBamako'  # shown on one line
SAHEL = Source(id="sahel-example", name="Le Sahel Libre", reliability="C")
FORECAST_TEXT = (
    "Selon les analystes, il est probable que le JNIM bloque la route de Kayes "
    "d'ici le 5 décembre. Il est certain que les autorités rouvriront le marché de Bamako."
)


def _event(event_id: str, day: date, **kw: object) -> Event:
    return Event(id=event_id, event_date=day, time_precision=1, **kw)  # type: ignore[arg-type]


EVENTS = [
    _event(
        "ev-kati", date(2025, 12, 3), event_type="Battles", sub_event_type="Armed clash",
        location="Kati", geonameid=2455558, lat=12.744, lon=-8.072, country="ML",
        admin1="Koulikoro", geo_precision=1, fatalities=12, fatalities_low=12,
        fatalities_high=12, status="corroborated", independent=2,
    ),
    _event(
        "ev-bamako", date(2025, 12, 5), event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance", location=HOSTILE, geonameid=2460596,
        lat=12.65, lon=-8.0, country="ML", admin1="Bamako", geo_precision=1,
    ),
    _event(
        "ev-kayes", date(2025, 12, 2), event_type="Protests", sub_event_type="Peaceful protest",
        location="Kayes", geonameid=2455518, lat=14.447, lon=-11.445, country="ML",
        admin1="Kayes", geo_precision=1, fatalities=0, status="confirmed", independent=3,
    ),
    _event(
        "ev-old", date(2025, 11, 20), event_type="Battles", sub_event_type="Armed clash",
        location="Bamako", geonameid=2460596, lat=12.65, lon=-8.0, country="ML",
        admin1="Bamako", geo_precision=1, fatalities=4,
    ),
    _event(
        "ev-djibo", date(2025, 12, 4), event_type="Violence against civilians",
        sub_event_type="Attack", location="Djibo", geonameid=2361373, lat=14.102, lon=-1.627,
        country="BF", admin1="Sahel", geo_precision=1, fatalities=3,
    ),
]  # fmt: skip


def _level(
    place_key: str, name: str, category: str, level: int, before: int | None, **kw: object
) -> RiskLevel:
    trend = (
        "new"
        if before is None
        else {1: "up", -1: "down", 0: "steady"}[(level > before) - (level < before)]
    )
    kw.setdefault("period_end", WEEK_END)
    end = kw.pop("period_end")
    assert isinstance(end, date)
    return RiskLevel(
        place_key=place_key, scope=place_key.split(":")[0], name=name, category=category,
        level=level, score=float(level), period_start=end - timedelta(days=6), period_end=end,
        previous_level=before, trend=trend, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


BAMAKO = dict(country="ML", admin1="Bamako", geonameid=2460596, lat=12.65, lon=-8.0)
LEVELS = [
    _level("town:2460596", "Bamako", "conflict", 4, 3, **BAMAKO),
    _level("town:2460596", "Bamako", "crime", 2, None, **BAMAKO),
    _level("admin1:ML:Kayes", "Kayes", "unrest", 2, 3, country="ML", admin1="Kayes"),
    _level("country:ML", "Mali", "political", 3, 3, country="ML"),
    _level("country:BF", "Burkina Faso", "conflict", 5, 4, country="BF"),
    _level(
        "town:2455558", "Kati", "conflict", 5, 2, country="ML", admin1="Koulikoro",
        geonameid=2455558, lat=12.744, lon=-8.072, period_end=date(2025, 11, 30),
    ),
]  # fmt: skip


def _forecast(forecast_id: str, clause: str, deadline: date, **kw: object) -> Forecast:
    start = FORECAST_TEXT.index(clause)
    return Forecast(
        id=forecast_id, document_id="doc-f", source_id=SAHEL.id,
        span=Span("doc-f", "body", start, start + len(clause)), proposition=clause,
        holder_kind="anonymous", holder="les analystes", label="probable", low=0.55,
        high=0.8, deadline=deadline, made_on=date(2025, 11, 28), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _place(surface: str, **kw: object) -> PlaceRef:
    start = FORECAST_TEXT.index(surface)
    return PlaceRef(
        span=Span("doc-f", "body", start, start + len(surface)), surface=surface,
        resolved=True, kind="town", precision=1, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


FORECASTS = [
    _forecast("f-due", "le JNIM bloque la route de Kayes", date(2025, 12, 5)),
    _forecast(
        "f-true", "les autorités rouvriront le marché de Bamako", date(2025, 12, 31),
        status="true", resolved_on=date(2025, 12, 4), evidence="marché rouvert le 4",
    ),
    _forecast("f-later", "d'ici le 5 décembre", date(2026, 1, 15)),
]  # fmt: skip
PLACES = (
    _place("Kayes", name="Kayes", country="ML", admin1="Kayes", geonameid=2455518,
           lat=14.447, lon=-11.445),
    _place("Bamako", name="Bamako", country="ML", admin1="Bamako", geonameid=2460596,
           lat=12.65, lon=-8.0),
)  # fmt: skip


def _brief(brief_id: str, area: str, lang: str, title: str) -> Brief:
    return Brief(
        id=brief_id, area=area, lang=lang, title=title, period_start=date(2025, 12, 1),
        period_end=WEEK_END,
        sections=(BriefSection("bottom_line", "BLUF", (Sentence(title),)),),
    )  # fmt: skip


BRIEFS = [
    _brief("brief-bamako-fr", "Bamako", "fr", "Bamako : la pression sur les routes s'accentue"),
    _brief("brief-bamako-en", "Bamako", "en", "Bamako: pressure on the roads mounts"),
    _brief("brief-bf-en", "Burkina Faso", "en", "Burkina Faso: <b>attacks</b> in the Sahel"),
    _brief("brief-old-en", "Bamako", "en", "Bamako: an older brief"),
]


def fill(store: Store) -> dict[str, Subscriber]:
    """The week of 1-7 December 2025 and four subscribers (one unsubscribed)."""
    doc = Document(
        id="doc-f", source=SAHEL, text=FORECAST_TEXT, content_hash="h-doc-f",
        fetched_at=datetime(2025, 11, 28, tzinfo=UTC), kind=Kind.NEWS, origin="test",
        published=datetime(2025, 11, 28, 9, tzinfo=UTC),
    )  # fmt: skip
    store.save_document(doc, minhash=None)
    store.save_extraction(Annotations("doc-f", "v1", places=PLACES), FORECASTS)
    store.save_events(EVENTS)
    store.save_risk_levels(LEVELS, at=NOW)
    for brief in BRIEFS:
        if brief.id == "brief-old-en":
            brief = replace(brief, period_start=date(2025, 11, 17), period_end=date(2025, 11, 23))
        store.save_brief(brief, f"# {brief.title}\n")
    subscribers = {
        "fr": make_subscriber("Direction@Sahel-Solidarite.example", lang="fr", areas=["Mali"],
                              name="Direction"),
        "en": make_subscriber("donors@sahel-solidarite.example", areas=["Bamako"]),
        "all": make_subscriber("desk@sahel-solidarite.example", lang="en"),
        "gone": make_subscriber("former@sahel-solidarite.example", lang="en"),
    }  # fmt: skip
    stored = {key: store.add_subscriber(s) for key, s in subscribers.items()}
    assert store.unsubscribe(stored["gone"].token)
    return stored


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "digest.db"))
    yield opened
    opened.close()


@pytest.fixture
def subscribers(store: Store) -> dict[str, Subscriber]:
    return fill(store)


# ---------------------------------------------------------------- content


FR_TEXT = """\
Tocsin · Sahel Solidarité

Infolettre hebdomadaire — du 1er au 7 décembre 2025

Bonjour Direction,

Voici ce qui a changé pour Mali au cours de la semaine du 1er au 7 décembre 2025.

NOUVEAUX ÉVÉNEMENTS — 3 ÉVÉNEMENTS POUR MALI
  combats : 1
  manifestations : 1
  violences contre des civils : 1

Les plus graves :
  - Affrontement armé — Kati, Koulikoro, ML
    3 décembre 2025 · 12 morts · corroboré
  - Enlèvement — <script>alert("x")</script> Bamako, Bamako, ML
    5 décembre 2025 · bilan non communiqué · signalé
  - Manifestation pacifique — Kayes, Kayes, ML
    2 décembre 2025 · aucune victime · confirmé

NIVEAUX DE RISQUE EN ÉVOLUTION
  - Bamako — conflit armé et terrorisme : modéré → élevé ↑
  - Bamako — criminalité et enlèvements : minimal → faible ↑
  - région de Kayes — troubles civils : modéré → faible ↓

PRÉVISIONS ARRIVÉES À ÉCHÉANCE OU TRANCHÉES
  - «\u202fle JNIM bloque la route de Kayes\u202f» (probable, selon les analystes)
    échéance le 5 décembre 2025
  - «\u202fles autorités rouvriront le marché de Bamako\u202f» (probable, selon les analystes)
    s'est réalisée

LES NOTES DE LA SEMAINE
  - Bamako : la pression sur les routes s'accentue
    https://tocsin.example.org/briefs/brief-bamako-fr

{sig}
Vous recevez cette infolettre car l'adresse direction@sahel-solidarite.example y est abonnée pour Mali.
Pour ne plus la recevoir, ouvrez ce lien : https://tocsin.example.org/unsubscribe?token={token}
Envoyée par Tocsin pour Sahel Solidarité.
"""  # noqa: E501


def test_french_digest_for_a_country_as_text(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    subscriber = subscribers["fr"]
    digest = build_digest(store, subscriber, week_end=WEEK_END, settings=SETTINGS)
    assert digest.subject == (
        "Sahel Solidarité — Infolettre, du 1er au 7 décembre 2025 : 3 événements, "
        "3 changements de niveau de risque, 2 prévisions, 1 note"
    )
    assert (digest.week_start, digest.empty) == (date(2025, 12, 1), False)
    assert (digest.events, digest.risk_changes, digest.forecasts, digest.briefs) == (3, 3, 2, 1)
    assert digest.text == FR_TEXT.format(token=subscriber.token, sig=SIG)
    assert digest.headers == (
        ("List-Unsubscribe", f"<https://tocsin.example.org/unsubscribe?token={subscriber.token}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )
    assert digest.message_id == digest_message_id(subscriber, WEEK_END)


EN_TOWN_TEXT = """\
Tocsin · Sahel Solidarité

Weekly digest — 1–7 December 2025

Hello,

Here is what changed in Bamako during the week of 1–7 December 2025.

NEW EVENTS — 2 EVENTS IN BAMAKO
  battles: 1
  violence against civilians: 1

The most severe:
  - Armed clash — Kati, Koulikoro, ML
    3 December 2025 · 12 killed · corroborated
  - Abduction — <script>alert("x")</script> Bamako, Bamako, ML
    5 December 2025 · fatalities not reported · reported

RISK LEVELS THAT CHANGED
  - Bamako — armed conflict and terrorism: moderate → high ↑
  - Bamako — crime and kidnapping: minimal → low ↑

FORECASTS DUE OR RESOLVED
  - “les autorités rouvriront le marché de Bamako” (probable, by les analystes)
    came true

THIS WEEK'S BRIEFS
  - Bamako: pressure on the roads mounts
    https://tocsin.example.org/briefs/brief-bamako-en

{sig}
You receive this weekly digest because donors@sahel-solidarite.example is subscribed to it for Bamako.
To stop receiving it, open this link: https://tocsin.example.org/unsubscribe?token={token}
Sent by Tocsin for Sahel Solidarité.
"""  # noqa: E501


def test_english_digest_for_a_town_keeps_to_the_town(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    subscriber = subscribers["en"]
    digest = build_digest(store, subscriber, week_end=WEEK_END, settings=SETTINGS)
    assert digest.subject == (
        "Sahel Solidarité — Weekly digest, 1–7 December 2025: 2 events, 2 risk changes, "
        "1 forecast, 1 brief"
    )
    assert digest.text == EN_TOWN_TEXT.format(token=subscriber.token, sig=SIG)


def test_a_subscriber_without_areas_gets_everything(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    digest = build_digest(store, subscribers["all"], week_end=WEEK_END, settings=SETTINGS)
    assert (digest.events, digest.risk_changes, digest.forecasts, digest.briefs) == (4, 4, 2, 2)
    assert "every area we follow" in digest.text
    assert "Burkina Faso — armed conflict and terrorism: high → extreme ↑" in digest.text
    assert "Burkina Faso: <b>attacks</b> in the Sahel" in digest.text
    assert "Burkina Faso: &lt;b&gt;attacks&lt;/b&gt; in the Sahel" in digest.html


def test_a_quiet_week_still_sends_a_short_note(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    digest = build_digest(store, subscribers["fr"], week_end=date(2025, 10, 5), settings=Settings())
    assert digest.empty
    assert digest.subject == "Infolettre, du 29 septembre au 5 octobre 2025 : une semaine calme"
    assert digest.text == (
        "Tocsin\n\nInfolettre hebdomadaire — du 29 septembre au 5 octobre 2025\n\n"
        "Bonjour Direction,\n\n"
        "Semaine calme : rien de nouveau pour Mali — aucun événement, aucun changement de "
        "niveau de risque, aucune prévision arrivée à échéance ou tranchée, aucune nouvelle "
        "note.\n\n-- \n"
        "Vous recevez cette infolettre car l'adresse direction@sahel-solidarite.example y est "
        "abonnée pour Mali.\n"
        "Pour ne plus la recevoir, ouvrez ce lien : "
        f"http://127.0.0.1:8000/unsubscribe?token={subscribers['fr'].token}\n"
        "Envoyée par Tocsin.\n"
    )


# ---------------------------------------------------------------- HTML


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_inline_styled_self_contained_and_escaped(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    subscriber = subscribers["fr"]
    html = build_digest(store, subscriber, week_end=WEEK_END, settings=SETTINGS).html
    parsed = _Elements()
    parsed.feed(html)
    tags = [tag for tag, _ in parsed.elements]
    assert not {"style", "script", "link", "img", "iframe", "object", "form"} & set(tags)
    assert "<script" not in html.lower() and "@import" not in html and "url(" not in html
    styled = [(tag, attrs) for tag, attrs in parsed.elements if attrs.get("class")]
    assert len(styled) > 30
    unstyled = [(tag, attrs["class"]) for tag, attrs in styled if not attrs.get("style")]
    assert unstyled == []
    body = parsed.elements[tags.index("body")][1]
    assert body["style"] == "margin: 0;padding: 0;background-color: #eef0f3;"
    cards = [a for t, a in parsed.elements if t == "table" and a.get("class") == "card"]
    assert len(cards) == 1 and cards[0]["width"] == "600"
    assert all(a.get("role") == "presentation" for t, a in parsed.elements if t == "table")
    assert parsed.elements[tags.index("html")][1]["lang"] == "fr"
    assert '&lt;script&gt;alert("x")&lt;/script&gt; Bamako' in html
    links = [a["href"] for t, a in parsed.elements if t == "a"]
    assert links == [
        "https://tocsin.example.org/briefs/brief-bamako-fr",
        f"https://tocsin.example.org/unsubscribe?token={subscriber.token}",
    ]
    words = " ".join(" ".join(parsed.text).split())
    for line in ("Affrontement armé — Kati, Koulikoro, ML", "modéré → élevé ↑", "s'est réalisée",
                 "Se désabonner", "Bamako : la pression sur les routes s'accentue"):  # fmt: skip
        assert line in words


# ---------------------------------------------------------------- sending


def test_send_queues_one_email_per_active_subscriber_once(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    digests = send_digests(store, settings=SETTINGS, week_end=WEEK_END, now=NOW)
    assert [d.subscriber.email for d in digests] == [
        "desk@sahel-solidarite.example",
        "direction@sahel-solidarite.example",
        "donors@sahel-solidarite.example",
    ]
    queued = store.list_outbox(kind="digest")
    assert sorted(m.id for m in queued) == sorted(d.message_id for d in digests)
    assert {(m.channel, m.status, m.kind, m.created) for m in queued} == {
        ("email", "pending", "digest", NOW)
    }
    again = send_digests(store, settings=SETTINGS, week_end=WEEK_END, now=NOW + timedelta(hours=1))
    assert [d.message_id for d in again] == [d.message_id for d in digests]
    assert len(store.list_outbox()) == 3
    assert store.last_digest_queued() == NOW
    message = store.get_message(digests[1].message_id)
    assert message is not None and message.target == "direction@sahel-solidarite.example"
    subject, body, html, headers = read_email_body(message.body)
    assert (subject, body, html) == (digests[1].subject, digests[1].text, digests[1].html)
    assert headers == dict(digests[1].headers)


def test_a_subscriber_whose_area_is_gone_is_reported_and_the_others_go(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    broken = replace(make_subscriber("lost@example.org"), areas=("Xyzzyville",))
    store.add_subscriber(broken)
    with pytest.raises(InputError, match=r"^lost@example\.org: area 'Xyzzyville' not known"):
        send_digests(store, settings=SETTINGS, week_end=WEEK_END, now=NOW)
    assert store.list_outbox() == []
    problems: list[str] = []
    digests = send_digests(
        store, settings=SETTINGS, week_end=WEEK_END, now=NOW, on_problem=problems.append
    )
    assert len(digests) == len(store.list_outbox()) == 3
    assert problems == [
        "lost@example.org: area 'Xyzzyville' not known to the gazetteer; set the areas again "
        "with `tocsin subscribers add lost@example.org --area ...`"
    ]


def test_dry_run_writes_nothing(store: Store, subscribers: dict[str, Subscriber]) -> None:
    digests = send_digests(store, settings=SETTINGS, week_end=WEEK_END, dry_run=True, now=NOW)
    assert len(digests) == 3
    assert store.list_outbox() == []
    assert store.outbox_counts() == {"pending": 0, "sending": 0, "sent": 0, "dead": 0}
    assert store.last_digest_queued() is None


def test_digests_arrive_over_smtp_with_both_parts_and_unsubscribe_headers(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    with SmtpServer() as smtp:
        settings = replace(
            SETTINGS,
            smtp_host=smtp.host,
            smtp_port=smtp.port,
            smtp_from="veille@sahel-solidarite.example",
        )
        digests = send_digests(store, settings=settings, week_end=WEEK_END, now=NOW)
        report = deliver(store, settings=settings, now=lambda: NOW + timedelta(seconds=5))
        assert (report.sent, report.retried, report.dead) == (3, 0, 0)
        assert smtp.wait_for(3)
        received = {r.rcpt_tos: r for r in smtp.messages}
    assert store.outbox_counts() == {"pending": 0, "sending": 0, "sent": 3, "dead": 0}
    french = next(d for d in digests if d.subscriber.lang == "fr")
    mail = received[("direction@sahel-solidarite.example",)].message
    assert mail["Subject"] == french.subject
    assert mail["To"] == "direction@sahel-solidarite.example"
    assert mail["From"] == "veille@sahel-solidarite.example"
    token = subscribers["fr"].token
    assert mail["List-Unsubscribe"] == f"<https://tocsin.example.org/unsubscribe?token={token}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Message-ID"] == f"<{french.message_id}@sahel-solidarite.example>"
    assert mail.get_content_type() == "multipart/alternative"
    parts = [(p.get_content_type(), p.get_content()) for p in mail.iter_parts()]
    assert [kind for kind, _ in parts] == ["text/plain", "text/html"]
    assert parts[0][1].replace("\r\n", "\n") == french.text
    assert parts[1][1].replace("\r\n", "\n").rstrip("\n") == french.html.rstrip("\n")


def test_a_long_french_subject_keeps_its_spaces_in_the_header(
    store: Store, subscribers: dict[str, Subscriber]
) -> None:
    with SmtpServer() as smtp:
        settings = replace(SETTINGS, smtp_host=smtp.host, smtp_port=smtp.port)
        [digest] = [
            d
            for d in send_digests(store, settings=settings, week_end=WEEK_END, now=NOW)
            if d.subscriber.lang == "fr"
        ]
        deliver(store, settings=settings, now=lambda: NOW)
        assert smtp.wait_for(3)
        [mail] = [r.message for r in smtp.messages if r.rcpt_tos == (digest.subscriber.email,)]
    assert mail["Subject"] == digest.subject


# ---------------------------------------------------------------- subscribers


def test_make_subscriber_checks_its_input() -> None:
    made = make_subscriber(" Ops@Example.ORG ", lang="FR", areas=["Kayes", "ML", "Mali"])
    assert (made.email, made.lang, made.areas, made.active) == (
        "ops@example.org", "fr", ("Kayes Region", "Mali"), True,
    )  # fmt: skip
    assert len(made.token) == 32 and re.fullmatch(r"[A-Za-z0-9_-]+", made.token)
    assert make_subscriber("ops@example.org").id == made.id
    assert make_subscriber("ops@example.org").token != made.token
    with pytest.raises(InputError, match=r"^not-an-address: not an email address; write it"):
        make_subscriber("not-an-address")
    with pytest.raises(InputError, match="not an email address"):
        make_subscriber("a@b.org\r\nBcc: victim@example.org")
    with pytest.raises(InputError, match=r"^language de: no digest in that language; use fr or en"):
        make_subscriber("a@b.org", lang="de")
    with pytest.raises(InputError, match=r"^area Xyzzyville: not a country, region or town"):
        make_subscriber("a@b.org", areas=["Xyzzyville"])


def test_read_subscribers_keeps_the_good_entries(tmp_path: Path) -> None:
    path = tmp_path / "subs.toml"
    path.write_text(
        '[[subscriber]]\nemail = "a@example.org"\nareas = "Bamako"\nname = "A"\n'
        '[[subscriber]]\nname = "no address"\n'
        '[[subscriber]]\nemail = "b@example.org"\nlang = "es"\n'
        '[[subscriber]]\nemail = "c@example.org"\nlang = "fr"\n',
        encoding="utf-8",
    )
    found, problems = read_subscribers(path)
    assert [(s.email, s.lang, s.areas, s.name) for s in found] == [
        ("a@example.org", "en", ("Bamako",), "A"),
        ("c@example.org", "fr", (), None),
    ]
    assert problems == [
        f"{path}: subscriber 2: no email; give each [[subscriber]] an email",
        f"{path}: subscriber 3: language es: no digest in that language; use fr or en",
    ]
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no \\[\\[subscriber\\]\\] entries"):
        read_subscribers(path)


def _subscriber_round_trip(store: Store) -> None:
    first = store.add_subscriber(make_subscriber("a@example.org", lang="fr", areas=["Mali"]))
    assert first.created is not None and first.created.tzinfo is not None
    assert store.list_subscribers() == [first]
    # Adding the address again updates it and keeps its id, token and creation time.
    again = store.add_subscriber(make_subscriber("a@example.org", areas=["Bamako"], name="A"))
    assert (again.id, again.token, again.created) == (first.id, first.token, first.created)
    assert (again.lang, again.areas, again.name) == ("en", ("Bamako",), "A")
    other = store.add_subscriber(make_subscriber("b@example.org"))
    assert store.get_subscriber_by_token(other.token) == other
    assert store.get_subscriber_by_token("nope") is None
    assert store.unsubscribe(first.token) and store.unsubscribe(first.token)
    assert not store.unsubscribe("nope")
    assert [s.email for s in store.list_subscribers()] == ["b@example.org"]
    assert [s.email for s in store.list_subscribers(active=False)] == ["a@example.org"]
    assert [s.email for s in store.list_subscribers(active=None)] == [
        "a@example.org", "b@example.org",
    ]  # fmt: skip
    assert store.remove_subscriber("b@example.org") and not store.remove_subscriber("b@example.org")
    assert store.last_digest_queued() is None


def test_subscribers_in_the_store(store: Store) -> None:
    _subscriber_round_trip(store)


def test_subscribers_on_postgresql(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        with store.transaction() as conn:
            conn.execute(text("delete from subscribers"))
            conn.execute(text("delete from outbox where kind = 'digest'"))
        _subscriber_round_trip(store)
        subscriber = store.list_subscribers(active=None)[0]
        send_digests(store, settings=SETTINGS, week_end=WEEK_END, now=NOW)  # none active
        store.add_subscriber(make_subscriber("c@example.org"))
        send_digests(store, settings=SETTINGS, week_end=date(2025, 10, 5), now=NOW)
        assert store.last_digest_queued() == NOW
        assert json.loads(store.list_outbox(kind="digest")[0].body)["headers"]
        assert subscriber.email == "a@example.org"
    finally:
        with store.transaction() as conn:
            conn.execute(text("delete from subscribers"))
            conn.execute(text("delete from outbox where kind = 'digest'"))
        store.close()


# ---------------------------------------------------------------- schedule


def _at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 12, day, hour, minute, second, tzinfo=UTC)


def test_schedule_slots_and_due() -> None:
    monday = "monday 07:00"
    assert (
        parse_schedule(monday) == parse_schedule(" Lundi 7:00 UTC ") == parse_schedule("mon 07:00")
    )
    assert digest_slot(monday, now=_at(8, 6, 59, 59)) == _at(1, 7)
    assert digest_slot(monday, now=_at(8, 7)) == _at(8, 7)
    assert digest_slot(monday, now=_at(14, 23, 59)) == _at(8, 7)
    assert digest_week_end(monday, now=_at(8, 7)) == date(2025, 12, 7)
    assert digest_week_end("friday 17:30", now=_at(8, 7)) == date(2025, 12, 4)
    last = _at(1, 7, 0, 30)  # last week's digest
    assert not digest_due(monday, last_sent=last, now=_at(8, 6, 59, 59))
    assert digest_due(monday, last_sent=last, now=_at(8, 7))  # the minute it is due
    assert digest_due(monday, last_sent=last, now=_at(10, 12))  # missed while stopped
    assert not digest_due(monday, last_sent=_at(8, 7, 0, 1), now=_at(8, 9))
    assert not digest_due(monday, last_sent=_at(8, 7, 0, 1), now=_at(14, 23, 59))
    assert digest_due(monday, last_sent=None, now=_at(3, 12))  # never sent
    # Times are UTC: 08:30 in Paris (UTC+1) on Monday is 07:30 UTC; naive means UTC.
    from zoneinfo import ZoneInfo

    paris = datetime(2025, 12, 8, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert digest_due(monday, last_sent=last, now=paris)
    assert not digest_due(monday, last_sent=last, now=paris - timedelta(hours=1))
    naive = last.replace(tzinfo=None)
    assert digest_due(monday, last_sent=naive, now=_at(8, 7).replace(tzinfo=None))
    assert digest_slot("sunday 23:59", now=_at(8, 0)) == _at(7, 23, 59)


@pytest.mark.parametrize(
    "schedule",
    ["someday 07:00", "monday 25:00", "monday 07:60", "monday", "", "monday 7h", "07:00"],
)
def test_a_bad_schedule_says_how_to_write_one(schedule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        digest_due(schedule, last_sent=None, now=NOW)
    assert str(caught.value) == (
        f"digest_schedule {schedule!r}: not understood; write a weekday and a UTC time such "
        "as 'monday 07:00', or leave it empty to send no digest"
    )
