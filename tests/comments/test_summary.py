"""Summaries of stored comment sections (per document, per outlet, everything) and the
weekly information environment series per country, over a store written here: two
articles of one outlet and one of another, with comments written for the project. The
classifier is a keyword fake (its own tests are H6's); the encoder is the real one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tocsin.app.comments import (
    document_summary,
    information_environment,
    outlet_summary,
    overall_summary,
)
from tocsin.comments.summary import EnvironmentRow, environment_to_plain, summary_to_plain
from tocsin.errors import InputError
from tocsin.models import (
    Annotations,
    Comment,
    CommentScores,
    Document,
    Kind,
    PlaceRef,
    Source,
    Span,
)
from tocsin.store import Store, open_store

NOW = datetime(2025, 11, 10, 12, 0, tzinfo=UTC)
SAHEL_LIBRE = Source("lesahellibre-example", "Le Sahel Libre", "lesahellibre.example")
LEDGER = Source("westafricaledger-example", "The West Africa Ledger", "westafricaledger.example")
SPAM = "Il faut fermer les frontières et expulser tous les étrangers, le Mali aux Maliens !"

BLOCKADE = [  # (language, text, parent index or None, minutes after publication)
    (
        "fr",
        "Nos dirigeants nous mentent depuis le début, trois jours de réserves on le savait déjà.",
        None,
        30,
    ),
    ("fr", "Tout le monde sait que c'est la France qui arme ces terroristes !!!", None, 45),
    (
        "fr",
        "Les soldats français sont partis depuis 2022, arrêtez d'accuser les autres. "
        "Aucune preuve, que des rumeurs.",
        1,
        60,
    ),
    ("fr", "Toi tu es un vendu, un traître, rentre chez ta mère.", 2, 75),
    ("fr", SPAM, None, 90),
    (
        "fr",
        "Nos frères guinéens font la queue avec nous aux mêmes stations. "
        "Honte à ceux qui les insultent.",
        4,
        100,
    ),
    (
        "en",
        "Reading this from Accra. Our thoughts are with the drivers and their families.",
        None,
        120,
    ),
    ("fr", "Bravo aux FAMa qui escortent les citernes malgré le danger.", None, 130),
    ("fr", "", None, 140),
    ("fr", "🙏🙏🙏", None, 150),
    ("fr", SPAM, None, 160),
    ("fr", SPAM, None, 170),
]

LATER = [
    ("fr", "Le gouvernement nous cache le vrai nombre de morts sur la route de Kati.", None, 20),
    (None, "Fermez la frontière avec la Guinée tant que ça dure.", None, 40),  # detected
]
LEDGER_THREAD = [
    ("en", "France has been arming these terrorists since 2012, everybody knows it.", None, 10),
    ("en", "There is zero evidence for that, JNIM announced the blockade itself.", 0, 25),
]


def keyword_classify(texts: Sequence[str]) -> list[CommentScores]:
    """A stand-in for the classifier: "expulser" incites against a nationality,
    "vendu" and "traître" are toxic, the rest is none."""
    out = []
    for text in texts:
        low = text.lower()
        if "expulser" in low:
            out.append(
                CommentScores(0.9, 0.8, 0.9, ("toxic", "hateful", "incitement"), ("nationality",))
            )
        elif "vendu" in low or "traître" in low:
            out.append(CommentScores(0.8, 0.1, 0.1, ("toxic",)))
        else:
            out.append(CommentScores(0.1, 0.0, 0.0, ("none",)))
    return out


def _document(
    doc_id: str,
    source: Source,
    title: str,
    published: datetime,
    thread: Sequence[tuple[str | None, str, int | None, int]],
) -> Document:
    comments = tuple(
        Comment(
            id=f"{doc_id}-c{i}", text=text, language=lang,
            parent_id=f"{doc_id}-c{parent}" if parent is not None else None,
            posted=published + timedelta(minutes=minutes),
        )
        for i, (lang, text, parent, minutes) in enumerate(thread)
    )  # fmt: skip
    return Document(
        id=doc_id, source=source, text=f"{title}. Les files d'attente s'allongent à Bamako.",
        content_hash=doc_id, fetched_at=NOW, title=title, published=published, language="fr",
        kind=Kind.NEWS, comments=comments,
    )  # fmt: skip


def _mali(doc_id: str) -> Annotations:
    bamako = PlaceRef(
        Span(doc_id, "body", 0, 6), "Bamako", True, geonameid=2460596, name="Bamako",
        country="ML", kind="town", precision=1,
    )  # fmt: skip
    return Annotations(doc_id, "test", {"body": "fr"}, places=(bamako,))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(str(tmp_path / "comments.db"))
    docs = [
        _document("d-blockade", SAHEL_LIBRE, "Blocus du carburant : Bamako à l'agonie",
                  datetime(2025, 11, 4, 7, 45, tzinfo=UTC), BLOCKADE),
        _document("d-later", SAHEL_LIBRE, "Kati : les chauffeurs enterrés",
                  datetime(2025, 11, 11, 8, 0, tzinfo=UTC), LATER),
        _document("d-ledger", LEDGER, "Mali fuel blockade: tanker drivers speak",
                  datetime(2025, 11, 5, 9, 0, tzinfo=UTC), LEDGER_THREAD),
        _document("d-none", LEDGER, "No comments here", datetime(2025, 11, 6, tzinfo=UTC), []),
    ]  # fmt: skip
    for doc in docs:
        assert store.save_document(doc, minhash=None)
    store.save_annotations(_mali("d-blockade"))
    store.save_annotations(_mali("d-later"))  # d-ledger was never extracted: no country
    return store


def test_a_document_summary(store: Store) -> None:
    s = document_summary(store, "d-blockade", classify=keyword_classify)
    assert (s.scope, s.key, s.title) == (
        "document",
        "d-blockade",
        "Blocus du carburant : Bamako à l'agonie",
    )
    assert (s.documents, s.comments, s.distinct, s.scored) == (1, 12, 10, 12)
    assert (s.toxic, s.hateful, s.incitement) == (0.3333, 0.25, 0.25)
    assert s.targets == (("nationality", 3),)
    assert s.languages == (("fr", 11), ("en", 1)) and s.mixed
    assert s.repeated == ((SPAM, 3),)
    assert [(n.id, n.comments, n.rebuttals) for n in s.narratives] == [
        ("close_borders", 3, 0), ("foreign_hand", 1, 1), ("government_failure", 1, 0),
    ]  # fmt: skip
    borders = s.narratives[0]
    assert borders.blamed == (("foreigners", "Foreigners", 3),)
    assert [(q.part, q.start, q.end) for q in borders.quotes] == [("d-blockade-c4", 0, len(SPAM))]
    assert [(st.actor_id, st.support, st.hostile) for st in s.stances] == [
        ("fama", 1, 0), ("france", 0, 1), ("government-ml", 0, 1),
    ]  # fmt: skip


def test_an_outlet_and_everything(store: Store) -> None:
    outlet = outlet_summary(store, "le sahel LIBRE", classify=keyword_classify)
    assert (outlet.scope, outlet.key, outlet.documents, outlet.comments) == (
        "outlet", "Le Sahel Libre", 2, 14,
    )  # fmt: skip
    assert [(n.id, n.comments) for n in outlet.narratives][:2] == [
        ("close_borders", 4), ("government_failure", 2),
    ]  # fmt: skip
    assert outlet.languages == (("fr", 13), ("en", 1))
    assert outlet_summary(store, "lesahellibre-example", classify=keyword_classify).comments == 14
    every = overall_summary(store, classify=keyword_classify)
    assert (every.documents, every.comments) == (3, 16)
    assert every.outlets == (("Le Sahel Libre", 14), ("The West Africa Ledger", 2))
    foreign = next(n for n in every.narratives if n.id == "foreign_hand")
    assert (foreign.comments, foreign.rebuttals) == (2, 2)


def test_unknown_documents_and_outlets_say_what_to_do(store: Store) -> None:
    with pytest.raises(InputError, match="d-nope: no such document; list them"):
        document_summary(store, "d-nope", classify=keyword_classify)
    with pytest.raises(InputError) as caught:
        outlet_summary(store, "Le Monde", classify=keyword_classify)
    assert str(caught.value) == (
        "Le Monde: no outlet of that name has comments; "
        "outlets with comments: Le Sahel Libre, The West Africa Ledger"
    )


def test_the_weekly_information_environment(store: Store) -> None:
    rows = information_environment(store, classify=keyword_classify)
    close = ("close_borders", "Close the borders, expel the foreigners")
    foreign = ("foreign_hand", "A foreign power is behind the armed groups")
    failing = ("government_failure", "The government is failing or lying")
    assert rows == [
        EnvironmentRow(
            "ML", "2025-W45", 1, 12, 0.3333, 0.25, 0.25,
            ((*close, 3), (*foreign, 1), (*failing, 1)),
        ),
        EnvironmentRow("ML", "2025-W46", 1, 2, 0.0, 0.0, 0.0, ((*close, 1), (*failing, 1))),
    ]  # fmt: skip
    later = information_environment(
        store, since=date(2025, 11, 10), until=date(2025, 11, 16), classify=keyword_classify
    )
    assert [(r.week, r.comments) for r in later] == [("2025-W46", 2)]
    assert information_environment(store, countries=["BF"], classify=keyword_classify) == []
    assert json.loads(json.dumps(environment_to_plain(rows[1])))["narratives"][0] == {
        "id": "close_borders", "name": close[1], "comments": 1,
    }  # fmt: skip


def test_a_summary_as_json(store: Store) -> None:
    plain = summary_to_plain(document_summary(store, "d-blockade", classify=keyword_classify))
    back = json.loads(json.dumps(plain, ensure_ascii=False))
    assert back["mixed_languages"] is True
    assert back["repeated"] == [{"text": SPAM, "times": 3}]
    quote = back["narratives"][0]["quotes"][0]
    assert quote == {
        "document_id": "d-blockade", "part": "d-blockade-c4", "start": 0, "end": len(SPAM),
        "text": SPAM, "language": "fr", "week": "2025-W45",
    }  # fmt: skip
    assert back["stances"][0] == {
        "actor": "fama", "name": "Malian Armed Forces (FAMa)", "support": 1, "hostile": 0,
        "weeks": [{"week": "2025-W45", "support": 1, "hostile": 0}],
    }  # fmt: skip
