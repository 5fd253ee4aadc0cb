"""The API documentation page, the index and /me."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_api_page_lists_every_api_route(viewer_client: TestClient) -> None:
    page = viewer_client.get("/api")
    assert page.status_code == 200
    schema = viewer_client.get("/api/v1/openapi.json").json()
    api_paths = [p for p in schema["paths"] if p.startswith("/api/")]
    assert "/api/v1/me" in api_paths
    for path in api_paths:
        assert f"<code>{path}</code>" in page.text
    assert "<script" not in page.text


def test_api_page_in_french(viewer_client: TestClient) -> None:
    page = viewer_client.get("/api?lang=fr")
    assert "Schéma OpenAPI" in page.text
    viewer_client.get("/api?lang=en")


def test_index_and_me(viewer_client: TestClient, admin_client: TestClient) -> None:
    index = viewer_client.get("/api/v1/").json()
    assert index["openapi"] == "/api/v1/openapi.json"
    assert "/api/v1/me" in index["paths"]
    assert viewer_client.get("/api/v1/me").json() == {"username": "viewer", "role": "viewer"}
    assert admin_client.get("/api/v1/me").json() == {"username": "admin", "role": "admin"}
