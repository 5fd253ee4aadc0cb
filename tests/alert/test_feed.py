"""The Atom feed of alerts: a whole document, stable entry ids per alert version, text
written by strangers kept as text (and XML never broken by it), `tocsin feed`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.alert.test_outbox import OFFICE, T0, make_alert, tocsin
from tocsin.alert.feed import ATOM, atom_feed, entry_id
from tocsin.alert.messages import clean_line
from tocsin.config import Settings
from tocsin.models import AlertQuote
from tocsin.store import open_store

NS = {"a": ATOM}
NOW = datetime(2025, 12, 8, 12, 0, tzinfo=UTC)

ONE_ENTRY = """\
<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>urn:uuid:{feed_id}</id>
  <title>Tocsin alerts: ONG Sahel Solidarité</title>
  <updated>2025-12-08T09:00:00Z</updated>
  <author>
    <name>ONG Sahel Solidarité</name>
  </author>
  <link rel="self" href="https://tocsin.ngo.example/alerts.atom" />
  <link rel="alternate" href="https://tocsin.ngo.example/alerts" />
  <generator>Tocsin</generator>
  <entry>
    <id>{entry_id}</id>
    <title>Attack on a convoy near Kati</title>
    <updated>2025-12-08T09:00:00Z</updated>
    <published>2025-12-08T09:00:00Z</published>
    <link rel="alternate" type="text/html" href="https://tocsin.ngo.example/alerts/alert-kati-1" />
    <category term="event" />
    <category term="conflict" />
    <category term="severity-4" />
    <summary type="text">{summary}</summary>
    <content type="text">Severity: high (4/5)
Category: armed conflict and terrorism
Asset: Bamako office (ACI 2000)
Distance: 14.2 km from the asset
Coordinates: 12.7440, -8.0720
Updated: 2025-12-08 09:00 UTC

Gunmen attacked a fuel convoy on the RN3 near Kati; 12 people were killed.

What the sources say:
- “Des hommes armés ont attaqué un convoi de citernes près de Kati.” (Studio Tamani, grade B2)
- {quote}</content>
  </entry>
</feed>
"""

SUMMARY = "Gunmen attacked a fuel convoy on the RN3 near Kati; 12 people were killed."
QUOTE = (
    "“On entend des tirs &lt;script&gt;alert(1)&lt;/script&gt; depuis ce matin” "
    "(Forum &lt;b&gt;reader&lt;/b&gt;, grade F)"
)
SETTINGS = Settings(base_url="https://tocsin.ngo.example/", organisation="ONG Sahel Solidarité")


def test_one_alert_makes_this_whole_document() -> None:
    document = atom_feed([make_alert()], settings=SETTINGS, now=NOW, assets={OFFICE.id: OFFICE})
    root = ET.fromstring(document)
    feed_id = root.findtext("a:id", namespaces=NS) or ""
    expected = ONE_ENTRY.format(
        feed_id=feed_id.removeprefix("urn:uuid:"),
        entry_id=entry_id(make_alert()),
        summary=SUMMARY,
        quote=QUOTE,
    )
    assert document.decode("utf-8") == expected
    assert (
        atom_feed(
            [make_alert()],
            settings=SETTINGS,
            now=NOW + timedelta(days=3),
            assets={OFFICE.id: OFFICE},
        )
        == document
    )  # nothing in it depends on when it is built


def test_entry_ids_are_stable_per_alert_and_version() -> None:
    v1, v2 = make_alert(), make_alert(version=2, updated=T0 + timedelta(hours=2))
    other = make_alert(id="alert-gao-1", key="x", updated=T0 + timedelta(hours=1))
    assert entry_id(v1) == entry_id(make_alert(title="another title", severity=2))
    assert len({entry_id(v1), entry_id(v2), entry_id(other)}) == 3
    assert entry_id(v1).startswith("urn:uuid:")
    root = ET.fromstring(atom_feed([v1, other, v2], settings=SETTINGS, now=NOW, lang="fr"))
    entries = root.findall("a:entry", NS)
    assert [e.findtext("a:id", namespaces=NS) for e in entries] == [
        entry_id(v2),
        entry_id(other),
        entry_id(v1),
    ]  # newest update first
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == [
        "Attack on a convoy near Kati (mise à jour 2)",
        "Attack on a convoy near Kati",
        "Attack on a convoy near Kati",
    ]
    assert root.findtext("a:updated", namespaces=NS) == "2025-12-08T11:00:00Z"
    assert root.findtext("a:title", namespaces=NS) == "Alertes Tocsin : ONG Sahel Solidarité"


def test_an_empty_feed_is_valid_and_dated_now() -> None:
    root = ET.fromstring(atom_feed([], settings=Settings(), now=NOW))
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.findtext("a:updated", namespaces=NS) == "2025-12-08T12:00:00Z"
    assert root.findtext("a:title", namespaces=NS) == "Tocsin alerts"
    assert root.findtext("a:author/a:name", namespaces=NS) == "Tocsin"
    assert root.findall("a:entry", NS) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(max_size=80),
    summary=st.text(max_size=200),
    quote=st.text(max_size=120),
    source=st.text(max_size=40),
)
def test_text_written_by_strangers_never_breaks_the_xml(
    title: str, summary: str, quote: str, source: str
) -> None:
    alert = make_alert(
        title=title,
        summary=summary,
        quotes=(AlertQuote(document_id="d", source=source, reliability="C", text=quote),),
    )
    root = ET.fromstring(atom_feed([alert], settings=Settings(), now=NOW))
    [entry] = root.findall("a:entry", NS)
    assert (entry.findtext("a:title", namespaces=NS) or "") == clean_line(title)
    content = entry.findtext("a:content", namespaces=NS) or ""
    assert f"({clean_line(source)}, grade C)" in content
    assert clean_line(quote) in content


def test_feed_command_writes_the_stored_alerts(tmp_path: Path) -> None:
    db = tmp_path / "feed.db"
    store = open_store(str(db))
    store.save_assets([OFFICE])
    store.save_alerts([make_alert(), make_alert(id="alert-2", key="k2", asset_id=None)])
    store.close()
    run = tocsin("feed", "--limit", "1", db=db)
    assert run.returncode == 0, run.stderr
    root = ET.fromstring(run.stdout.encode("utf-8"))
    assert len(root.findall("a:entry", NS)) == 1
    out = tmp_path / "alerts.atom"
    run = tocsin("feed", "--output", str(out), "--lang", "fr", db=db)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", f"2 alerts written to {out}\n")
    root = ET.fromstring(out.read_bytes())
    assert sorted(e.findtext("a:id", namespaces=NS) or "" for e in root.findall("a:entry", NS)) == (
        sorted(entry_id(a) for a in (make_alert(), make_alert(id="alert-2")))
    )
    assert "Site : Bamako office (ACI 2000)" in out.read_text(encoding="utf-8")
    run = tocsin("feed", "--lang", "de", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: --lang de: not a language of the feed; use en or fr\n",
    )
