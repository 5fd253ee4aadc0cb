"""GeoWebNews (Gritta et al., LREC 2020): toponym detection and resolution on world news.

The development set is ``../shared/data/geoparse_dev/GWN.xml`` (200 English news
articles; every toponym with its span, its pragmatic type and, for most, coordinates).
It is read where it lies and never copied into the repository: without it the figures
are not measured and one line says why.

Each article's ``<text>`` runs through the extractor as the product runs a document
(language en, no country hint; the article's date from its link when it has one), and
the body's place mentions (``Annotations.places``) are scored the standard way:

- detection: a predicted mention matches a gold toponym when their spans overlap, one
  to one, the pairs sharing most characters first. Gold toponyms are the types that
  name a place (``TOPONYM_TYPES``: literal, mixed, coercion, embedded literal, literal
  modifier, and the associative metonymic, non-literal modifier, embedded non-literal);
  an unmatched prediction that overlaps a demonym, a language or a homonym
  (``NEUTRAL_TYPES``) counts neither way; any other prediction is a false positive;
- ``gwn.acc161``: the share of gold toponyms with coordinates for which an overlapping
  prediction is resolved within 161 km (100 miles) of the gold point (the nearest, if
  several); ``gwn.literal.acc161`` and ``gwn.associative.acc161`` split it;
- error distances (km) and AUC over the gold toponyms that got an overlapping resolved
  prediction: mean, median, and the area under the curve of ln(1 + km) / ln(20039), as
  Gritta et al. compute it (lower is better; 0 is every point exact).

Offsets in a few articles are shifted; a toponym whose span does not read its
``extractedName`` is moved to the nearest occurrence of that name within
``SHIFT_CHARS``, else left out with a problem line.
"""

from __future__ import annotations

import math
import re
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eval.corpus import ExtractorLike, GoldError, Job, annotate_all
from eval.score import FAR_KM, Counts, assign_greedy, overlap
from tocsin.geo.distance import haversine_km
from tocsin.models import Annotations, PlaceRef

GWN_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparse_dev" / "GWN.xml"

LITERAL_TYPES = frozenset({"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"})
ASSOCIATIVE_TYPES = frozenset({"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit"})
TOPONYM_TYPES = LITERAL_TYPES | ASSOCIATIVE_TYPES
NEUTRAL_TYPES = frozenset({"Demonym", "Language", "Homonym"})
SHIFT_CHARS = 200
EARTH_HALF_CIRCUMFERENCE_KM = 20039.0
PUBLISHED_DEFAULT = date(2018, 1, 1)  # GeoWebNews articles are from 2017-2018


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    type: str
    modifier: str = ""  # "Noun", "Adjective" or ""
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class GwnArticle:
    id: str
    link: str
    text: str
    published: date
    toponyms: tuple[GoldToponym, ...]


# ---------------------------------------------------------------- loading


