"""The organisation's pages and API: assets, alert rules (an analyst adds and removes
them, through the form and the API), alerts with filters, pages and their evidence, and
the digest's unsubscribe link (no sign-in; the token is the authority)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import lxml.html
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tocsin.report.digest.messages import unsubscribe_url


def html(page: Any, status: int = 200) -> Any:
    assert page.status_code == status, page.text[:300]
    return lxml.html.fromstring(page.text)


def text_of(node: Any) -> str:
    """The words of an element (or a text node), on one line, elements apart."""
    if isinstance(node, str):
        return " ".join(node.split())
    return " ".join(" ".join(node.itertext()).split())


def texts(tree: Any, xpath: str) -> list[str]:
    return [text_of(node) for node in tree.xpath(xpath)]


# ------------------------------------------------------------------------ assets


def test_assets_list_kinds_and_places(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/assets"))
    rows = tree.xpath("//table[@id='assets-table']//tr[@data-asset-id]")
    assert [r.get("data-asset-id") for r in rows] == [
        "bko-office", "bko-warehouse", "dakar-bamako", "kayes-mine", "segou-team",
    ]  # fmt: skip
    kinds = [text_of(r.xpath("./td[2]")[0]) for r in rows]
    assert kinds == ["site", "site", "route", "site", "staff"]
    where = {r.get("data-asset-id"): text_of(r.xpath("./td[3]")[0])
             for r in rows}  # fmt: skip
    assert where["bko-office"].startswith("point 12.")
    assert where["bko-warehouse"].startswith("area of ")
    assert where["dakar-bamako"].startswith("route of ") and "10 km around it" in where[
        "dakar-bamako"]  # fmt: skip
    assert tree.xpath("//a[@id='assets-map-link']/@href") == ["/map"]
    french = html(viewer_client.get("/assets", headers={"Accept-Language": "fr"}))
    assert texts(french, "//tr[@data-asset-id='segou-team']/td[2]") == ["personnel"]
    assert texts(french, "//tr[@data-asset-id='dakar-bamako']/td[2]") == ["itinéraire"]


# ------------------------------------------------------------------------- rules


def test_rules_list_and_who_may_change_them(
    viewer_client: TestClient, analyst_client: TestClient
) -> None:
    tree = html(viewer_client.get("/rules"))
    rows = tree.xpath("//table[@id='rules-table']//tr[@data-rule-id]")
    assert [r.get("data-rule-id") for r in rows] == ["mali-watch", "sites-and-road"]
    mali = [text_of(td) for td in rows[0].xpath("./td")]
    assert mali[0] == "Mali: risk level changes mali-watch · en"
    assert mali[1] == "in ML"
    assert mali[2] == "risk change all categories"
    assert mali[4] == "email:ops@sahel-solidarite.example webhook:http://127.0.0.1:8765/tocsin"
    assert not tree.xpath("//form[@id='rule-form']") and not tree.xpath("//button")[1:]
    editable = html(analyst_client.get("/rules"))
    assert editable.xpath("//form[@id='rule-form']")
    assert len(editable.xpath("//form[contains(@class, 'remove-rule-form')]")) == 2
    french = html(viewer_client.get("/rules", headers={"Accept-Language": "fr"}))
    assert texts(french, "//tr[@data-rule-id='mali-watch']/td[2]") == ["dans la zone ML"]


def test_an_analyst_adds_and_removes_a_rule(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    csrf = login(client, "analyst")
    form = {
        "csrf_token": csrf, "name": "Kayes mine <watch>", "rule_id": "", "asset": "kayes-mine",
        "area": "", "kinds": ["event", "forecast"], "categories": ["conflict", "crime"],
        "min_severity": "3", "min_level": "4", "min_probability": "0.8", "distance_km": "25",
        "channels": "email:mine@example.org\r\nwebhook:https://example.org/hook\r\n", "lang": "fr",
    }  # fmt: skip
    added = client.post("/rules", data=form, follow_redirects=False)
    assert added.status_code == 303, added.text[:500]
    assert added.headers["location"] == "/rules?saved=kayes-mine-watch#rule-kayes-mine-watch"
    page = html(client.get(added.headers["location"]))
    assert texts(page, "//p[@id='rules-notice']") == ["Rule kayes-mine-watch saved."]
    row = [text_of(td) for td in page.xpath(
        "//tr[@data-rule-id='kayes-mine-watch']/td")]  # fmt: skip
    assert row[0] == "Kayes mine <watch> kayes-mine-watch · fr"
    assert row[1] == "within 25 km of Mine de Kayes" or row[1].startswith("within 25 km of ")
    assert row[3] == "event severity ≥ 3, risk level ≥ 4, forecast probability ≥ 0.8"
    api = client.get("/api/v1/rules").json()
    [rule] = [r for r in api["items"] if r["id"] == "kayes-mine-watch"]
    assert {k: v for k, v in rule.items() if k != "created"} == {
        "id": "kayes-mine-watch", "name": "Kayes mine <watch>", "asset_id": "kayes-mine",
        "area": None, "kinds": ["event", "forecast"], "categories": ["conflict", "crime"],
        "min_severity": 3, "min_level": 4, "min_probability": 0.8, "distance_km": 25.0,
        "channels": ["email:mine@example.org", "webhook:https://example.org/hook"],
        "lang": "fr",
    }  # fmt: skip
    removed = client.post(
        "/rules/kayes-mine-watch/delete", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert removed.status_code == 303 and removed.headers["location"] == (
        "/rules?removed=kayes-mine-watch"
    )
    after = html(client.get("/rules"))
    assert after.xpath("//tr[@data-rule-id]/@data-rule-id") == ["mali-watch", "sites-and-road"]
    gone = client.post("/rules/kayes-mine-watch/delete", data={"csrf_token": csrf})
    assert gone.status_code == 404


def test_a_bad_rule_gets_the_form_again_with_the_reason(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    csrf = login(client, "analyst")
    base = {"csrf_token": csrf, "name": "Nowhere", "kinds": ["event"]}
    for changes, reason in (
        ({"area": "Xyzzyville"}, "not a country, region or town known to the gazetteer"),
        ({"asset": "no-such-asset"}, "no asset 'no-such-asset'"),
        ({"kinds": []}, "no kinds"),
        ({"min_severity": "9"}, "min_severity 9 is out of range"),
        ({"channels": "fax:123"}, "channel 'fax:123'"),
    ):
        answer = client.post("/rules", data={**base, **changes})
        tree = html(answer, 400)
        [error] = texts(tree, "//p[@id='rule-error']")
        assert reason in error, error
        assert tree.xpath("//input[@name='name']/@value") == ["Nowhere"]  # the form keeps it
    assert [r.id for r in web_app.state.store.list_rules()] == ["mali-watch", "sites-and-road"]


def test_rules_through_the_api(web_app: FastAPI) -> None:
    viewer = TestClient(web_app)
    viewer_csrf = login(viewer, "viewer")
    body = {"name": "Bamako area", "area": "Bamako", "kinds": ["risk"], "min_level": 4}
    refused = viewer.post("/api/v1/rules", json=body, headers={"X-CSRF-Token": viewer_csrf})
    assert refused.status_code == 403
    client = TestClient(web_app)
    csrf = login(client, "analyst")
    assert client.post("/api/v1/rules", json=body).status_code == 403  # no CSRF header
    added = client.post("/api/v1/rules", json=body, headers={"X-CSRF-Token": csrf})
    assert added.status_code == 201, added.text
    assert added.json()["id"] == "bamako-area" and added.json()["area"] == "Bamako"
    listed = client.get("/api/v1/rules?limit=1").json()
    assert listed["total"] == 3 and len(listed["items"]) == 1
    assert listed["next"].endswith("/api/v1/rules?limit=1&offset=1")
    bad = client.post(
        "/api/v1/rules", json={**body, "area": "Xyzzyville"}, headers={"X-CSRF-Token": csrf}
    )
    assert bad.status_code == 422 and "Xyzzyville" in bad.json()["error"]
    delete = client.delete("/api/v1/rules/bamako-area", headers={"X-CSRF-Token": csrf})
    assert delete.status_code == 204
    again = client.delete("/api/v1/rules/bamako-area", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 404 and again.json() == {"error": "bamako-area: no such rule"}
    post_remove = client.post("/api/v1/rules/mali-watch/delete", headers={"X-CSRF-Token": csrf})
    assert post_remove.status_code == 204
    assert [r["id"] for r in client.get("/api/v1/rules").json()["items"]] == ["sites-and-road"]


# ------------------------------------------------------------------------ alerts


def test_alerts_newest_first_with_filters_and_pages(viewer_client: TestClient) -> None:
    tree = html(viewer_client.get("/alerts"))
    assert texts(tree, "//span[@id='alerts-count']") == ["51"]
    rows = tree.xpath("//table[@id='alerts-table']//tr[@data-alert-id]")
    api = viewer_client.get("/api/v1/alerts?limit=50").json()
    assert api["total"] == 51
    assert [r.get("data-alert-id") for r in rows] == [a["id"] for a in api["items"]]
    updated = [a["updated"] for a in api["items"]]
    assert updated == sorted(updated, reverse=True)
    assert texts(tree, "//nav[@class='pager']/span") == ["1–50 of 51"]
    second = html(viewer_client.get("/alerts?offset=50"))
    assert len(second.xpath("//tr[@data-alert-id]")) == 1
    assert texts(second, "//nav[@class='pager']/a") == ["Previous"]
    events = html(viewer_client.get("/alerts?kind=event"))
    assert texts(events, "//span[@id='alerts-count']") == ["7"]
    assert set(texts(events, "//tr[@data-alert-id]/td[3]/text()[1]")) == {"event"}
    severe = html(viewer_client.get("/alerts?min_severity=4"))
    assert texts(severe, "//span[@id='alerts-count']") == ["6"]
    both = viewer_client.get("/api/v1/alerts?kind=event&min_severity=5").json()
    assert both["total"] == len(both["items"]) == 2
    assert {(a["kind"], a["severity"]) for a in both["items"]} == {("event", 5)}
    assert viewer_client.get("/api/v1/alerts?min_severity=6").status_code == 422
    french = html(viewer_client.get("/alerts?kind=risk", headers={"Accept-Language": "fr"}))
    assert set(texts(french, "//tr[@data-alert-id]/td[3]/text()[1]")) <= {"changement de risque"}


def test_an_alert_with_its_evidence(viewer_client: TestClient) -> None:
    listed = viewer_client.get("/api/v1/alerts?kind=event&limit=50").json()["items"]
    alert = next(a for a in listed if a["quotes"])
    tree = html(viewer_client.get(f"/alerts/{alert['id']}"))
    assert texts(tree, "//h1[@id='alert-title']") == [f"{alert['severity']}/5 {alert['title']}"]
    assert texts(tree, "//p[@id='alert-summary']") == [alert["summary"]]
    assert tree.xpath("//a[@id='alert-subject']/@href") == [f"/events/{alert['subject_id']}"]
    quotes = tree.xpath("//ol[@id='alert-quotes']/li")
    assert texts(tree, "//ol[@id='alert-quotes']//blockquote") == [
        q["text"] for q in alert["quotes"]
    ]
    assert quotes[0].xpath(".//a/@href")[0] == f"/documents/{alert['quotes'][0]['document_id']}"
    assert viewer_client.get(f"/api/v1/alerts/{alert['id']}").json() == alert
    assert viewer_client.get("/alerts/nope").status_code == 404
    assert viewer_client.get("/api/v1/alerts/nope").json() == {"error": "nope: no such alert"}


# ------------------------------------------------------------------- unsubscribe


def test_unsubscribe_without_signing_in(web_app: FastAPI) -> None:
    store = web_app.state.store
    subscriber = store.list_subscribers()[0]
    link = urlsplit(unsubscribe_url(subscriber, settings=web_app.state.settings))
    assert link.path == "/unsubscribe"
    client = TestClient(web_app)  # nobody signed in
    page = html(client.get(f"{link.path}?{link.query}&lang=en"))
    assert page.get("lang") == "en"  # unless the person chooses
    client.cookies.clear()
    assert subscriber.email in texts(page, "//section[@id='unsubscribe']/p")[0]
    [action] = page.xpath("//form[@id='unsubscribe-form']/@action")
    assert action == f"{link.path}?{link.query}"
    assert not page.xpath("//input[@name='csrf_token']")
    assert store.get_subscriber_by_token(subscriber.token).active  # GET changes nothing
    done = client.post(action)
    tree = html(done)
    assert tree.get("lang") == subscriber.lang == "fr"  # the digest's language
    assert texts(tree, "//p[@id='unsubscribe-done']") == [
        f"C'est fait : {subscriber.email} ne recevra plus la lettre."
    ]
    assert not store.get_subscriber_by_token(subscriber.token).active
    again = html(client.get(action))
    assert again.xpath("//form") and "Cette adresse est déjà désabonnée." in texts(again, "//p")


def test_one_click_unsubscribe_from_a_mail_client(web_app: FastAPI) -> None:
    """RFC 8058: a POST of "List-Unsubscribe=One-Click" to the header's URL."""
    store = web_app.state.store
    subscriber = store.list_subscribers()[1]
    link = urlsplit(unsubscribe_url(subscriber, settings=web_app.state.settings))
    answer = TestClient(web_app).post(
        f"{link.path}?{link.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200
    assert subscriber.email not in [s.email for s in store.list_subscribers()]  # active ones
    assert not store.get_subscriber_by_token(subscriber.token).active


def test_an_unknown_unsubscribe_link(anonymous_client: TestClient) -> None:
    for path in ("/unsubscribe?token=not-a-token", "/unsubscribe"):
        answer = anonymous_client.get(path, headers={"Accept-Language": "fr"})
        tree = html(answer, 404)
        assert texts(tree, "//p[@id='unsubscribe-unknown']")[0].startswith(
            "Ce lien de désabonnement est inconnu"
        )
    assert anonymous_client.post("/unsubscribe?token=not-a-token").status_code == 404
