"""Highlight segments of annotations, search words and snippets."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from tocsin.models import (
    ActorRef,
    Annotations,
    Attribution,
    EventReport,
    Judgment,
    PlaceRef,
    Span,
    TimeRef,
)
from tocsin.report.highlights import Mark, Segment, highlight, segments
from tocsin.text.snippets import MAX_TERM, MAX_TERMS, fold, snippet, words

TEXT = "Selon l'armée, le JNIM a attaqué Kati hier ; une reprise est peu probable."


def _at(part: str, needle: str, text: str = TEXT) -> Span:
    start = text.index(needle)
    return Span("d1", part, start, start + len(needle))


def _annotations() -> Annotations:
    clause = _at("body", "le JNIM a attaqué Kati hier")
    return Annotations(
        document_id="d1",
        extractor_version="test",
        actors=(ActorRef(_at("body", "JNIM"), "JNIM", "jnim", "JNIM", 2),),
        places=(
            PlaceRef(_at("body", "Kati"), "Kati", True, 1, "Kati", 12.7, -8.1, "ML", precision=1),
            PlaceRef(_at("c1", "Kati"), "Kati", False, reason="no candidate"),
        ),
        times=(
            TimeRef(_at("body", "hier"), "hier", "date", "2025-12-05", None, None, "day", True),
        ),
        attributions=(
            Attribution(clause, "organisation", cue=_at("body", "Selon l'armée"), source="l'armée"),
            Attribution(_at("body", "une reprise"), "author"),  # no cue: nothing to show
        ),
        judgments=(
            Judgment(
                span=_at("body", "une reprise est peu probable"),
                proposition=_at("body", "une reprise"),
                cue=_at("body", "peu probable"),
                cue_text="peu probable",
                low=0.2,
                high=0.45,
                label="unlikely",
            ),
        ),
        events=(
            EventReport(
                span=clause,
                trigger=_at("body", "a attaqué"),
                trigger_text="a attaqué",
                event_type="Battles",
                sub_event_type="Armed clash",
                actor1_name="JNIM",
                location="Kati",
                event_date=date(2025, 12, 5),
            ),
        ),
    )


def test_segments_of_a_part_cover_its_text_in_order() -> None:
    found = highlight(TEXT, "body", _annotations())
    assert "".join(s.text for s in found) == TEXT
    assert [(s.text, s.kinds) for s in found] == [
        ("Selon l'armée", ("cue",)),
        (", le ", ()),
        ("JNIM", ("actor",)),
        (" ", ()),
        ("a attaqué", ("event",)),
        (" ", ()),
        ("Kati", ("place",)),
        (" ", ()),
        ("hier", ("time",)),
        (" ; une reprise est ", ()),
        ("peu probable", ("judgment",)),
        (".", ()),
    ]
    titles = {s.text: s.title for s in found if s.kinds}
    assert titles["JNIM"] == "actor: jnim · JNIM"
    assert titles["Kati"] == "place: Kati, ML (None) · 12.7000, -8.1000 · precision 1"
    assert titles["hier"] == "date: 2025-12-05 · day (relative)"
    assert titles["Selon l'armée"] == "claim: organisation: l'armée"
    assert titles["peu probable"] == "judgment: unlikely (20%–45%) · author"
    assert titles["a attaqué"].startswith("event: Battles / Armed clash · JNIM · Kati")
    assert all(s.start == TEXT.index(s.text) for s in found if s.kinds)


def test_a_comment_part_gets_only_its_own_annotations() -> None:
    found = highlight(TEXT, "c1", _annotations())
    assert [(s.text, s.kinds) for s in found if s.kinds] == [("Kati", ("unresolved",))]
    assert highlight(TEXT, "c2", _annotations()) == [Segment(TEXT, (), "", 0)]
    assert highlight(TEXT, "body", None) == [Segment(TEXT)]


def test_overlapping_marks_are_cut_where_they_start_and_end() -> None:
    found = segments(
        "abcdefghij",
        [
            Mark(2, 6, "event", "E"),
            Mark(0, 4, "actor", "A"),
            Mark(4, 8, "cue", "C"),
            Mark(8, 20, "time", "T"),  # runs past the end: clipped
            Mark(5, 5, "place", "empty"),  # empty: dropped
            Mark(-3, -1, "place", "before"),  # outside: dropped
        ],
    )
    assert [(s.text, s.kinds, s.title) for s in found] == [
        ("ab", ("actor",), "A"),
        ("cd", ("actor", "event"), "A | E"),
        ("ef", ("cue", "event"), "C | E"),
        ("gh", ("cue",), "C"),
        ("ij", ("time",), "T"),
    ]
    assert segments("", []) == [Segment("")]


@given(
    st.text(max_size=60),
    st.lists(
        st.tuples(
            st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["actor", "place", "time"])
        ),
        max_size=12,
    ),
)
def test_segments_always_rebuild_the_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    found = segments(text, [Mark(a, b, kind, kind) for a, b, kind in spans])
    assert "".join(s.text for s in found) == text
    assert all(s.text for s in found) or text == ""
    for left, right in pairwise(found):
        assert (left.kinds, left.title) != (right.kinds, right.title)  # merged when equal
        assert left.start + len(left.text) == right.start


def test_words_are_what_an_index_would_cut() -> None:
    assert words("Ségou") == ("Ségou",)
    assert words('"AND" OR NEAR(kati, 5) * -x ^bamako: col:val') == (
        "AND",
        "OR",
        "NEAR",
        "kati",
        "5",
        "x",
        "bamako",
        "col",
        "val",
    )
    assert words("l'armée des_camions-citernes") == ("l", "armée", "des", "camions", "citernes")
    assert words("KATI kati Kâti") == ("KATI",)
    assert words("()*\"'") == ()
    assert len(words(" ".join(f"w{i}" for i in range(100)))) == MAX_TERMS
    assert words("x" * 500) == ("x" * MAX_TERM,)
    assert fold("Ségou") == fold("SEGOU") == "segou"


def test_snippet_marks_matches_by_offsets() -> None:
    text = "Intro. " + "mot " * 100 + "À Ségou, les stations de SEGOU sont vides. " + "fin " * 100
    found = snippet(text, ["segou"], width=80)
    assert found.clipped_start and found.clipped_end
    assert [found.text[s:e] for s, e in found.marks] == ["Ségou", "SEGOU"]
    assert found.pieces()[1] == ("Ségou", True)
    assert "".join(p for p, _ in found.pieces()) == found.text
    start = snippet("Kati est loin.", ["kati"])
    assert start.text == "Kati est loin." and start.marks == ((0, 4),)
    assert not start.clipped_start and not start.clipped_end
    none = snippet("Rien ici " * 50, ["absent"], width=40)
    assert none.marks == () and none.text.startswith("Rien ici") and none.clipped_end
