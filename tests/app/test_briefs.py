"""Briefs: the phrasing layer (dates, numbers, French typography, variants), quotes,
the one-line empty brief, the store round trip, and the briefs of the demo corpus pinned
in golden files (fr and en, Bamako and Mali, 7 and 30 days to 8 December 2025).

Refresh the goldens with TOCSIN_REFRESH_GOLDEN=1 after a deliberate change, then read the
diff: the briefs are meant to read as an analyst's.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tocsin.app.briefs import brief_id, build_brief
from tocsin.geo.areas import Area, resolve_area
from tocsin.models import (
    Brief,
    BriefSection,
    Citation,
    Event,
    EventReport,
    Sentence,
    SourcedReport,
    Span,
)
from tocsin.report.brief.evidence import (
    CredibilityIndex,
    Disagreement,
    DocInfo,
    Material,
    Outlook,
    cite,
    cite_report,
    sentence_at,
)
from tocsin.report.brief.gather import toll_disagreements
from tocsin.report.brief.render import render_brief
from tocsin.report.brief.text import NBSP, THIN_NBSP, Phrases, Quoted, seed_of
from tocsin.report.brief.writer import write_brief
from tocsin.store import Store, open_store

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "golden" / "briefs"
END = date(2025, 12, 8)
NOW = datetime(2025, 12, 8, 18, 0, tzinfo=UTC)
BAMAKO = Area(
    name="Bamako", scope="town", country="ML", admin1="Bamako", geonameid=2460596,
    lat=12.65, lon=-8.0, radius_km=50.0,
)  # fmt: skip
CASES = [
    (area, days, lang) for area in ("Bamako", "Mali") for days in (7, 30) for lang in ("en", "fr")
]


# ------------------------------------------------------------------ phrasing


def test_dates_and_periods_read_as_each_language_writes_them() -> None:
    fr, en = Phrases.load("fr"), Phrases.load("en")
    assert fr.date(date(2025, 12, 1)) == "1er décembre 2025"
    assert fr.date(date(2025, 12, 8)) == "8 décembre 2025"
    assert en.date(date(2025, 12, 8)) == "8 December 2025"
    assert fr.period(date(2025, 12, 1), END) == "du 1er au 8 décembre 2025"
    assert en.period(date(2025, 12, 1), END) == "between 1 and 8 December 2025"
    assert fr.period(date(2025, 11, 9), END) == "du 9 novembre au 8 décembre 2025"
    assert en.period(date(2025, 11, 9), END, form="title_period") == (
        "9 November – 8 December 2025"
    )
    assert en.period(date(2024, 12, 30), date(2025, 1, 5)) == (
        "between 30 December 2024 and 5 January 2025"
    )


def test_numbers_in_words_below_ten_with_gender_and_separators() -> None:
    fr, en = Phrases.load("fr"), Phrases.load("en")
    assert [fr.count(n, "event") for n in (0, 1, 2, 12)] == [
        "aucun événement", "un événement", "deux événements", "12 événements",
    ]  # fmt: skip
    assert fr.count(1, "convoy_attack") == "une attaque contre un convoi"
    assert fr.count(3, "source") == "trois sources indépendantes"
    assert en.count(2, "event") == "two events" and en.count(0, "event") == "no events"
    assert en.bare(0, "event") == "none" and fr.bare(0, "event") == "aucun"
    assert fr.figure(2500) == f"2{THIN_NBSP}500" and en.figure(2500) == "2,500"
    assert fr.band(0.55, 0.8, "likely") == f"55–80{NBSP}%"
    assert fr.fill("à {n} km", n=12) == f"à 12{NBSP}km"
    assert en.band(0.5, 0.9, "likely") == "55–80%"  # the ICD 203 band of the term
    assert fr.term("roughly even chance") == "aussi probable qu'improbable"
    assert en.join(["a", "b", "c"]) == "a, b and c" and fr.join(["a", "b"]) == "a et b"


def test_french_typography_contractions_and_elisions() -> None:
    fr = Phrases.load("fr")
    text = fr.fill("Selon {who} : attribuable à {actor} ; de {other} ? oui !", who="de Le Sahel",
                   actor="le JNIM", other="Agence")  # fmt: skip
    assert text == (
        f"Selon du Sahel{NBSP}: attribuable au JNIM{THIN_NBSP}; "
        f"d'Agence{THIN_NBSP}? oui{THIN_NBSP}!"
    )
    assert fr.fill("à {x}", x="les FAMa") == "aux FAMa"
    assert fr.fill("de {x}", x="une attaque") == "d'une attaque"
    assert fr.fill("« {q} »", q=Quoted("de le texte : tel quel")) == (
        f"«{NBSP}de le texte : tel quel{NBSP}»"
    )  # a source's words are left as they are
    en = Phrases.load("en")
    assert en.fill("Note : de le {x}", x="y") == "Note : de le y"  # English is left alone


def test_variants_are_chosen_by_content_and_never_twice_in_a_row() -> None:
    en = Phrases.load("en")
    key = "situation.types.one"
    first = en.variant(key, seed_of("a"))
    assert all(en.variant(key, seed_of("a")) == first for _ in range(3))
    seen = {en.variant(key, seed_of(i)) for i in range(40)}
    assert len(seen) == len(en.entry(key)) > 1
    assert en.variant(key, seed_of("a"), avoid=first) != first


def test_unknown_language_is_a_one_line_error() -> None:
    with pytest.raises(Exception, match="brief language 'de': not supported; use one of en, fr"):
        Phrases.load("de")


def test_quotes_are_the_sentence_around_the_evidence() -> None:
    text = (
        "KEY POINTS\n\n- JNIM will almost certainly sustain the blockade. It has paid a low "
        "price.\n\nM. Diop a déclaré que le convoi était attendu. Nov. 5 was quiet.\n"
        "| Kati – Kolokani | NO-GO | Ambush |\n1. Managed attrition (most likely). JNIM keeps "
        "up attacks on convoys every week, officials said."
    )
    assert sentence_at(text, text.index("sustain")) == (
        "JNIM will almost certainly sustain the blockade."
    )
    assert sentence_at(text, text.index("convoi")) == (
        "M. Diop a déclaré que le convoi était attendu."
    )
    assert sentence_at(text, text.index("NO-GO")) == "Kati – Kolokani · NO-GO · Ambush"
    assert sentence_at(text, text.index("Managed")) == (
        "Managed attrition (most likely). JNIM keeps up attacks on convoys every week, "
        "officials said."
    )  # a heading-like fragment takes the next sentence
    long = "Début. " + " ".join(f"mot{i}" for i in range(100)) + " fin."
    cut = sentence_at(long, long.index("mot50"), limit=80)
    assert cut.startswith("…") and cut.endswith("…") and "mot50" in cut and len(cut) <= 82


# --------------------------------------------------------------- empty brief


def test_nothing_new_is_one_line_in_each_language(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "empty.db"))
    for lang, line in (
        ("fr", "Rien de nouveau à signaler pour Bamako du 1er au 8 décembre 2025.\n"),
        ("en", "Nothing new to report for Bamako between 1 and 8 December 2025.\n"),
    ):
        brief = build_brief(store, area=BAMAKO, period_end=END, period_days=8, lang=lang, now=NOW)
        assert brief.empty and brief.created == NOW
        assert brief.id == brief_id(BAMAKO, lang, date(2025, 12, 1), END)
        assert render_brief(brief, "md").decode() == line
    mali = Area(name="Mali", scope="country", country="ML")
    brief = build_brief(store, area=mali, period_end=END, period_days=8, lang="fr", now=NOW)
    assert render_brief(brief, "md").decode() == (
        "Rien de nouveau à signaler pour le Mali du 1er au 8 décembre 2025.\n"
    )


# ------------------------------------------------------------------- store


def _sample(lang: str = "en", end: date = END) -> Brief:
    cite = Citation(
        document_id="d1", quote="Au moins 12 chauffeurs tués.", source="Agence", reliability="B",
        credibility=2, url="https://a.example/1", title="Titre", published=date(2025, 11, 4),
        ref_id="ev1",
    )  # fmt: skip
    return Brief(
        id=f"b-{lang}-{end}", area="Bamako", lang=lang, title="Bamako: brief",
        period_start=date(2025, 12, 2), period_end=end,
        sections=(BriefSection("key_points", "Key points", (Sentence("One.", (cite,)),)),),
        created=NOW,
    )  # fmt: skip


def _round_trip(store: Store) -> None:
    first, other = _sample(), _sample("fr", date(2025, 12, 1))
    store.save_brief(first, "# md\n")
    store.save_brief(other, "# fr\n")
    store.save_brief(replace(first, title="Bamako: again", created=None), "# md 2\n")
    got = store.get_brief(first.id)
    assert got == (replace(first, title="Bamako: again"), "# md 2\n")  # creation time kept
    assert [b.id for b in store.list_briefs()] == [first.id, other.id]
    assert [b.id for b in store.list_briefs(since=date(2025, 12, 5))] == [first.id]
    assert [b.id for b in store.list_briefs(until=date(2025, 12, 5), lang="fr")] == [other.id]
    assert store.list_briefs(area="Mali") == []
    assert store.get_brief("nope") is None


def test_briefs_round_trip_in_sqlite(tmp_path: Path) -> None:
    _round_trip(open_store(str(tmp_path / "b.db")))


def test_briefs_round_trip_in_postgresql(postgres_url: str) -> None:
    store = open_store(postgres_url)
    with store.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM briefs")
    _round_trip(store)


# ----------------------------------------------------- the demo corpus (models)


@pytest.fixture(scope="module")
def demo_briefs(demo_store: Store) -> dict[tuple[str, int, str], Brief]:
    areas = {name: resolve_area(name) for name in ("Bamako", "Mali")}
    return {
        (area, days, lang): build_brief(
            demo_store, area=areas[area], period_end=END, period_days=days, lang=lang, now=NOW
        )
        for area, days, lang in CASES
    }


@pytest.mark.parametrize(("area", "days", "lang"), CASES)
def test_demo_briefs_golden(
    demo_briefs: dict[tuple[str, int, str], Brief], area: str, days: int, lang: str
) -> None:
    got = render_brief(demo_briefs[(area, days, lang)], "md").decode("utf-8")
    path = GOLDEN / f"{area.lower()}-{days}d.{lang}.md"
    if os.environ.get("TOCSIN_REFRESH_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_demo_briefs_have_every_section_and_cite_every_sentence(
    demo_briefs: dict[tuple[str, int, str], Brief], demo_store: Store
) -> None:
    for (_area, days, lang), brief in demo_briefs.items():
        keys = [s.key for s in brief.sections]
        assert keys[:3] == ["key_points", "bottom_line", "situation"] and keys[-1] == "sources"
        assert {"actors", "scenarios", "indicators", "implications"} <= set(keys)
        points = brief.sections[0].sentences
        assert 3 <= len(points) <= 5
        for section in brief.sections:
            for i, sentence in enumerate(section.sentences):
                heading = not sentence.citations and len(section.sentences) > 1
                assert sentence.citations or heading, (section.key, sentence.text)
                if heading:  # a sub-heading stands before what it heads
                    assert i + 1 < len(section.sentences), sentence.text
                for c in sentence.citations:
                    assert c.quote and c.source and c.reliability in "ABCDEF"
                    assert demo_store.get_document(c.document_id) is not None
        scenarios = next(s for s in brief.sections if s.key == "scenarios").sentences
        term = "plus probable" if lang == "fr" else "Most likely"
        assert term in scenarios[0].text
        dangerous = "le plus dangereux" if lang == "fr" else "most dangerous"
        assert dangerous in scenarios[-1].text
        assert brief.period_end == END and (brief.period_end - brief.period_start).days == days - 1


def test_french_briefs_have_french_spacing_and_no_english_template_words(
    demo_briefs: dict[tuple[str, int, str], Brief],
) -> None:
    for (_area, _days, lang), brief in demo_briefs.items():
        if lang != "fr":
            continue
        for section in brief.sections:
            for sentence in section.sentences:
                own = re.sub(r"«[^»]*»", "", sentence.text)  # sources' words aside
                assert not re.search(r"\S[:;?!](\s|$)", own), sentence.text
                assert not re.search(r" [:;?!]", own), sentence.text
                assert not re.search(r"\b(?:de le|à le|de les|à les|de une|de un)\b", own)
                assert not re.search(r"\b(?:the|and|according|events)\b", own), sentence.text


def test_briefs_are_deterministic_and_now_only_stamps_them(
    demo_store: Store, demo_briefs: dict[tuple[str, int, str], Brief]
) -> None:
    later = datetime(2031, 1, 1, tzinfo=UTC)
    again = build_brief(
        demo_store, area=resolve_area("Bamako"), period_end=END, period_days=7, lang="fr",
        now=later,
    )  # fmt: skip
    assert again == replace(demo_briefs[("Bamako", 7, "fr")], created=later)


def test_a_period_before_the_corpus_is_nothing_new(demo_store: Store) -> None:
    brief = build_brief(
        demo_store, area=resolve_area("Bamako"), period_end=date(2025, 8, 20), lang="en", now=NOW
    )
    assert brief.empty
    assert render_brief(brief, "md").decode() == (
        "Nothing new to report for Bamako between 14 and 20 August 2025.\n"
    )


# ------------------------------------------------- the writer on hand-built material


def _material(lang: str) -> Material:
    texts = {
        "d1": "Au moins 12 chauffeurs ont été tués près de Kati, selon l'armée. Le JNIM "
        "devrait poursuivre ses attaques contre les convois d'ici au 31 décembre.",
        "d2": "Des dizaines de morts selon nos sources. Le convoi n'a jamais été attaqué.",
    }
    docs = {
        "d1": DocInfo(
            id="d1", source_id="asp", source="Agence Sahel Presse", kind="news",
            reliability="B", texts={"body": texts["d1"]}, title="Kati", published=END,
        ),
        "d2": DocInfo(
            id="d2", source_id="lsl", source="Le Sahel Libre", kind="news", reliability="D",
            texts={"body": texts["d2"]}, title="Le pouvoir ment", published=END,
        ),
    }  # fmt: skip
    index = CredibilityIndex()

    def report(doc: str, word: str, low: int) -> SourcedReport:
        at = texts[doc].index(word)
        span = Span(doc, "body", 0, len(texts[doc]))
        return SourcedReport(
            id=f"{doc}:{at}", source_id=docs[doc].source_id, reliability=docs[doc].reliability,
            report=EventReport(
                span=span, trigger=Span(doc, "body", at, at + len(word)), trigger_text=word,
                event_type="Violence against civilians", sub_event_type="Attack",
                fatalities=low, fatalities_low=low, tags=("convoy",),
            ),
        )  # fmt: skip

    event = Event(
        id="ev1", event_type="Violence against civilians", sub_event_type="Attack",
        event_date=date(2025, 12, 4), time_precision=1, actor1="jnim",
        actor1_name="JNIM: Group for Support of Islam and Muslims", inter1=2,
        actor2="civilians-mali", location="Kati", geonameid=2455558, lat=12.744, lon=-8.073,
        country="ML", admin1="Koulikoro", geo_precision=1, fatalities=12, fatalities_low=12,
        fatalities_high=20, tags=("convoy",), status="corroborated", independent=2,
        reports=(report("d1", "tués", 12), report("d2", "morts", 20)),
    )  # fmt: skip
    citations = {"ev1": tuple(cite_report(r, docs, index, "ev1") for r in event.reports)}
    cue = texts["d1"].index("devrait")
    outlook = Outlook(
        key="f1", doc=docs["d1"], text=sentence_at(texts["d1"], cue), label="likely",
        low=0.55, high=0.8, citation=cite(docs["d1"], "body", cue, credibility=index),
        deadline=date(2025, 12, 31), made_on=END, actors=("jnim",), danger=1,
    )  # fmt: skip
    denial = cite(docs["d2"], "body", texts["d2"].index("jamais"), credibility=index)
    return Material(
        area_name="Bamako", area_scope="town", area_key="town:2460596", lang=lang,
        period_start=date(2025, 12, 2), period_end=END, days=7, events=(event,),
        citations=citations, outlooks=(outlook,), new_judgments=1,
        disagreements=(
            *toll_disagreements([event], docs, index),
            Disagreement(
                kind="claim", sides=(("affirms", citations["ev1"][0]), ("denies", denial))
            ),
        ),
        docs=docs, severity={"ev1": 3},
    )  # fmt: skip


def test_writer_states_contradictions_plainly_and_cites_each_side() -> None:
    expected = {
        "en": [
            "Sources disagree on the toll of an attack on a convoy in Kati on 4 December: at "
            "least 12 dead according to Agence Sahel Presse (B) and at least 20 dead according "
            "to Le Sahel Libre (D).",
            "Agence Sahel Presse (B) states “Au moins 12 chauffeurs ont été tués près de Kati, "
            "selon l'armée”, which Le Sahel Libre (D) contradicts: “Le convoi n'a jamais été "
            "attaqué”.",
        ],
        "fr": [
            "Les sources divergent sur le bilan d'une attaque contre un convoi à Kati, le 4 "
            f"décembre{NBSP}: au moins 12 morts selon l'Agence Sahel Presse (B) et au moins 20 "
            "morts selon Le Sahel Libre (D).",
            f"L'Agence Sahel Presse (B) affirme «{NBSP}Au moins 12 chauffeurs ont été tués près "
            f"de Kati, selon l'armée{NBSP}», ce que dément Le Sahel Libre (D){NBSP}: «{NBSP}Le "
            f"convoi n'a jamais été attaqué{NBSP}».",
        ],
    }
    for lang in ("en", "fr"):
        brief = write_brief(_material(lang), Phrases.load(lang))
        section = next(s for s in brief.sections if s.key == "contradictions")
        assert [s.text for s in section.sentences] == expected[lang]
        assert [len(s.citations) for s in section.sentences] == [2, 2]
        for s in brief.sections:
            headings = [x.text for x in s.sentences if not x.citations]
            assert headings in ([], ["Main events"], ["Principaux événements"], ["JNIM"]), headings
        scenarios = next(s for s in brief.sections if s.key == "scenarios")
        assert ("31 décembre 2025" if lang == "fr" else "by 31 December 2025") in (
            scenarios.sentences[0].text
        )