def _field(node: ET.Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _published(link: str) -> date:
    """The date in an article's address (``/2018/01/`` or ``/2018/01/23/``), else 2018-01-01."""
    found = re.search(r"/(20\d\d)/(\d\d)(?:/(\d\d))?/", link)
    if found is None:
        return PUBLISHED_DEFAULT
    year, month, day = int(found[1]), int(found[2]), int(found[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return PUBLISHED_DEFAULT


def _locate(text: str, name: str, start: int, end: int) -> tuple[int, int] | None:
    """The toponym's span: as given when it reads ``name``, else the nearest occurrence of
    ``name`` within ``SHIFT_CHARS`` of the given start, else None."""
    if text[start:end] == name:
        return start, end
    best: tuple[int, int] | None = None
    for found in re.finditer(re.escape(name), text):
        shift = abs(found.start() - start)
        if shift <= SHIFT_CHARS and (best is None or shift < abs(best[0] - start)):
            best = (found.start(), found.end())
    return best


def parse_article(node: ET.Element, problems: list[str]) -> GwnArticle:
    """One ``<article>``; toponyms whose span cannot be found are left out (a problem line)."""
    article_id = node.get("file", "?")
    raw = node.find("text")
    text = (raw.text or "") if raw is not None else ""  # offsets count from its first char
    link = _field(node, "link")
    toponyms = []
    for item in node.iterfind("toponyms/toponym"):
        name = _field(item, "extractedName")
        try:
            start, end = int(_field(item, "start")), int(_field(item, "end"))
        except ValueError:
            problems.append(f"gwn {article_id}: toponym {name[:30]!r} without offsets")
            continue
        span = _locate(text, name, start, end)
        if span is None:
            problems.append(f"gwn {article_id}: toponym at {start} does not read its name")
            continue
        geonameid = _field(item, "geonamesID")
        toponyms.append(
            GoldToponym(
                *span, name, _field(item, "type"), _field(item, "modifierType"),
                _number(_field(item, "latitude")), _number(_field(item, "longitude")),
                int(geonameid) if geonameid.isdigit() else None,
            )
        )  # fmt: skip
    return GwnArticle(article_id, link, text, _published(link), tuple(toponyms))


def load_gwn(path: Path = GWN_FILE) -> tuple[list[GwnArticle], list[str]]:
    """The articles of a GWN.xml file and the problems found in it; GoldError when the file
    is not the GeoWebNews XML."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise GoldError(f"{path}: not XML ({error})") from None
    if root.tag != "articles":
        raise GoldError(f"{path}: root element is <{root.tag}>, expected <articles>")
    problems: list[str] = []
    articles = [parse_article(node, problems) for node in root.iterfind("article")]
    return articles, problems


def gwn_jobs(articles: Sequence[GwnArticle]) -> list[Job]:
    return [Job(f"gwn-{a.id}", a.text, "en", a.published) for a in articles]


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class ToponymResult:
    """One gold toponym against the predictions: the overlapping ones and the best error."""

    gold: GoldToponym
    predicted: tuple[PlaceRef, ...]  # body mentions overlapping the toponym
    matched: bool  # the one-to-one detection matching gave it a prediction
    km: float | None  # nearest resolved overlapping prediction; None when there is none

    @property
    def detected(self) -> bool:
        return bool(self.predicted)

    @property
    def within_161km(self) -> bool:
        return self.km is not None and self.km <= FAR_KM


@dataclass(slots=True)
class ArticleScore:
    id: str
    detection: Counts
    toponyms: list[ToponymResult]
    false_positives: list[PlaceRef] = field(default_factory=list)


def _spans(a: GoldToponym, p: PlaceRef) -> int:
    return overlap((a.start, a.end), (p.span.start, p.span.end))


def score_article(article: GwnArticle, ann: Annotations) -> ArticleScore:
    """Detection counts and each gold toponym's result for one article."""
    preds = [p for p in ann.places if p.span.part == "body"]
    gold = [t for t in article.toponyms if t.type in TOPONYM_TYPES]
    neutral = [t for t in article.toponyms if t.type in NEUTRAL_TYPES]
    pairs = [
        (-shared, i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(preds)
        if (shared := _spans(g, p)) > 0
    ]
    matched = assign_greedy(pairs)
    hit_gold = {i for i, _ in matched}
    hit_pred = {j for _, j in matched}
    false_positives = []
    n_pred = len(matched)
    for j, p in enumerate(preds):
        # an unmatched prediction inside a gold toponym (a second mention of its words) or
        # over a demonym, language or homonym counts neither way
        if j in hit_pred or any(_spans(t, p) > 0 for t in (*gold, *neutral)):
            continue
        n_pred += 1
        false_positives.append(p)
    results = []
    for i, g in enumerate(gold):
        over = tuple(p for p in preds if _spans(g, p) > 0)
        km = None
        if g.lat is not None and g.lon is not None:
            distances = [
                haversine_km(g.lat, g.lon, p.lat, p.lon)
                for p in over
                if p.resolved and p.lat is not None and p.lon is not None
            ]
            km = min(distances, default=None)
        results.append(ToponymResult(g, over, i in hit_gold, km))
    return ArticleScore(
        article.id, Counts(len(matched), len(gold), n_pred), results, false_positives
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def auc(distances: Sequence[float]) -> float:
    """Gritta et al.'s AUC of error distances: the mean of ln(1 + km) / ln(20039), in
    [0, 1], lower is better; 0.0 for no distances."""
    if not distances:
        return 0.0
    scale = math.log(EARTH_HALF_CIRCUMFERENCE_KM)
    return sum(min(math.log1p(km), scale) for km in distances) / (len(distances) * scale)


def gwn_figures(scores: Sequence[ArticleScore]) -> dict[str, float]:
    """Flat figures: "gwn.detection.f1", "gwn.acc161", "gwn.literal.acc161", ..."""
    total = Counts()
    for score in scores:
        total.add(score.detection)
    figures: dict[str, float] = {
        "gwn.detection.precision": total.precision,
        "gwn.detection.recall": total.recall,
        "gwn.detection.f1": total.f1,
        "gwn.detection.n_gold": total.n_gold,
        "gwn.detection.n_pred": total.n_pred,
    }
    results = [r for s in scores for r in s.toponyms if r.gold.has_point]
    for name, types in (
        ("gwn", TOPONYM_TYPES),
        ("gwn.literal", LITERAL_TYPES),
        ("gwn.associative", ASSOCIATIVE_TYPES),
    ):
        chosen = [r for r in results if r.gold.type in types]
        figures[f"{name}.acc161"] = _share(sum(r.within_161km for r in chosen), len(chosen))
        figures[f"{name}.n_with_coords"] = len(chosen)
    distances = [r.km for r in results if r.km is not None]
    figures["gwn.n_resolved"] = len(distances)
    figures["gwn.error_km.mean"] = statistics.fmean(distances) if distances else 0.0
    figures["gwn.error_km.median"] = statistics.median(distances) if distances else 0.0
    figures["gwn.auc"] = auc(distances)
    return figures


def format_gwn(figures: Mapping[str, float], *, n_articles: int, elapsed_s: float) -> list[str]:
    return [
        f"GeoWebNews dev ({n_articles} articles): detection P "
        f"{figures['gwn.detection.precision']:.3f} R {figures['gwn.detection.recall']:.3f} "
        f"F1 {figures['gwn.detection.f1']:.3f} (gold {int(figures['gwn.detection.n_gold'])}, "
        f"predicted {int(figures['gwn.detection.n_pred'])})",
        f"GeoWebNews acc@161 km {figures['gwn.acc161']:.3f} (n={int(figures['gwn.n_with_coords'])}"
        f"; literal {figures['gwn.literal.acc161']:.3f}, associative "
        f"{figures['gwn.associative.acc161']:.3f}); on {int(figures['gwn.n_resolved'])} resolved:"
        f" error mean {figures['gwn.error_km.mean']:.0f} km, median "
        f"{figures['gwn.error_km.median']:.0f} km, AUC {figures['gwn.auc']:.3f}"
        f"; extracted in {elapsed_s:.1f} s",
    ]


def _nearest(result: ToponymResult) -> PlaceRef | None:
    """The overlapping resolved prediction nearest to the gold point."""
    gold = result.gold
    if gold.lat is None or gold.lon is None:
        return None
    points = [p for p in result.predicted if p.resolved and p.lat is not None]
    return min(
        points,
        key=lambda p: haversine_km(gold.lat or 0.0, gold.lon or 0.0, p.lat or 0.0, p.lon or 0.0),
        default=None,
    )


def gwn_misses(articles: Sequence[GwnArticle], scores: Sequence[ArticleScore]) -> list[str]:
    """One line per gold toponym with a point not resolved within 161 km (for --verbose)."""
    lines = []
    for article, score in zip(articles, scores, strict=True):
        for r in score.toponyms:
            if not r.gold.has_point or r.within_161km:
                continue
            best = _nearest(r)
            if not r.detected:
                what = "missed"
            elif best is None or r.km is None:
                resolved = [p for p in r.predicted if p.resolved]
                what = "resolved without a point" if resolved else "unresolved"
            else:
                what = f"{r.km:.0f} km off -> {best.name} ({best.kind}, {best.country})"
            lines.append(f"gwn-{article.id} {r.gold.type} {r.gold.name!r}: {what}")
    return lines


def measure_gwn(
    extractor: ExtractorLike, *, path: Path = GWN_FILE, errors: list[str] | None = None
) -> tuple[dict[str, float], list[str], list[str]]:
    """Figures, lines to print and misses; without the data, no figures and one line
    saying why."""
    if not path.exists():
        return {}, [f"gwn: not measured ({path} absent); its floors are skipped"], []
    articles, problems = load_gwn(path)
    started = time.perf_counter()
    annotations = annotate_all(extractor, gwn_jobs(articles), errors=errors)
    elapsed = time.perf_counter() - started
    scores = [score_article(a, n) for a, n in zip(articles, annotations, strict=True)]
    figures = gwn_figures(scores)
    figures["gwn.elapsed_s"] = elapsed
    lines = format_gwn(figures, n_articles=len(articles), elapsed_s=elapsed)
    if problems:
        lines.append(f"gwn: {len(problems)} gold toponyms left out ({problems[0]}, ...)")
    return figures, lines, gwn_misses(articles, scores)


def skip_unmeasured(floors: Mapping[str, float], figures: Mapping[str, float]) -> dict[str, float]:
    """The floors without the ``gwn.`` ones when the data was not there."""
    if "gwn.n_with_coords" in figures:
        return dict(floors)
    return {k: v for k, v in floors.items() if not k.startswith("gwn.")}
