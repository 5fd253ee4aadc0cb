"""Run Tocsin on the gold files, print the figures, and enforce the floors.

    .venv/bin/python eval/run.py [--json FILE] [--floors FILE] [--verbose]

Exit status: 0 when every metric named in the floors file is at or above its floor,
1 when one is not (one line each) or when the extractor raised on a gold text (it must
never raise; the text is scored as if nothing was found), 2 when the gold files cannot
be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: `python eval/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.acled_notes import AREA_OF_INTEREST, measure_acled, miss_line
from eval.acled_notes import skip_unmeasured as skip_unmeasured_acled
from eval.claims import (
    CLAIM_PAIRS_FILE,
    ClaimPair,
    claim_figures,
    claim_misses,
    format_claims,
    load_pairs,
    load_relation,
    predict_relations,
)
from eval.comments import COMMENTS_FILE, measure_comments, skip_unmeasured
from eval.corpus import (
    GOLD_DIR,
    NOTES_FILE,
    PARAGRAPH_FILES,
    GoldError,
    annotate_all,
    load_notes,
    load_paragraphs,
    note_jobs,
    paragraph_jobs,
)
from eval.events import (
    event_figures,
    format_events,
    load_event_items,
    merge_figures,
    merge_jobs,
    merged_groups,
    score_events,
)
from eval.events_merge import load_merge_gold
from eval.geoparse import measure_gwn
from eval.geoparse import skip_unmeasured as skip_unmeasured_gwn
from eval.judgments import (
    JUDGMENTS_FILE,
    GoldJudgmentItem,
    format_judgments,
    judgment_figures,
    judgment_jobs,
    load_judgments,
    score_item,
)
from eval.score import (
    KINDS,
    check_floors,
    load_floors,
    note_figures,
    paragraph_figures,
    score_note,
    score_paragraph,
    spelling_counts,
)

FLOORS = Path(__file__).resolve().parent / "floors.toml"
KINDS_SPELLING = ("same", "variant", "missing")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="eval/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write every figure (and per-note results)")
    parser.add_argument("--floors", type=Path, default=FLOORS, help="floors file (TOML)")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of gold files")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    return parser.parse_args(argv)


def format_table(figures: Mapping[str, float], langs: Sequence[str]) -> list[str]:
    lines = [f"{'kind':<13}{'lang':<6}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}"]
    for kind in KINDS:
        for lang in ("", *langs):
            prefix = f"{kind}.{lang}." if lang else f"{kind}."
            if figures.get(f"{prefix}n_gold", 0) == 0 and lang:
                continue
            lines.append(
                f"{kind:<13}{lang or 'all':<6}{figures[prefix + 'precision']:>7.3f}"
                f"{figures[prefix + 'recall']:>7.3f}{figures[prefix + 'f1']:>7.3f}"
                f"{int(figures[prefix + 'n_gold']):>7}{int(figures[prefix + 'n_pred']):>7}"
            )
    for lang in ("", *langs):
        prefix = f"places.{lang}." if lang else "places."
        n = int(figures.get(f"{prefix}n_with_coords", 0))
        if n == 0 and lang:
            continue
        lines.append(
            f"places {lang or 'all'}: gold point within 25 km {figures[prefix + 'within_25km']:.3f}"
            f", within 161 km {figures[prefix + 'within_161km']:.3f} (n={n}); precision code "
            f"right on matched places {figures[prefix + 'precision_code_accuracy']:.3f}"
        )
    return lines


def format_notes(figures: Mapping[str, float]) -> list[str]:
    lines = []
    for name, label in (
        ("notes", "all notes"),
        ("notes.villages", "villages"),
        ("notes.precision1", "precision 1"),
    ):
        n = int(figures.get(f"{name}.n", 0))
        lines.append(
            f"notes, {label}: event within 25 km {figures[name + '.within_25km']:.3f}, "
            f"within 161 km {figures[name + '.within_161km']:.3f} (n={n})"
        )
    for scope in ("villages", "all"):
        counts = [f"{k} {int(figures.get(f'spelling.{scope}.{k}', 0))}" for k in KINDS_SPELLING]
        lines.append(f"gazetteer spellings, {scope}: " + ", ".join(counts))
    return lines


def describe_judgments(items: Sequence[GoldJudgmentItem]) -> str:
    n_judgments = sum(len(i.judgments) for i in items)
    n_negatives = sum(1 for i in items if i.negative)
    langs = ", ".join(
        f"{lang} {sum(1 for i in items if i.lang == lang)}"
        for lang in sorted({i.lang for i in items})
    )
    return (
        f"{len(items)} gold judgment items ({langs}): {n_judgments} judgments, "
        f"{n_negatives} negatives"
    )


def measure_claims(
    pairs: Sequence[ClaimPair], errors: list[str]
) -> tuple[list[str], dict[str, float], list[str]]:
    """Lines to print, figures and misses for the gold claim pairs; nothing measured
    (one line saying so) when the relation module is missing."""
    if not pairs:
        return [], {}, []
    relation = load_relation()
    if relation is None:
        return ["claims: not measured (tocsin.assess.claims.register missing)"], {}, []
    predicted = predict_relations(relation, pairs, errors=errors)
    figures = claim_figures(pairs, predicted)
    return format_claims(figures), figures, claim_misses(pairs, predicted)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        paragraphs, problems = load_paragraphs(args.gold / name for name in PARAGRAPH_FILES)
        notes_path = args.gold / NOTES_FILE
        notes = load_notes(notes_path) if notes_path.exists() else []
        floors = load_floors(args.floors) if args.floors.exists() else {}
        judgment_items, judgment_problems = load_judgments(args.gold / JUDGMENTS_FILE)
        pairs_path = args.gold / CLAIM_PAIRS_FILE
        pairs: list[ClaimPair] = load_pairs(pairs_path) if pairs_path.exists() else []
        event_items = load_event_items(args.gold)
        merge_path = args.gold / "event_merge.jsonl"
        merge_items = load_merge_gold(merge_path) if merge_path.exists() else []
    except (GoldError, OSError, ValueError) as error:
        print(f"eval: {error}", file=sys.stderr)
        return 2
    if not notes_path.exists():
        problems.append(f"{NOTES_FILE}: missing")
    problems.extend(judgment_problems)
    if not pairs_path.exists():
        problems.append(f"{CLAIM_PAIRS_FILE}: missing")
    for problem in problems:
        print(f"gold: {problem}", file=sys.stderr)

    from tocsin.extract.annotate import Extractor

    extractor = Extractor()
    errors: list[str] = []
    annotations = annotate_all(extractor, paragraph_jobs(paragraphs), errors=errors)
    scores = [score_paragraph(g, a) for g, a in zip(paragraphs, annotations, strict=True)]
    note_results = [
        score_note(n, a)
        for n, a in zip(
            notes, annotate_all(extractor, note_jobs(notes), errors=errors), strict=True
        )
    ]
    spelling = spelling_counts(extractor.gazetteer, notes)
    judgment_scores = [
        score_item(g, a)
        for g, a in zip(
            judgment_items,
            annotate_all(extractor, judgment_jobs(judgment_items), errors=errors),
            strict=True,
        )
    ]
    event_scores = [
        score_events(g, a)
        for g, a in zip(
            event_items,
            annotate_all(extractor, [i.job() for i in event_items], errors=errors),
            strict=True,
        )
    ]
    merge_scores: dict[str, float] = {}
    if merge_items:
        merge_ann = annotate_all(extractor, merge_jobs(merge_items), errors=errors)
        predicted_groups = merged_groups(merge_items, merge_ann)
        merge_scores = merge_figures(predicted_groups, {i.id: i.group for i in merge_items})
    acled_figs, acled_lines, acled_results = measure_acled(extractor, errors=errors)
    aoi_figs, aoi_lines, _ = measure_acled(extractor, errors=errors, area=AREA_OF_INTEREST)
    acled_figs |= aoi_figs
    acled_lines += aoi_lines[1:]
    gwn_figs, gwn_lines, gwn_miss = measure_gwn(extractor, errors=errors)
    claim_lines, claim_figs, claim_miss = measure_claims(pairs, errors)
    comment_started = time.perf_counter()
    comment_figs, comment_lines, comment_miss = measure_comments(
        gold_path=args.gold / COMMENTS_FILE, errors=errors
    )
    comment_elapsed = time.perf_counter() - comment_started
    floors = skip_unmeasured(floors, comment_figs)
    floors = skip_unmeasured_acled(floors, acled_figs)
    floors = skip_unmeasured_gwn(floors, gwn_figs)
    elapsed = time.perf_counter() - started

    figures = paragraph_figures(paragraphs, scores) | note_figures(note_results, spelling)
    if judgment_items:
        figures |= judgment_figures(judgment_scores)
    figures |= claim_figs
    if event_items:
        figures |= event_figures(event_items, [tally for tally, _ in event_scores])
    figures |= merge_scores
    figures |= acled_figs
    figures |= gwn_figs
    figures |= comment_figs
    langs = sorted({p.lang for p in paragraphs})
    print(f"{len(paragraphs)} gold paragraphs ({', '.join(langs) or 'none'}), {len(notes)} notes")
    print("\n".join(format_table(figures, langs)))
    print("\n".join(format_notes(figures)))
    if judgment_items:
        print(describe_judgments(judgment_items))
        print("\n".join(format_judgments(figures)))
    print("\n".join(claim_lines))
    if event_items:
        print("\n".join(format_events(figures)))
    if merge_scores:
        print(
            f"event merging ({len(merge_items)} reports): pairwise P "
            f"{merge_scores['events.merge.precision']:.3f} R "
            f"{merge_scores['events.merge.recall']:.3f} F1 {merge_scores['events.merge.f1']:.3f}"
            f" (gold pairs {int(merge_scores['events.merge.pairs_gold'])}, predicted "
            f"{int(merge_scores['events.merge.pairs_predicted'])})"
        )
    print("\n".join(acled_lines))
    print("\n".join(gwn_lines))
    print("\n".join(comment_lines))
    print(f"comments: classified in {comment_elapsed:.1f} s")
    acled_misses = [m for r in acled_results if (m := miss_line(r)) is not None]
    if args.verbose:
        for miss in comment_miss:
            print(f"  {miss}")
        for score in scores:
            for miss in score.misses:
                print(f"  {miss}")
        for result in note_results:
            if not result.near:
                km = "-" if result.distance_km is None else f"{result.distance_km:.0f} km"
                print(f"  {result.id} note: {result.location!r} -> {result.predicted} ({km})")
        for judgment_score in judgment_scores:
            for miss in judgment_score.misses:
                print(f"  {miss}")
        for miss in claim_miss:
            print(f"  {miss}")
        for _tally, event_misses in event_scores:
            for miss in event_misses:
                print(f"  {miss}")
        for line in acled_misses:
            print(f"  {line}")
        for line in gwn_miss:
            print(f"  {line}")
    n_texts = len(paragraphs) + len(notes) + len(judgment_items) + len(event_items)
    n_texts += len(acled_results)
    print(f"elapsed {elapsed:.1f} s (models, gazetteer, {n_texts} texts, {len(pairs)} pairs)")

    if args.json:
        report: dict[str, Any] = {
            "figures": figures,
            "notes": [
                {
                    "id": r.id,
                    "location": r.location,
                    "village": r.village,
                    "geo_precision": r.geo_precision,
                    "predicted": r.predicted,
                    "distance_km": r.distance_km,
                }
                for r in note_results
            ],
            "misses": [miss for score in scores for miss in score.misses],
            "judgment_misses": [m for s in judgment_scores for m in s.misses],
            "claim_misses": claim_miss,
            "event_misses": [m for _t, misses in event_scores for m in misses],
            "comment_misses": comment_miss,
            "acled_misses": acled_misses,
            "gwn_misses": gwn_miss,
            "problems": problems,
            "errors": errors,
            "elapsed_s": elapsed,
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")

    failures = check_floors(figures, floors)
    for failure in failures:
        print(f"below floor: {failure}")
    for line in errors:
        print(f"extractor raised: {line}")
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
