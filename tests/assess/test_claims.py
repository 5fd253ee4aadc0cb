"""Claims: stance, relation of statements across languages, grouping, independence,
contradictions, statements from annotations, and hostile input.

The real sentence encoder is used (it is small and loads once per module)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from tocsin.assess.claims.register import (
    ClaimIndex,
    independent_sources,
    relation,
    stance_of,
    statements_from,
)
from tocsin.assess.claims.stance import load_stance_lexicon, read_stance
from tocsin.assess.encoder import Encoder, shared_encoder
from tocsin.errors import ConfigError
from tocsin.models import (
    ActorRef,
    Annotations,
    Attribution,
    Document,
    Judgment,
    PlaceRef,
    Source,
    Span,
    Statement,
    TimeRef,
)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return shared_encoder()


def st(
    text: str,
    lang: str = "fr",
    *,
    sid: str | None = None,
    source: str | None = None,
    stance: str | None = None,
    actors: frozenset[str] = frozenset(),
    places: frozenset[int] = frozenset(),
    copy_of: str | None = None,
    cites: frozenset[str] = frozenset(),
    day: int = 1,
) -> Statement:
    sid = sid or f"s{abs(hash(text)) % 10**8}"
    return Statement(
        id=sid,
        document_id=f"doc-{sid}",
        source_id=source or f"src-{sid}",
        span=Span(f"doc-{sid}", "body", 0, len(text)),
        text=text,
        lang=lang,
        stance=stance or stance_of(text, lang),
        actors=actors,
        places=places,
        copy_of=copy_of,
        cites=cites,
        published=datetime(2025, 10, day, tzinfo=UTC),
    )


# ---------------------------------------------------------------------------- stance


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("L'armée malienne a repris le contrôle de Kidal.", "fr", "affirms"),
        ("L'armée malienne n'a pas repris le contrôle de Kidal.", "fr", "denies"),
        ("Aucun civil n'a été tué dans l'attaque.", "fr", "denies"),
        ("Il n'y a plus aucun soldat à Ménaka.", "fr", "denies"),
        ("Le gouvernement a démenti que l'armée ait perdu Kidal.", "fr", "denies"),
        ("L'information selon laquelle Kidal est tombée est fausse.", "fr", "denies"),
        ("L'armée dément ne pas contrôler la route.", "fr", "affirms"),
        ("Des hommes armés non identifiés ont attaqué le village.", "fr", "affirms"),
        ("Avant qu'il ne parte, le ministre a signé le décret.", "fr", "affirms"),
        ("L'armée devrait se retirer de Kidal d'ici six mois.", "fr", "forecasts"),
        ("The army does not control the national road.", "en", "denies"),
        ("The army hasn't retaken Kidal and never will.", "en", "forecasts"),
        ("No civilians were killed in the strike.", "en", "denies"),
        ("The ministry denied that soldiers had left Menaka.", "en", "denies"),
        ("Not only the army but also militias attacked the village.", "en", "affirms"),
        ("The army will withdraw from Kidal next month.", "en", "forecasts"),
        ("The army won't withdraw from Kidal.", "en", "forecasts"),
    ],
)
def test_stance(text: str, lang: str, expected: str) -> None:
    assert stance_of(text, lang) == expected


def test_stance_neutral_text_drops_cues() -> None:
    reading = read_stance("Le ministère dément que des civils aient été tués à Djibo.", "fr")
    assert reading.negative and reading.denial
    assert reading.neutral == "des civils aient été tués à Djibo."
    assert (
        read_stance("The army did not retake Kidal.", "en").neutral == "The army did retake Kidal."
    )


def test_stance_lexicon_user_file(tmp_path: Path) -> None:
    extra = tmp_path / "stance.toml"
    extra.write_text('[fr]\ndenials = ["balaie d\'un revers de main"]\n', encoding="utf-8")
    lexicon = load_stance_lexicon(extra)
    text = "Le ministre balaie d'un revers de main les rumeurs de coup d'État."
    assert read_stance(text, "fr", lexicon=lexicon).stance == "denies"
    assert stance_of(text, "fr") == "affirms"
    bad = tmp_path / "bad.toml"
    bad.write_text("[fr]\nnegators = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_stance_lexicon(bad)
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        load_stance_lexicon(tmp_path / "missing.toml")


# -------------------------------------------------------------------------- relation

SAME = [
    (
        "L'armée malienne a repris le contrôle de Kidal.",
        "The Malian army has retaken control of Kidal.",
    ),
    (
        "L'armée malienne a repris le contrôle de Kidal.",
        "Les forces armées maliennes ont reconquis Kidal.",
    ),
    (
        "Des hommes armés ont attaqué un convoi près de Gao mardi.",
        "Gunmen attacked a convoy near Gao on Tuesday.",
    ),
    (
        "La route nationale entre Mopti et Gao est coupée depuis trois semaines.",
        "The national road between Mopti and Gao has been cut for three weeks.",
    ),
    ("Le Tchad a fermé sa frontière avec le Soudan.", "Chad has closed its border with Sudan."),
    ("Le ministre a déclaré que l'armée avait repris Kidal.", "The Malian army retook Kidal."),
]
OPPOSITE = [
    (
        "L'armée malienne a repris le contrôle de Kidal.",
        "L'armée malienne n'a pas repris le contrôle de Kidal.",
    ),
    ("Des civils ont été tués dans l'attaque.", "Aucun civil n'a été tué dans l'attaque."),
    (
        "The government denied that the army had withdrawn from Menaka.",
        "The army withdrew from Menaka.",
    ),
    (
        "Le ministère dément que des civils aient été tués à Djibo.",
        "Civilians were killed in Djibo.",
    ),
    ("Wagner fighters have left Mali.", "Les combattants de Wagner n'ont pas quitté le Mali."),
    (
        "The army is unlikely to withdraw from Kidal before June.",
        "L'armée se retirera de Kidal avant juin, elle va partir.",
    ),
]
DIFFERENT = [
    (
        "L'armée malienne a repris le contrôle de Kidal.",
        "L'armée malienne a repris le contrôle de Tessalit.",
    ),
    (
        "Des hommes armés ont attaqué un convoi près de Gao mardi.",
        "Des hommes armés ont attaqué un marché près de Mopti jeudi.",
    ),
    ("JNIM claimed the attack on Boulkessi.", "ISGS claimed the attack on Boulkessi."),
    (
        "Le gouvernement a décrété un couvre-feu à Niamey.",
        "Le gouvernement a augmenté le prix du carburant.",
    ),
    ("The army controls the entire national road.", "The road has been cut for three weeks."),
    ("Les combats ont fait 40 morts à Ménaka.", "Les combats ont fait 12 morts à Ménaka."),
]


def _lang(text: str) -> str:
    return "en" if any(w in text.split() for w in ("The", "the", "has", "have", "was")) else "fr"


@pytest.mark.parametrize(
    ("expected", "pairs"), [("same", SAME), ("opposite", OPPOSITE), ("different", DIFFERENT)]
)
def test_relation(encoder: Encoder, expected: str, pairs: list[tuple[str, str]]) -> None:
    for a, b in pairs:
        sa, sb = st(a, _lang(a), stance="affirms"), st(b, _lang(b), stance="affirms")
        if expected == "opposite" and "unlikely" in a:
            sa, sb = st(a, "en"), st(b, "fr")  # two forecasts
        assert relation(sa, sb, encoder=encoder) == expected, (a, b)
        assert relation(sb, sa, encoder=encoder) == expected, (b, a)


def test_relation_uses_annotations(encoder: Encoder) -> None:
    a = st("Des hommes armés ont attaqué le poste de la ville.", places=frozenset({1}))
    b = st("Des hommes armés ont attaqué le poste de la ville.", places=frozenset({2}), sid="x")
    assert relation(a, b, encoder=encoder) == "different"
    c = st("Gunmen attacked the town's post.", "en", places=frozenset({1}), actors=frozenset({"x"}))
    assert relation(a, c, encoder=encoder) == "same"
    d = st("Gunmen attacked the town's post.", "en", places=frozenset({1}), sid="d")
    assert relation(a, d, encoder=encoder) == "same"


# ------------------------------------------------------------------------ the index


def _corpus() -> list[Statement]:
    kidal = frozenset({"fama"}), frozenset({2455290})
    return [
        st(
            "L'armée malienne a repris le contrôle de Kidal.",
            sid="a1",
            source="rfi",
            actors=kidal[0],
            places=kidal[1],
            day=2,
        ),
        st(
            "The Malian army has retaken control of Kidal.",
            "en",
            sid="a2",
            source="reuters",
            actors=kidal[0],
            places=kidal[1],
            day=3,
        ),
        st(
            "Les forces armées maliennes ont reconquis Kidal.",
            sid="a3",
            source="rfi",
            actors=kidal[0],
            places=kidal[1],
            day=4,
        ),
        st(
            "L'armée malienne n'a pas repris le contrôle de Kidal.",
            sid="a4",
            source="csp",
            actors=kidal[0],
            places=kidal[1],
            day=5,
        ),
        st(
            "La pénurie de carburant provoque de longues files d'attente à Ouagadougou.",
            sid="b1",
            source="lefaso",
            places=frozenset({2357048}),
            day=1,
        ),
        st(
            "Fuel shortages have caused long queues in Ouagadougou.",
            "en",
            sid="b2",
            source="bbc",
            places=frozenset({2357048}),
            day=6,
        ),
        st(
            "Le gouvernement a décrété un couvre-feu à Niamey.", sid="c1", source="actuniger", day=7
        ),
    ]


def test_index_groups_across_languages(encoder: Encoder) -> None:
    index = ClaimIndex(encoder=encoder)
    index.add(_corpus())
    claims = {tuple(sorted(s.id for s in c.statements)) for c in index.claims()}
    assert claims == {("a1", "a2", "a3", "a4"), ("b1", "b2"), ("c1",)}
    kidal = next(c for c in index.claims() if len(c.statements) == 4)
    assert kidal.contradicted
    assert kidal.independent == 2  # rfi twice, reuters; the denial does not corroborate
    assert kidal.statements[0].id == "a1"  # earliest first
    fuel = next(c for c in index.claims() if len(c.statements) == 2)
    assert fuel.independent == 2 and not fuel.contradicted


def test_index_is_incremental_and_stable(encoder: Encoder) -> None:
    batch = ClaimIndex(encoder=encoder)
    batch.add(_corpus())
    one_by_one = ClaimIndex(encoder=encoder)
    for statement in reversed(_corpus()):
        one_by_one.add([statement])
    one_by_one.add(_corpus())  # already indexed: skipped
    assert len(one_by_one) == len(_corpus())
    assert {c.id for c in batch.claims()} == {c.id for c in one_by_one.claims()}
    assert {c.id: c.independent for c in batch.claims()} == {
        c.id: c.independent for c in one_by_one.claims()
    }


def test_contradictions_list_both_statements(encoder: Encoder) -> None:
    index = ClaimIndex(encoder=encoder)
    index.add(_corpus())
    pairs = {(a.id, b.id) for a, b in index.contradictions()}
    assert pairs == {("a1", "a4"), ("a2", "a4"), ("a3", "a4")}


def test_independence() -> None:
    text = "L'armée a repris Kidal après trois jours de combats."
    base = st(text, sid="o", source="afp-com")
    copy = st(text, sid="c", source="lemonde-fr", copy_of="doc-o")
    same_outlet = st(text, sid="s", source="afp-com")
    citing = st(text, sid="k", source="rfi-fr", cites=frozenset({"l'AFP"}))
    other = st(text, sid="r", source="reuters-com")
    relays = [
        st(text, sid="m1", source="maliweb", cites=frozenset({"le ministre Diop"})),
        st(text, sid="m2", source="studio-tamani", cites=frozenset({"Le ministre Diop"})),
    ]
    assert independent_sources([base, copy, same_outlet, citing]) == 1
    assert independent_sources([base, other]) == 2
    assert independent_sources([base, other, *relays]) == 3
    assert independent_sources([]) == 0


def test_index_near_duplicates_count_once(encoder: Encoder) -> None:
    text = "Des hommes armés ont incendié le marché de Djibo dimanche soir."
    index = ClaimIndex(encoder=encoder)
    index.add(
        [
            st(text, sid="d1", source="lefaso"),
            st(text, sid="d2", source="aib", copy_of="doc-d1"),
            st(
                "Armed men set fire to the Djibo market on Sunday evening.",
                "en",
                sid="d3",
                source="bbc",
            ),
        ]
    )
    (claim,) = index.claims()
    assert claim.independent == 2


# ---------------------------------------------------------------- statements_from


def _document() -> tuple[Document, Annotations]:
    text = (
        "Selon l'AFP, l'armée malienne a repris le contrôle de Kidal le 14 novembre. "
        "Le gouvernement a démenti que des civils aient été tués à Kidal. "
        "Merci pour tout. "
        "Les rebelles devraient se retirer vers la frontière dans les prochaines semaines."
    )
    did = "doc-1"

    def span(sub: str, part: str = "body") -> Span:
        start = text.index(sub)
        return Span(did, part, start, start + len(sub))

    claim1 = span("l'armée malienne a repris le contrôle de Kidal le 14 novembre.")
    claim2 = span("des civils aient été tués à Kidal.")
    claim3 = span(
        "Les rebelles devraient se retirer vers la frontière dans les prochaines semaines."
    )
    ann = Annotations(
        document_id=did,
        extractor_version="test",
        languages={"body": "fr"},
        actors=(ActorRef(span("l'armée malienne"), "l'armée malienne", "fama", "FAMa", 1),),
        places=(
            PlaceRef(span("Kidal le"), "Kidal", True, geonameid=2455290, name="Kidal"),
            PlaceRef(span("Kidal."), "Kidal", True, geonameid=2455290, name="Kidal"),
        ),
        times=(
            TimeRef(
                span("14 novembre"),
                "14 novembre",
                "date",
                "2025-11-14",
                date(2025, 11, 14),
                date(2025, 11, 14),
                "day",
            ),
            TimeRef(
                span("dans les prochaines semaines"),
                "dans les prochaines semaines",
                "horizon",
                "2025-11-15/2025-12-27",
                date(2025, 11, 15),
                date(2025, 12, 27),
                "week",
                True,
            ),
        ),
        attributions=(
            Attribution(claim1, "organisation", span("Selon l'AFP,"), "l'AFP"),
            Attribution(
                claim2,
                "official_statement",
                span("Le gouvernement a démenti que"),
                "Le gouvernement",
            ),
            Attribution(span("Merci pour tout."), "author"),
            Attribution(claim3, "author"),
            Attribution(Span(did, "c1", 0, 40), "author"),  # a comment: not the body
        ),
        judgments=(Judgment(claim3, claim3, span("devraient"), "devraient", 0.55, 0.8, "likely"),),
    )
    source = Source("lemonde-fr", "Le Monde", "lemonde.fr")
    doc = Document(
        did,
        source,
        text,
        "h",
        datetime(2025, 11, 15, tzinfo=UTC),
        published=datetime(2025, 11, 15, tzinfo=UTC),
        language="fr",
    )
    return doc, ann


def test_statements_from_annotations() -> None:
    doc, ann = _document()
    statements = statements_from(doc, ann, copy_of="doc-0")
    assert [s.stance for s in statements] == ["affirms", "denies", "forecasts"]
    first, second, third = statements
    assert first.text.startswith("l'armée malienne a repris")
    assert first.actors == {"fama"} and first.places == {2455290} and first.times == {"2025-11-14"}
    assert first.cites == {"l'AFP"} and first.attribution == "organisation"
    assert first.source_id == "lemonde-fr" and first.copy_of == "doc-0"
    assert first.published == doc.published and first.lang == "fr"
    assert second.cites == frozenset() and second.places == {2455290}
    assert third.times == {"2025-11-15/2025-12-27"}
    assert [s.id for s in statements_from(doc, ann)] == [s.id for s in statements]
    assert len({s.id for s in statements}) == 3


# ---------------------------------------------------------------------- hostile input

HOSTILE = ["", "   ", "🔥🔥💥 🙏", "n'", "pas pas pas ne ne", "\x00\x01 «»", "Kidal " * 1_000]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(encoder: Encoder, text: str) -> None:
    assert stance_of(text, "fr") in {"affirms", "denies", "forecasts"}
    assert stance_of(text, None) in {"affirms", "denies", "forecasts"}
    other = st("L'armée malienne a repris le contrôle de Kidal.")
    assert relation(st(text, sid="h"), other, encoder=encoder) in {"same", "different", "opposite"}
    index = ClaimIndex(encoder=encoder)
    index.add([st(text, sid="h1"), st(text, sid="h2", source="x"), other])
    assert sum(len(c.statements) for c in index.claims()) == 3


def test_hostile_documents_never_raise() -> None:
    doc, _ = _document()
    long = "L'armée a repris Kidal " + "et encore " * 1_200 + "."
    broken = Annotations(
        doc.id,
        "test",
        attributions=(
            Attribution(Span(doc.id, "body", -5, 10**6), "author"),
            Attribution(Span(doc.id, "body", 50, 10), "author"),
            Attribution(
                Span(doc.id, "body", 0, len(long)), "person", Span(doc.id, "body", 10**5, 10**5 + 3)
            ),
        ),
    )
    for text in ("", "🔥" * 50, long):
        out = statements_from(Document(doc.id, doc.source, text, "h", doc.fetched_at), broken)
        assert all(s.stance in {"affirms", "denies", "forecasts"} for s in out)


def test_encoder_vectors(encoder: Encoder) -> None:
    vectors = encoder.encode(["L'armée a repris Kidal.", "", "🔥", "The army retook Kidal."])
    assert vectors.shape == (4, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.similarity("L'armée a repris Kidal.", "The army retook Kidal.") > 0.7
    assert encoder.vector("L'armée a repris Kidal.") @ vectors[0] == pytest.approx(1.0, abs=1e-5)
    small = Encoder(cache_size=2)
    small.encode(["a b", "c d", "e f"])
    assert small.cached() == 2


# ---------------------------------------------------------------- contrary states


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            "Le pont de Gao a rouvert à la circulation.",
            "The Gao bridge is still closed.",
            "opposite",
        ),
        (
            "Les prix du riz ont flambé à Kayes.",
            "Rice prices in Kayes fell this month.",
            "opposite",
        ),
        ("Les écoles ont rouvert à Gao.", "Schools reopened in Gao on Monday.", "same"),
        ("Les écoles ont rouvert à Gao.", "The Mopti market is closed.", "different"),
    ],
)
def test_contrary_states_without_negation(encoder: Encoder, a: str, b: str, expected: str) -> None:
    sa, sb = st(a, _lang(a), stance="affirms"), st(b, _lang(b), stance="affirms")
    assert relation(sa, sb, encoder=encoder) == expected
    assert relation(sb, sa, encoder=encoder) == expected


def test_contrary_lexicon_user_file_and_errors(tmp_path: Path) -> None:
    from tocsin.assess.claims.contrary import contrary, load_contrary

    extra = tmp_path / "more.toml"
    extra.write_text('[[concept]]\nname = "wet / dry"\na = ["wet"]\nb = ["dry*"]\n')
    concepts = load_contrary(extra)
    assert concepts[-1].name == "wet / dry"
    assert contrary(frozenset({"wet"}), "wet", frozenset({"drying"}), "drying", concepts=concepts)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[concept]]\nname = "x"\na = ["ok"]\n')
    with pytest.raises(ConfigError, match=r"bad\.toml: concept 'x' needs a list `b`"):
        load_contrary(bad)
