"""The app's shell: sign-in required, security headers, language choice, error pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tocsin.web.app import CSP


def test_pages_need_a_signed_in_user(anonymous_client: TestClient) -> None:
    answer = anonymous_client.get("/events?country=ML", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fevents%3Fcountry%3DML"


def test_api_needs_a_token_or_a_session(anonymous_client: TestClient) -> None:
    answer = anonymous_client.get("/api/v1/events")
    assert answer.status_code == 401
    assert "Bearer" in answer.json()["error"]
    bad = anonymous_client.get("/api/v1/events", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_every_answer_has_the_security_headers(anonymous_client: TestClient) -> None:
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = anonymous_client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_language_from_query_then_cookie_then_browser(anonymous_client: TestClient) -> None:
    assert "Connexion" in anonymous_client.get("/login", headers={"Accept-Language": "fr"}).text
    assert "Sign in" in anonymous_client.get("/login", headers={"Accept-Language": "en"}).text
    client = TestClient(anonymous_client.app)
    assert 'lang="fr"' in client.get("/login?lang=fr").text
    assert 'lang="fr"' in client.get("/login").text  # the cookie remembers


def test_login_redirects_only_inside_the_site(web_app) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import PASSWORDS

    client = TestClient(web_app)
    form = client.get("/login").text
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    answer = client.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORDS["viewer"],
            "csrf_token": token.group(1),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_signed_in_viewer_gets_pages(viewer_client: TestClient) -> None:
    page = viewer_client.get("/no-such-page")
    assert page.status_code == 404
    assert 'id="who"' in page.text and "viewer" in page.text
