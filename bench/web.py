"""Latency of the dashboard and the JSON API under load: 100,000 events and 20,000
documents, 8 concurrent clients on loopback.

The database is built first (not timed): the seeded events of bench/alerts.py (West
Africa, a year before the demo day, clustered around hot spots, ACLED types), 20,000
documents (French and English paragraphs of the demo corpus shuffled, 0-12 comments each,
spread over 40 outlets and the same year), the risk levels they give, and one analyst
with an API token. Then ``tocsin serve``'s app runs in a separate process (uvicorn, one
worker, as `tocsin serve` runs it) and, for each endpoint in turn, 8 client threads send
requests back to back (each with its own connection) until ``--seconds`` have passed or
``--requests`` answers came back; each answer must be 200. The trivial endpoint
``/healthz`` (no store, no user) is measured the same way first and last: it is the
baseline that the machine, the server and the clients cost. Prints p50 / p95 / max per
endpoint and p95 as a multiple of the baseline's p95.

    .venv/bin/python bench/web.py [--events 100000] [--documents 20000] [--seconds 5]
                                   [--requests 400] [--clients 8] [--keep DB]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts import ASOF, hot_spots, make_events

from tocsin.app import users
from tocsin.app.demo import corpus_path
from tocsin.app.risk import store_risk
from tocsin.config import Settings
from tocsin.models import Comment, Document, Kind, Source
from tocsin.store import open_store

SERVER = """
import sys, uvicorn
from tocsin.config import Settings
from tocsin.web import create_app
uvicorn.run(create_app(Settings(db=sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False)
"""


def paragraphs() -> list[tuple[str, str]]:
    """(language, paragraph) of the demo corpus's texts, for synthetic documents."""
    pool: list[tuple[str, str]] = []
    for path in sorted(corpus_path().iterdir()):
        if path.suffix not in (".txt", ".md", ".html"):
            continue
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        lang = "en" if any(w in text for w in (" the ", " and ")) else "fr"
        for para in re.split(r"\n\s*\n", text):
            words = para.split()
            if len(words) >= 15:
                pool.append((lang, " ".join(words)))
    return pool


def make_documents(count: int, rng: random.Random) -> list[Document]:
    pool = paragraphs()
    outlets = [
        Source(
            id=f"outlet-{i}.example",
            name=f"Outlet {i}",
            domain=f"outlet-{i}.example",
            kind=Kind.NEWS,
            reliability="CDEF"[i % 4],
        )
        for i in range(40)
    ]
    start = datetime.combine(ASOF, datetime.min.time(), tzinfo=UTC) - timedelta(days=365)
    docs = []
    for i in range(count):
        lang = "fr" if rng.random() < 0.6 else "en"
        choices = [p for lg, p in pool if lg == lang] or [p for _, p in pool]
        text = "\n\n".join([*rng.sample(choices, min(5, len(choices))), f"Ref {i}."])
        published = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        comments = tuple(
            Comment(
                id=f"d{i}-c{j}",
                text=rng.choice(choices)[:300],
                parent_id=f"d{i}-c{j - 1}" if j and rng.random() < 0.3 else None,
                author=f"reader{rng.randrange(5000)}",
                posted=published + timedelta(hours=j + 1),
                language=lang,
            )
            for j in range(rng.choice((0, 0, 1, 2, 3, 5, 12)))
        )
        digest = hashlib.sha256(text.encode()).hexdigest()
        docs.append(
            Document(
                id=digest[:16],
                source=outlets[i % len(outlets)],
                text=text,
                content_hash=digest,
                fetched_at=published,
                url=f"https://{outlets[i % len(outlets)].domain}/a/{i}",
                title=f"{text.split('.')[0][:90]} ({i})",
                published=published,
                language=lang,
                comments=comments,
                origin=f"bench-{i}",
            )
        )
    return docs


def build(path: Path, *, events: int, documents: int, seed: int) -> tuple[str, str]:
    """The bench database; returns (an event id, a document id)."""
    rng = random.Random(seed)
    store = open_store(str(path))
    started = time.perf_counter()
    evs = make_events(events, rng, hot_spots(rng))
    store.save_events(evs)
    docs = make_documents(documents, rng)
    for doc in docs:
        store.save_document(doc, minhash=None)
    store_risk(store, asof=ASOF, settings=Settings(db=str(path)))
    users.add_user(store, "bench", "bench-password-1", role="analyst")
    token = users.issue_token(store, "bench").token
    store.close()
    print(
        f"built {events:,} events and {documents:,} documents in "
        f"{time.perf_counter() - started:.0f} s ({path.stat().st_size / 1e6:.0f} MB)"
    )
    return token, f"{evs[len(evs) // 2].id}|{docs[len(docs) // 2].id}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(base: str, proc: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped before answering")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {limit:.0f} s")


def load(
    base: str, path: str, token: str, *, clients: int, seconds: float, requests: int
) -> list[float]:
    """Latencies (s) of ``path`` under ``clients`` threads; bounded by time and count."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30.0
        ) as http:
            while time.monotonic() < deadline:
                with lock:
                    if len(latencies) >= requests:
                        return
                began = time.perf_counter()
                answer = http.get(path)
                took = time.perf_counter() - began
                with lock:
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code} {answer.text[:100]}")
                        return
                    latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{path}: {failures[0]}")
    return latencies


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "web.db"
        token_file = db.with_suffix(".token")
        if args.keep and db.exists() and token_file.exists():
            token, ids = token_file.read_text().split("\n", 1)
            print(f"reusing {db}")
        else:
            token, ids = build(db, events=args.events, documents=args.documents, seed=args.seed)
            token_file.write_text(f"{token}\n{ids}")
        event_id, doc_id = ids.strip().split("|")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(db), str(port)],
            env={**os.environ, "TOCSIN_EXTRACT": "0"},
        )
        try:
            wait_up(base, proc)
            run(base, token, event_id, doc_id, args)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def run(base: str, token: str, event_id: str, doc_id: str, args: argparse.Namespace) -> None:
    endpoints = [
        ("trivial /healthz (baseline)", "/healthz"),
        ("API events, first page", "/api/v1/events?limit=50"),
        ("API events, country+type", "/api/v1/events?country=ML&type=Battles&limit=50"),
        ("API events, page 100", "/api/v1/events?limit=50&offset=5000"),
        ("API map events", "/api/v1/map/events"),
        ("API risk levels", "/api/v1/risk?limit=100"),
        ("API documents", "/api/v1/documents?limit=50"),
        ("API search", "/api/v1/search?q=carburant&limit=20"),
        ("API alerts", "/api/v1/alerts?limit=50"),
        ("page /events", "/events"),
        ("page /events filtered", "/events?country=ML&since=2025-10-01"),
        ("page /documents", "/documents"),
        ("page event", f"/events/{event_id}"),
        ("page document", f"/documents/{doc_id}"),
        ("page /timeline", "/timeline"),
        ("page / (home)", "/"),
        ("page /risk", "/risk"),
        ("trivial /healthz (again)", "/healthz"),
    ]
    print(
        f"{args.clients} clients, each endpoint for {args.seconds:.0f} s or "
        f"{args.requests} answers\n"
    )
    print(f"{'endpoint':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/base':>9}")
    base_p95 = None
    for name, path in endpoints:
        # one warm-up request (first use of a query, caches)
        httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=60.0)
        lat = load(
            base, path, token, clients=args.clients, seconds=args.seconds, requests=args.requests
        )
        p50, p95 = statistics.median(lat), quantile(lat, 0.95)
        if base_p95 is None:
            base_p95 = p95
        print(
            f"{name:34} {len(lat):5d} {p50 * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{max(lat) * 1000:8.1f} {p95 / base_p95:9.1f}"
            + ("" if p95 < 0.2 or path == "/healthz" else "  (over 200 ms)")
        )


if __name__ == "__main__":
    main()
