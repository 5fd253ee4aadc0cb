"""The assessment pages and API: graded sources with their reasons, claims with
contradictions side by side, the forecasts register with the Brier score per source
(an analyst records outcomes), and the review cache behind them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tocsin.app.review import REVIEWS, cached_review
from tocsin.models import Annotations, Attribution, Document, Kind, Precision, Source, Span
from tocsin.store import Store

CLAIM = "L'armée malienne a repris le contrôle de la ville de Léré après trois jours de combats."
DENIAL = (
    "L'armée malienne n'a pas repris le contrôle de la ville de Léré après trois jours de combats."
)


def html(page: Any) -> Any:
    assert page.status_code == 200, page.text[:300]
    return lxml.html.fromstring(page.text)


def text_of(node: Any) -> str:
    """The words of an element (or a text node), on one line, elements apart."""
    if isinstance(node, str):
        return " ".join(node.split())
    return " ".join(" ".join(node.itertext()).split())


def texts(tree: Any, xpath: str) -> list[str]:
    return [text_of(node) for node in tree.xpath(xpath)]


def by_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# ---------------------------------------------------------------------- sources


def test_sources_show_letters_reasons_and_records(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/sources"))
    rows = tree.xpath("//table[@id='sources-table']//tr[@data-source-id]")
    api = viewer_client.get("/api/v1/sources?limit=500").json()
    assert [r.get("data-source-id") for r in rows] == [s["source_id"] for s in api["items"]]
    assert api["total"] == len(rows) == 15
    asp = tree.xpath("//tr[@data-source-id='agencesahelpresse-example']")[0]
    cells = [text_of(td) for td in asp.xpath("./td")]
    assert cells[0] == "B usually reliable"
    assert texts(asp, "./td[2]/strong | ./td[2]/span") == [
        "Agence Sahel Presse", "agencesahelpresse.example"
    ]  # fmt: skip
    assert cells[2:7] == ["news", "1", "0", "—", "1 corroborated, 0 contradicted, of 1"]
    assert texts(asp, ".//ol[@class='reasons']/li") == [
        "registry: usually reliable (B) — fictional wire agency: named sources, figures "
        "attributed, corrections published",
        "no resolved forecast: not judged",
        "1 claim checked: fewer than 5, not judged",
        "grade: usually reliable (B)",
    ]
    letters = [r.xpath("./td[1]/span")[0].text for r in rows]
    assert letters == sorted(letters)  # best letter first


def test_sources_page_in_french(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/sources", headers={"Accept-Language": "fr"}))
    assert tree.get("lang") == "fr"
    assert texts(tree, "//table[@id='sources-table']//th")[:3] == ["Fiabilité", "Source", "Type"]
    row = tree.xpath("//tr[@data-source-id='agencesahelpresse-example']/td")
    assert " ".join(row[0].text_content().split()) == "B habituellement fiable"
    assert row[2].text_content() == "presse"


def test_api_sources_shape_and_pages(viewer_client: TestClient) -> None:
    first = viewer_client.get("/api/v1/sources?limit=2").json()
    assert set(first) == {"items", "total", "limit", "offset", "next"}
    assert (first["total"], first["limit"], first["offset"]) == (15, 2, 0)
    assert first["next"].endswith("/api/v1/sources?limit=2&offset=2")
    item = first["items"][0]
    assert set(item) == {
        "source_id", "name", "kind", "domain", "reliability", "reliability_words", "reasons",
        "documents", "forecasts_resolved", "brier", "claims", "claims_corroborated",
        "claims_contradicted",
    }  # fmt: skip
    last = viewer_client.get("/api/v1/sources?limit=2&offset=14").json()
    assert len(last["items"]) == 1 and last["next"] is None
    assert viewer_client.get("/api/v1/sources?limit=501").status_code == 422


# ----------------------------------------------------------------------- claims


def test_claims_views_and_grades(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/claims"))
    tabs = texts(tree, "//nav[@class='tabs']/a")
    assert tabs == ["Several statements 18", "Contradicted 0", "All 257"]
    cards = tree.xpath(f"//article[{by_class('claim')}]")
    assert len(cards) == 18
    api = viewer_client.get("/api/v1/claims?limit=500").json()
    assert [c.get("data-claim-id") for c in cards] == [c["id"] for c in api["items"]]
    top = cards[0]
    assert top.xpath(".//span[contains(@class, 'grade-n')]")[0].text == str(
        api["items"][0]["credibility"]
    )
    quotes = texts(top, ".//figure//blockquote")
    assert quotes == [s["text"] for s in api["items"][0]["statements"]]
    assert top.xpath(".//figcaption/a/@href")[0].startswith("/documents/d")
    none = html(viewer_client.get("/claims?view=contradicted"))
    assert none.xpath("//p[@id='claims-none']") and not none.xpath("//article")
    every = html(viewer_client.get("/claims?view=all&offset=250"))
    assert len(every.xpath("//article")) == 7
    assert texts(every, "//nav[@class='pager']/span") == ["251–257 of 257"]
    french = html(viewer_client.get("/claims", headers={"Accept-Language": "fr"}))
    assert texts(french, "//nav[@class='tabs']/a")[1] == "Contredites 0"
    assert viewer_client.get("/claims?view=nonsense").status_code == 400


def _save_statement(store: Store, doc_id: str, source: str, text: str, day: int) -> None:
    doc = Document(
        id=doc_id,
        source=Source(id=source, name=source.title(), kind=Kind.NEWS, reliability="B",
                      reliability_reason="test wire"),
        text=text,
        content_hash="h-" + doc_id,
        fetched_at=datetime(2025, 12, day, tzinfo=UTC),
        published=datetime(2025, 12, day, 9, 0, tzinfo=UTC),
        published_precision=Precision.DAY,
        language="fr",
        title=f"Léré ({source})",
    )  # fmt: skip
    store.save_document(doc, minhash=None)
    span = Span(doc.id, "body", 0, len(text))
    store.save_annotations(
        Annotations(doc.id, "v", {"body": "fr"}, attributions=(Attribution(span, "author"),))
    )


def test_a_contradiction_is_shown_side_by_side(web_app: FastAPI) -> None:
    store = web_app.state.store
    _save_statement(store, "dlere1", "agence-a", CLAIM, 3)
    _save_statement(store, "dlere2", "radio-d", DENIAL.replace("<", ""), 4)
    client = TestClient(web_app)
    login(client, "viewer")
    tree = html(client.get("/claims?view=contradicted"))
    [card] = tree.xpath(f"//article[{by_class('claim')}]")
    assert "contradicted" in card.get("class")
    [pair] = card.xpath(f".//div[{by_class('contradiction')}]")
    [side_a] = pair.xpath(f"./section[{by_class('side')} and {by_class('side-a')}]")
    [side_b] = pair.xpath(f"./section[{by_class('side')} and {by_class('side-b')}]")
    assert texts(side_a, ".//blockquote") == [CLAIM]
    assert texts(side_b, ".//blockquote") == [DENIAL]
    assert texts(side_a, ".//figcaption") == ["B Agence-A · 2025-12-03 · affirms · document"]
    assert texts(side_b, ".//figcaption") == ["B Radio-D · 2025-12-04 · denies · document"]
    assert side_b.xpath(".//figcaption/a/@href") == ["/documents/dlere2"]
    assert side_b.xpath(".//time/@datetime") == ["2025-12-04T09:00:00+00:00"]
    grade = card.xpath(".//header/span[contains(@class, 'grade-n')]")[0]
    assert grade.text in {"3", "4", "5"}  # contradicted: possibly true at best
    api = client.get("/api/v1/claims?view=contradicted").json()
    assert api["total"] == 1 and api["items"][0]["contradicted"] is True
    assert {s["stance"] for s in api["items"][0]["statements"]} == {"affirms", "denies"}


# -------------------------------------------------------------------- forecasts


def test_forecasts_views_and_brier_table(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/forecasts"))
    tabs = {a.get("data-view"): text_of(a) for a in tree.xpath(
        "//nav[@class='tabs']/a")}  # fmt: skip
    everything = viewer_client.get("/api/v1/forecasts?limit=500").json()
    assert everything["total"] == 9 and tabs["all"] == "All 9"
    rows = tree.xpath("//table[@id='forecasts-table']//tr[@data-forecast-id]")
    assert [r.get("data-forecast-id") for r in rows] == [f["id"] for f in everything["items"]]
    deadlines = [f["deadline"] for f in everything["items"]]
    assert deadlines == sorted(deadlines)
    assert not tree.xpath("//form[contains(@class, 'resolve-form')]")  # a viewer cannot
    first = everything["items"][0]
    cells = [text_of(td) for td in rows[0].xpath("./td")]
    assert cells[0].startswith(first["deadline"])
    assert f"{round(first['low'] * 100)}–{round(first['high'] * 100)} %" in cells[2]
    assert cells[3].startswith(first["proposition"])
    brier = tree.xpath("//table[@id='brier-table']//tr[@data-source-id]")
    assert sorted(r.get("data-source-id") for r in brier) == sorted(
        {f["source_id"] for f in everything["items"]}
    )
    assert all(r.xpath("./td[@class='brier-score']/span")[0].text == "—" for r in brier)
    for view in ("open", "due", "resolved"):
        listed = viewer_client.get(f"/api/v1/forecasts?status={view}&limit=500").json()
        assert tabs[view].endswith(f" {listed['total']}")
        assert {f["state"] for f in listed["items"]} <= {
            "open": {"open"}, "due": {"expired"}, "resolved": {"true", "false"}
        }[view]  # fmt: skip
    assert viewer_client.get("/api/v1/forecasts?status=later").status_code == 422


def test_an_analyst_resolves_a_forecast(web_app: FastAPI) -> None:
    viewer = TestClient(web_app)
    viewer_csrf = login(viewer, "viewer")
    analyst = TestClient(web_app)
    csrf = login(analyst, "analyst")
    page = html(analyst.get("/forecasts"))
    forms = page.xpath("//form[contains(@class, 'resolve-form')]")
    assert len(forms) == 9
    fid = page.xpath("//tr[@data-forecast-id]/@data-forecast-id")[0]
    form = {"outcome": "true", "evidence": "https://example.org/it-happened", "view": "due"}
    refused = viewer.post(f"/forecasts/{fid}/resolve", data={**form, "csrf_token": viewer_csrf})
    assert refused.status_code == 403
    forged = analyst.post(f"/forecasts/{fid}/resolve", data=form, follow_redirects=False)
    assert forged.status_code == 403
    empty = analyst.post(
        f"/forecasts/{fid}/resolve", data={**form, "evidence": " ", "csrf_token": csrf}
    )
    assert empty.status_code == 400 and 'id="forecast-error"' in empty.text
    done = analyst.post(
        f"/forecasts/{fid}/resolve", data={**form, "csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/forecasts?view=due#forecast-{fid}"
    resolved = html(analyst.get("/forecasts?view=resolved"))
    [row] = resolved.xpath("//tr[@data-forecast-id]")
    assert row.get("data-forecast-id") == fid
    assert "came true" in row.xpath("./td[6]/strong")[0].text
    assert row.xpath(".//span[@class='evidence']/a/@href") == ["https://example.org/it-happened"]
    api = analyst.get("/api/v1/forecasts?status=resolved").json()["items"][0]
    score = (api["probability"] - 1.0) ** 2
    cells = resolved.xpath(f"//tr[@data-source-id='{api['source_id']}']/td[@class='brier-score']")
    assert cells[0].text == f"{score:.3f}"
    sources = viewer.get("/api/v1/sources?limit=500").json()["items"]
    [graded] = [s for s in sources if s["source_id"] == api["source_id"]]
    assert graded["forecasts_resolved"] == 1 and graded["brier"] == pytest.approx(score)
    missing = analyst.post(
        "/forecasts/f000/resolve", data={**form, "csrf_token": csrf}, follow_redirects=False
    )
    assert missing.status_code == 404


def test_the_api_resolves_with_a_token_or_the_csrf_header(web_app: FastAPI) -> None:
    from tocsin.app import users

    store = web_app.state.store
    fid = store.list_forecasts()[0].id
    token = users.issue_token(store, "analyst", name="test").token
    bearer = TestClient(web_app, headers={"Authorization": f"Bearer {token}"})
    answer = bearer.post(
        f"/api/v1/forecasts/{fid}/resolve", json={"outcome": False, "evidence": "d123"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "false" and answer.json()["evidence"] == "d123"
    assert bearer.post(
        "/api/v1/forecasts/f000/resolve", json={"outcome": True, "evidence": "x"}
    ).json() == {"error": "f000: no such forecast"}
    assert (
        bearer.post(
            f"/api/v1/forecasts/{fid}/resolve", json={"outcome": True, "evidence": ""}
        ).status_code
        == 422
    )
    browser = TestClient(web_app)
    csrf = login(browser, "analyst")
    url = f"/api/v1/forecasts/{fid}/resolve"
    assert browser.post(url, json={"outcome": True, "evidence": "x"}).status_code == 403
    again = browser.post(
        url, json={"outcome": True, "evidence": "x"}, headers={"X-CSRF-Token": csrf}
    )
    assert again.status_code == 200 and again.json()["state"] == "true"


# ------------------------------------------------------------------ review cache


def test_the_review_is_computed_once_per_change(web_app: FastAPI) -> None:
    store: Store = web_app.state.store
    first = cached_review(store)
    computed = REVIEWS.computed
    assert cached_review(store) is first and REVIEWS.computed == computed
    before = store.review_version()
    fid = store.list_forecasts()[0].id
    store.resolve_forecast(fid, outcome=True, evidence="x", on=datetime.now(UTC).date())
    assert store.review_version() != before
    second = cached_review(store)
    assert second is not first and REVIEWS.computed == computed + 1
    assert cached_review(store) is second
    # resolving the other way the same day changes the version too
    store.resolve_forecast(fid, outcome=False, evidence="x", on=datetime.now(UTC).date())
    assert cached_review(store) is not second


def test_the_review_cache_computes_one_at_a_time(web_app: FastAPI) -> None:
    """Threads asking at once share one computation."""
    from concurrent.futures import ThreadPoolExecutor

    store: Store = web_app.state.store
    REVIEWS.clear()
    computed = REVIEWS.computed
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda _: cached_review(store), range(4)))
    assert REVIEWS.computed == computed + 1
    assert all(r is found[0] for r in found)
    # a source's registry letter changes the version (and so the grades)
    before = store.review_version()
    doc = store.get_document(store.list_documents(limit=1)[0].id)
    assert doc is not None
    changed = replace(doc, source=replace(doc.source, reliability="E"), id="dcopy",
                      content_hash="h-copy", url=None)  # fmt: skip
    store.save_document(changed, minhash=None)
    assert store.review_version() != before
