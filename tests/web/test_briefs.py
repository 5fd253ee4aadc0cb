"""Briefs in the dashboard: the list, a brief read with its notes, the downloads, an
analyst writing one through the form (and the API), the errors a person can make.

Writing a brief takes seconds: two tests do (the form and the API); the others read the
brief saved in the test database."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login

SAVED = "b117ca1e2b39440a8"  # the Bamako brief of the test database (30 days, English)


def html(page: Any, status: int = 200) -> Any:
    assert page.status_code == status, page.text[:300]
    return lxml.html.fromstring(page.text)


def text_of(node: Any) -> str:
    if isinstance(node, str):
        return " ".join(node.split())
    return " ".join(" ".join(node.itertext()).split())


def texts(tree: Any, xpath: str) -> list[str]:
    return [text_of(node) for node in tree.xpath(xpath)]


def test_the_saved_briefs(viewer_client: TestClient, analyst_client: TestClient) -> None:
    tree = html(viewer_client.get("/briefs"))
    assert tree.xpath("//tr[@data-brief-id]/@data-brief-id") == [SAVED]
    assert texts(tree, f"//tr[@data-brief-id='{SAVED}']/td")[:4] == [
        "Bamako: situation brief, 9 November – 8 December 2025",
        "Bamako",
        "2025-11-09 – 2025-12-08",
        "en",
    ]
    assert not tree.xpath("//form[@id='brief-form']")  # a viewer reads, never writes
    form = html(analyst_client.get("/briefs")).xpath("//form[@id='brief-form']")[0]
    assert sorted(form.xpath(".//*[@name]/@name")) == [
        "area", "csrf_token", "lang", "period", "until",
    ]  # fmt: skip
    assert form.xpath(".//select[@name='period']/option/@value") == ["7d", "30d"]
    assert form.xpath(".//select[@name='lang']/option/@value") == ["en", "fr"]
    assert form.xpath(".//button[@id='brief-submit']")
    french = html(analyst_client.get("/briefs", headers={"Accept-Language": "fr"}))
    assert texts(french, "//button[@id='brief-submit']") == ["Rédiger la note"]
    assert french.xpath("//select[@name='lang']/option[@selected]/@value") == ["fr"]
    listed = viewer_client.get("/api/v1/briefs").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == SAVED
    assert listed["items"][0]["links"] == {
        "html": f"/briefs/{SAVED}", "pdf": f"/briefs/{SAVED}.pdf", "md": f"/briefs/{SAVED}.md",
    }  # fmt: skip
    assert viewer_client.get("/api/v1/briefs?lang=fr").json()["total"] == 0


def test_a_brief_reads_with_its_notes(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get(f"/briefs/{SAVED}"))
    [article] = tree.xpath("//article[@id='brief']")
    assert texts(article, "./h1") == ["Bamako: situation brief, 9 November – 8 December 2025"]
    assert texts(article, "./h2")[:2] == ["Key points", "Bottom line"]
    notes = article.xpath(".//section[@id='brief-notes']/ol/li")
    refs = article.xpath(".//sup[@class='refs']/a")
    assert refs and notes
    numbers = {a.get("href") for a in refs}
    assert numbers == {f"#note-{n.get('value')}" for n in notes}  # every note is cited
    data = viewer_client.get(f"/api/v1/briefs/{SAVED}").json()
    cited = [s for sec in data["sections"] for s in sec["sentences"] if s["citations"]]
    sentences = article.xpath(".//span[@class='sentence']")
    assert len(sentences) >= len(cited)
    assert all(s.xpath("./sup/a") for s in sentences if s.xpath("./sup"))
    documents = {c["document_id"] for s in cited for c in s["citations"]}
    assert {a.get("href") for a in article.xpath(".//a[@class='note-document']")} == {
        f"/documents/{d}" for d in documents
    }
    assert all(h.startswith("https://") for h in article.xpath(".//a[@class='note-url']/@href"))
    assert tree.xpath("//a[@id='download-pdf']/@href") == [f"/briefs/{SAVED}.pdf"]
    assert tree.xpath("//a[@id='download-md']/@href") == [f"/briefs/{SAVED}.md"]
    assert viewer_client.get("/briefs/nope").status_code == 404
    assert viewer_client.get("/briefs/nope.pdf").status_code == 404
    assert viewer_client.get("/api/v1/briefs/nope").json() == {"error": "nope: no such brief"}


def test_the_downloads(viewer_client: TestClient) -> None:
    md = viewer_client.get(f"/briefs/{SAVED}.md")
    assert md.status_code == 200
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.headers["content-disposition"] == (
        'attachment; filename="brief-bamako-2025-12-08.en.md"'
    )
    assert md.text == viewer_client.get(f"/api/v1/briefs/{SAVED}").json()["markdown"]
    assert md.text.startswith("# Bamako: situation brief")
    pdf = viewer_client.get(f"/briefs/{SAVED}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="brief-bamako-2025-12-08.en.pdf"'
    )


def test_an_analyst_writes_a_brief_and_downloads_it(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    csrf = login(client, "analyst")
    page = client.get("/briefs").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token and token.group(1) == csrf
    form = {"area": "Kayes", "period": "7d", "until": "2025-12-08", "lang": "fr"}
    forged = client.post("/briefs", data=form, follow_redirects=False)
    assert forged.status_code == 403
    written = client.post("/briefs", data={**form, "csrf_token": csrf}, follow_redirects=False)
    assert written.status_code == 303, written.text[:500]
    location = written.headers["location"]
    brief_id = location.rsplit("/", 1)[1]
    tree = html(client.get(location))
    [article] = tree.xpath("//article[@id='brief']")
    assert article.get("lang") == "fr"
    assert texts(article, "./h1") == ["Kayes Region : note de situation du 2 au 8 décembre 2025"]
    md = client.get(tree.xpath("//a[@id='download-md']/@href")[0])
    assert md.status_code == 200 and md.text.startswith("# Kayes")
    pdf = client.get(tree.xpath("//a[@id='download-pdf']/@href")[0])
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].endswith('-2025-12-08.fr.pdf"')
    listed = html(client.get("/briefs")).xpath("//tr[@data-brief-id]/@data-brief-id")
    assert sorted(listed) == sorted([brief_id, SAVED])
    viewer = TestClient(web_app)
    viewer_csrf = login(viewer, "viewer")
    assert viewer.post("/briefs", data={**form, "csrf_token": viewer_csrf}).status_code == 403


def test_a_brief_that_cannot_be_written_gets_the_form_again(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    csrf = login(client, "analyst")
    base = {"csrf_token": csrf, "area": "Bamako", "period": "7d", "until": "2025-12-08"}
    for changes, reason in (
        ({"area": "Xyzzyville"}, "area Xyzzyville: not a country, region or town known"),
        ({"area": ""}, "area '': no area given"),
        ({"until": "8/12/2025"}, "until 8/12/2025: not a date"),
        ({"period": "1y"}, "period 1y: choose 7d or 30d"),
        ({"lang": "de"}, "lang de: not a brief language"),
    ):
        tree = html(client.post("/briefs", data={**base, **changes}), 400)
        [error] = texts(tree, "//p[@id='brief-error']")
        assert error.startswith(reason), error
        assert "\n" not in error and "Traceback" not in error
        assert tree.xpath("//form[@id='brief-form']//input[@name='area']/@value") == [
            changes.get("area", "Bamako")
        ]
    assert len(web_app.state.store.list_briefs()) == 1


def test_briefs_through_the_api(web_app: FastAPI) -> None:
    from tocsin.app import users

    token = users.issue_token(web_app.state.store, "analyst", name="briefs").token
    client = TestClient(web_app, headers={"Authorization": f"Bearer {token}"})
    bad = client.post("/api/v1/briefs", json={"area": "Xyzzyville", "until": "2025-12-08"})
    assert bad.status_code == 422 and bad.json()["error"].startswith("area Xyzzyville:")
    answer = client.post(
        "/api/v1/briefs", json={"area": "ML", "period": "30d", "until": "2025-12-08"}
    )
    assert answer.status_code == 201, answer.text
    brief = answer.json()
    assert (brief["area"], brief["lang"], brief["period_start"], brief["period_end"]) == (
        "Mali", "en", "2025-11-09", "2025-12-08",
    )  # fmt: skip
    assert brief["markdown"].startswith("# Mali")
    keys = [s["key"] for s in brief["sections"]]
    assert keys[:2] == ["key_points", "bottom_line"] and "sources" in keys
    cited = [c for s in brief["sections"] for x in s["sentences"] for c in x["citations"]]
    assert cited and all(c["document_id"] and c["quote"] for c in cited)
    assert client.get(f"/api/v1/briefs/{brief['id']}").json() == brief
    viewer = users.issue_token(web_app.state.store, "viewer", name="briefs").token
    refused = TestClient(web_app, headers={"Authorization": f"Bearer {viewer}"}).post(
        "/api/v1/briefs", json={"area": "ML"}
    )
    assert refused.status_code == 403


def test_every_string_of_these_pages_is_in_both_languages() -> None:
    """The keys these templates name literally, and the families they build from data."""
    from pathlib import Path

    from tocsin.models import ALERT_KINDS, ASSET_KINDS, ICD_LABELS, RISK_CATEGORIES, Kind
    from tocsin.web.i18n import strings

    folder = Path(__file__).parents[2] / "src" / "tocsin" / "web" / "templates"
    names = ("sources", "claims", "forecasts", "assets", "rules", "alert", "unsubscribe", "brief")
    used: set[str] = set()
    for path in folder.glob("*.html.j2"):
        if path.name.startswith(names) or path.name == "assess_macros.html.j2":
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bt\('([a-z0-9_.]*[a-z0-9_])'", text))
    assert "briefs.form.submit" in used and "claims.side_a" in used
    used |= {f"grade.letter.{x}" for x in "ABCDEF"} | {f"grade.number.{n}" for n in range(1, 7)}
    used |= {f"source.kind.{k.value}" for k in Kind} | {f"icd.{label}" for label in ICD_LABELS}
    used |= {f"alerts.kind.{k}" for k in ALERT_KINDS} | {f"assets.kind.{k}" for k in ASSET_KINDS}
    used |= {f"act.category.{c}" for c in RISK_CATEGORIES}
    used |= {f"forecasts.state.{s}" for s in ("open", "expired", "true", "false")}
    used |= {f"forecasts.outcome.{s}" for s in ("true", "false")}
    used |= {f"forecasts.view.{v}" for v in ("all", "open", "due", "resolved")}
    used |= {f"claims.view.{v}" for v in ("corroborated", "contradicted", "all")}
    used |= {f"claims.stance.{s}" for s in ("affirms", "denies", "forecasts")}
    used |= {f"briefs.period.{p}" for p in ("7d", "30d")} | {"briefs.lang.en", "briefs.lang.fr"}
    used |= {"assets.shape.polygon", "assets.shape.line"}
    table = strings()
    for lang in ("en", "fr"):
        missing = sorted(k for k in used if k not in table[lang])
        assert not missing, f"{lang}: {missing}"


PAGES = (
    "/sources", "/claims", "/claims?view=all", "/forecasts", "/forecasts?view=due", "/assets",
    "/rules", "/alerts", "/alerts?kind=event", "/briefs", f"/briefs/{SAVED}",
)  # fmt: skip
KEY = re.compile(
    r"\b(?:sources|claims|forecasts|assets|rules|alerts|briefs|unsubscribe|grade|icd|act|"
    r"source)\.[a-z_]+\b"
)


def test_every_page_in_both_languages(analyst_client: TestClient) -> None:
    alert = analyst_client.get("/api/v1/alerts?kind=event&limit=1").json()["items"][0]["id"]
    for path in (*PAGES, f"/alerts/{alert}"):
        for lang, word in (("en", "Sign out"), ("fr", "Se déconnecter")):
            page = analyst_client.get(path, headers={"Accept-Language": lang})
            tree = html(page)
            assert tree.get("lang") == lang, path
            assert word in page.text
            [main] = tree.xpath("//main")
            leaked = KEY.findall(text_of(main))
            assert not leaked, f"{path} ({lang}): untranslated {leaked}"
