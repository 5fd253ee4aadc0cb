"""eval/: gold judgments and claim pairs, matching and figures with hand-made predictions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eval import run
from eval.claims import (
    CLAIM_PAIRS_FILE,
    RELATIONS,
    ClaimPair,
    ClaimText,
    claim_figures,
    claim_misses,
    format_claims,
    load_pairs,
    load_relation,
    parse_pair,
    predict_relations,
    statement,
)
from eval.corpus import GOLD_DIR, GoldError, find_span
from eval.judgments import (
    HOLDER_KINDS,
    JUDGMENTS_FILE,
    LABELS,
    GoldJudgment,
    GoldJudgmentItem,
    format_judgments,
    judgment_figures,
    judgment_jobs,
    load_judgments,
    match_judgments,
    parse_item,
    score_item,
)

from tocsin.models import Annotations, Judgment, Span, Statement

TEXT = (
    "Une attaque contre Kayes provoquerait presque certainement une riposte, "
    "et un accord est peu probable d'ici la fin de l'année."
)


def at(surface: str, text: str = TEXT) -> tuple[int, int]:
    found = find_span(text, surface)
    assert found is not None, surface
    return found


def gold_item(*judgments: GoldJudgment, text: str = TEXT, lang: str = "fr") -> GoldJudgmentItem:
    return GoldJudgmentItem("g1", lang, date(2025, 10, 15), text, judgments)


def gold(cue: str, label: str, prop: str, **kw: Any) -> GoldJudgment:
    return GoldJudgment(at(cue), label, at(prop), **kw)


def pred(
    cue: str, label: str, prop: str, *, condition: str | None = None, part: str = "body", **kw: Any
) -> Judgment:
    c, p = at(cue), at(prop)
    cond = None if condition is None else Span("g1", part, *at(condition))
    return Judgment(
        span=Span("g1", part, 0, len(TEXT)),
        proposition=Span("g1", part, *p),
        cue=Span("g1", part, *c),
        cue_text=cue,
        low=0.0,
        high=1.0,
        label=label,
        condition=cond,
        **kw,
    )


def ann(*judgments: Judgment) -> Annotations:
    return Annotations("g1", "test", judgments=judgments)


AC, U = "almost certain", "unlikely"
G_CERTAIN = gold(
    "presque certainement", AC, "une riposte", condition=at("Une attaque contre Kayes")
)
G_UNLIKELY = gold("peu probable", U, "un accord", deadline=date(2025, 12, 31))


# ---------------------------------------------------------------- matching


def test_match_judgments_by_cue_overlap_one_to_one() -> None:
    preds = [
        pred("probable", U, "un accord"),  # overlaps "peu probable"
        pred("certainement", AC, "une riposte"),  # overlaps "presque certainement"
        pred("peu", U, "un accord"),  # overlaps too, but less: left out
        pred("riposte", AC, "une riposte"),  # no gold cue there
    ]
    assert match_judgments([G_CERTAIN, G_UNLIKELY], preds) == [(0, 1), (1, 0)]


def test_match_prefers_largest_overlap() -> None:
    preds = [pred("peu", U, "un accord"), pred("peu probable", U, "un accord")]
    assert match_judgments([G_UNLIKELY], preds) == [(0, 1)]


def test_score_item_counts_and_attributes() -> None:
    item = gold_item(G_CERTAIN, G_UNLIKELY)
    preds = ann(
        pred(
            "presque certainement",
            AC,
            "une riposte",
            condition="Une attaque contre Kayes",
        ),
        pred("peu probable", "very unlikely", "un accord", deadline=date(2025, 12, 30)),
        pred("riposte", "likely", "une riposte", holder_kind="person"),  # spurious
    )
    score = score_item(item, preds)
    assert (score.counts.tp, score.counts.n_gold, score.counts.n_pred) == (2, 2, 3)
    t = score.tallies
    assert (t["band"].right, t["band"].total) == (1, 2)
    assert (t["band_within_one"].right, t["band_within_one"].total) == (2, 2)
    assert (t["deadline"].right, t["deadline"].total) == (0, 1)
    assert (t["condition"].right, t["condition"].total) == (1, 1)
    assert (t["holder_kind"].right, t["holder_kind"].total) == (2, 2)
    assert (t["proposition"].right, t["future"].right, t["negated"].right) == (2, 2, 2)
    assert t["trend"].total == 0
    assert any("spurious" in m for m in score.misses)
    assert any("deadline" in m for m in score.misses)


def test_score_item_ignores_comment_parts_and_counts_missed() -> None:
    item = gold_item(G_CERTAIN, G_UNLIKELY)
    score = score_item(item, ann(pred("peu probable", U, "un accord", part="c1")))
    assert (score.counts.tp, score.counts.n_gold, score.counts.n_pred) == (0, 2, 0)
    assert sum("missed" in m for m in score.misses) == 2


def test_condition_missing_in_prediction_is_not_detected() -> None:
    score = score_item(gold_item(G_CERTAIN), ann(pred("presque certainement", AC, "une riposte")))
    assert (score.tallies["condition"].right, score.tallies["condition"].total) == (0, 1)


def test_figures_empty_run_is_zero_and_negatives_clean() -> None:
    negative = GoldJudgmentItem("n1", "en", date(2025, 1, 1), "Is it likely?", ())
    scores = [score_item(gold_item(G_CERTAIN, G_UNLIKELY), ann()), score_item(negative, ann())]
    figures = judgment_figures(scores)
    assert figures["judgments.f1"] == 0.0
    assert figures["judgments.recall"] == 0.0
    assert figures["judgments.band_accuracy"] == 0.0
    assert figures["judgments.fr.n_gold"] == 2
    assert figures["judgments.negatives_fp"] == 0
    assert figures["judgments.negatives_clean"] == 1.0
    lines = format_judgments(figures)
    assert any("negatives: 0 false positives" in line for line in lines)


def test_figures_with_predictions_and_a_false_positive() -> None:
    text = "Is it likely that the blockade ends?"
    negative = GoldJudgmentItem("n1", "en", date(2025, 1, 1), text, ())
    fp = Judgment(
        span=Span("n1", "body", 0, len(text)),
        proposition=Span("n1", "body", 18, 35),
        cue=Span("n1", "body", 6, 12),
        cue_text="likely",
        low=0.55,
        high=0.8,
        label="likely",
    )
    good = ann(
        pred("presque certainement", AC, "une riposte", condition="Une attaque contre Kayes"),
        pred("peu probable", U, "un accord", deadline=date(2025, 12, 31)),
    )
    scores = [score_item(gold_item(G_CERTAIN, G_UNLIKELY), good), score_item(negative, ann(fp))]
    figures = judgment_figures(scores)
    assert figures["judgments.recall"] == 1.0
    assert figures["judgments.precision"] == pytest.approx(2 / 3)
    assert figures["judgments.fr.precision"] == 1.0
    assert figures["judgments.en.n_gold"] == 0
    assert figures["judgments.band_accuracy"] == 1.0
    assert figures["judgments.deadline_accuracy"] == 1.0
    assert figures["judgments.holder_kind_accuracy"] == 1.0
    assert figures["judgments.condition_detection"] == 1.0
    assert figures["judgments.negatives_fp"] == 1
    assert figures["judgments.negatives_clean"] == 0.0


# ---------------------------------------------------------------- loading


def test_parse_item_spans_and_problems() -> None:
    problems: list[str] = []
    row = {
        "id": "x",
        "lang": "fr",
        "published": "2025-10-15",
        "text": TEXT,
        "judgments": [
            {
                "cue": "peu probable",
                "label": U,
                "proposition": "un accord",
                "holder_kind": "author",
                "deadline": "2025-12-31",
            },
            {"cue": "absent", "label": U, "proposition": "un accord"},
            {"cue": "peu probable", "label": "maybe", "proposition": "un accord"},
            {"cue": "peu probable", "label": U, "proposition": "un accord", "trend": "up"},
        ],
    }
    item = parse_item(row, problems)
    assert len(item.judgments) == 1
    assert item.judgments[0].cue == at("peu probable")
    assert item.judgments[0].deadline == date(2025, 12, 31)
    assert len(problems) == 3
    assert judgment_jobs([item])[0].published == date(2025, 10, 15)
    with pytest.raises(GoldError):
        parse_item({"id": "y", "text": "t"}, [])


def test_load_judgments_missing_file(tmp_path: Path) -> None:
    items, problems = load_judgments(tmp_path / JUDGMENTS_FILE)
    assert items == [] and problems == [f"{JUDGMENTS_FILE}: missing"]


# ---------------------------------------------------------------- gold files


def _rows(name: str) -> list[dict[str, Any]]:
    lines = (GOLD_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_gold_judgments_well_formed() -> None:
    rows = _rows(JUDGMENTS_FILE)
    assert len(rows) >= 90
    assert len({r["id"] for r in rows}) == len(rows)
    negatives = [r for r in rows if not r["judgments"]]
    assert len(negatives) >= 20
    langs = [r["lang"] for r in rows]
    assert {"fr", "en"} == set(langs)
    assert min(langs.count("fr"), langs.count("en")) >= 0.4 * len(rows)
    for r in rows:
        text = r["text"]
        date.fromisoformat(r["published"])
        for j in r["judgments"]:
            where = f"{r['id']} {j['cue']!r}"
            assert j["cue"] in text, where
            assert j["proposition"] in text, where
            assert j["condition"] is None or j["condition"] in text, where
            assert j["label"] in LABELS, where
            assert j["holder_kind"] in HOLDER_KINDS, where
            assert j["trend"] in (None, "rises", "falls"), where
            assert isinstance(j["future"], bool) and isinstance(j["negated"], bool), where
            if j["deadline"] is not None:
                assert date.fromisoformat(j["deadline"]) > date.fromisoformat(r["published"])
                assert j["future"], where
            if j["holder_kind"] in ("person", "organisation"):
                assert j["holder"], where
    items, problems = load_judgments(GOLD_DIR / JUDGMENTS_FILE)
    assert problems == []
    assert sum(len(i.judgments) for i in items) == sum(len(r["judgments"]) for r in rows)


def test_gold_judgments_cover_the_hard_cases() -> None:
    judgments = [j for r in _rows(JUDGMENTS_FILE) for j in r["judgments"]]
    assert {j["label"] for j in judgments} == set(LABELS)
    assert sum(1 for j in judgments if j["condition"]) >= 8
    assert {j["trend"] for j in judgments} >= {"rises", "falls"}
    assert sum(1 for j in judgments if j["deadline"]) >= 30
    assert sum(1 for j in judgments if not j["future"]) >= 8
    assert sum(1 for j in judgments if j["negated"]) >= 10
    assert len({j["holder_kind"] for j in judgments}) == len(HOLDER_KINDS)
    assert sum(1 for r in _rows(JUDGMENTS_FILE) if len(r["judgments"]) > 1) >= 5


def test_gold_claim_pairs_well_formed() -> None:
    rows = _rows(CLAIM_PAIRS_FILE)
    assert len(rows) >= 60
    assert len({r["id"] for r in rows}) == len(rows)
    pairs = load_pairs(GOLD_DIR / CLAIM_PAIRS_FILE)
    for rel in RELATIONS:
        share = sum(1 for p in pairs if p.relation == rel) / len(pairs)
        assert 0.25 <= share <= 0.42, rel
    assert sum(1 for p in pairs if p.cross_language) >= len(pairs) // 2
    assert all(p.a.lang in ("fr", "en") and p.b.lang in ("fr", "en") for p in pairs)
    assert len({(p.a.text, p.b.text) for p in pairs}) == len(pairs)


# ---------------------------------------------------------------- claims


PAIRS = [
    ClaimPair(
        "p1", ClaimText("Le convoi est arrivé.", "fr"), ClaimText("It arrived.", "en"), "same"
    ),
    ClaimPair("p2", ClaimText("A", "en"), ClaimText("B", "en"), "opposite"),
    ClaimPair("p3", ClaimText("C", "fr"), ClaimText("D", "en"), "different"),
    ClaimPair("p4", ClaimText("E", "fr"), ClaimText("F", "fr"), "same"),
]


def test_claim_figures() -> None:
    figures = claim_figures(PAIRS, ["same", "opposite", "same", "different"])
    assert figures["claims.same.precision"] == 0.5
    assert figures["claims.same.recall"] == 0.5
    assert figures["claims.opposite.precision"] == 1.0
    assert figures["claims.opposite.recall"] == 1.0
    assert figures["claims.accuracy"] == 0.5
    assert figures["claims.cross.n"] == 2
    assert figures["claims.cross.same.precision"] == 0.5
    assert figures["claims.cross.opposite.recall"] == 0.0
    assert len(claim_misses(PAIRS, ["same", "opposite", "same", "different"])) == 2
    assert format_claims(figures)[0].startswith("claims all: grouping P 0.500")


def test_predict_relations_builds_statements_and_survives_errors() -> None:
    seen: list[tuple[Statement, Statement]] = []

    def relation(a: Statement, b: Statement) -> str:
        seen.append((a, b))
        if a.text == "A":
            raise RuntimeError("boom")
        return "nonsense" if a.text == "C" else "same"

    errors: list[str] = []
    out = predict_relations(relation, PAIRS, errors=errors)
    assert out == ["same", "different", "different", "same"]
    assert len(errors) == 2
    a, b = seen[0]
    assert (a.source_id, b.source_id, a.stance, a.lang, b.lang) == ("a", "b", "affirms", "fr", "en")
    assert a.span == Span(a.document_id, "body", 0, len(a.text))
    assert a.document_id != b.document_id
    with pytest.raises(RuntimeError):
        predict_relations(relation, PAIRS[1:2])


def test_statement_and_parse_pair() -> None:
    s = statement("cp-1", "b", ClaimText("Texte.", "fr"))
    assert (s.id, s.source_id, s.span.end) == ("cp-1-b", "b", 6)
    with pytest.raises(GoldError):
        parse_pair({"id": "x", "a": {"text": "a"}, "b": {"text": "b"}, "relation": "similar"})
    with pytest.raises(GoldError):
        parse_pair({"id": "x", "a": {"text": ""}, "b": {"text": "b"}, "relation": "same"})


def test_missing_relation_module_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_relation(("tocsin.no_such_module",)) is None
    monkeypatch.setattr(run, "load_relation", lambda: None)
    lines, figures, misses = run.measure_claims(PAIRS, [])
    assert lines == ["claims: not measured (tocsin.assess.claims.register missing)"]
    assert figures == {} and misses == []


def test_pending_floors_name_measured_figures() -> None:
    """The judgment and claim floors of eval/floors.toml (pinned or still commented out)
    are figures we make."""
    lines = run.FLOORS.read_text(encoding="utf-8").splitlines()
    pending = [
        line.removeprefix("# ").split("=")[0].strip().strip('"')
        for line in lines
        if line.startswith(('# "judgments.', '# "claims.', '"judgments.', '"claims.'))
    ]
    assert len(pending) >= 8
    figures = judgment_figures([score_item(gold_item(G_CERTAIN), ann())])
    figures |= claim_figures(PAIRS, ["same"] * len(PAIRS))
    assert [name for name in pending if name not in figures] == []
