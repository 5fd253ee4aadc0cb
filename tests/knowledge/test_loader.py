"""The knowledge loader: the bundled files, then the user's folder (``knowledge_dir``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tocsin.config import Settings, load_settings
from tocsin.errors import ConfigError
from tocsin.extract.actors import ActorMatcher
from tocsin.extract.estimative.judgments import extract_judgments
from tocsin.extract.nlp import TextAnalysis
from tocsin.extract.sourcing.attributions import extract_attributions
from tocsin.ingest.comments.text import is_marker
from tocsin.ingest.dates import parse_date
from tocsin.knowledge.actors import load_actors
from tocsin.knowledge.files import (
    configure_knowledge,
    knowledge_files,
    knowledge_names,
    load_knowledge,
)
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES

Folder = Callable[..., Path]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    """Writes the user's files (name -> TOML text) and uses the folder; bundled after."""

    def use(**files: str) -> Path:
        where = tmp_path / "knowledge"
        where.mkdir(exist_ok=True)
        for name, text in files.items():
            (where / f"{name}.toml").write_text(text, encoding="utf-8")
        configure_knowledge(Settings(knowledge_dir=str(where)))
        return where

    yield use
    configure_knowledge(Settings())


def analysis(text: str, lang: str = "fr") -> TextAnalysis:
    return TextAnalysis(text, lang, ((0, len(text)),), ())


ZORGLUB = """
[[actor]]
id = "katiba-zorglub"
name_en = "Katiba Zorglub"
type = "rebel group"
inter = 2
countries = ["ML"]
aliases = ["Katiba Zorglub", "KZ du Gourma"]
"""


# --- what the user's files change -------------------------------------------------


def test_user_actor_alias_is_recognised_by_actor_extraction(folder: Folder) -> None:
    text = "La Katiba Zorglub a revendiqué l'attaque près de Gao."
    assert ActorMatcher.from_knowledge().find(text, lang="fr") == []
    folder(actors=ZORGLUB)
    found = ActorMatcher.from_knowledge().find(text, lang="fr")
    assert [m.actor_id for m in found] == ["katiba-zorglub"]
    assert "jnim" in load_actors().actors  # the bundled actors are still there


def test_user_estimative_cue_is_used(folder: Folder) -> None:
    text = "Une attaque est fort possible."
    assert [j.cue_text for j in extract_judgments(analysis(text))] != ["fort possible"]
    folder(estimative='[fr.cues]\n"fort possible" = [0.40, 0.70]\n')
    [judgment] = extract_judgments(analysis(text))
    assert (judgment.cue_text, judgment.low, judgment.high) == ("fort possible", 0.40, 0.70)
    assert extract_judgments(analysis("Une attaque est probable."))[0].label == "likely"


def test_user_sourcing_verb_is_added_in_front_of_ours(folder: Folder) -> None:
    text = "Le ministre a tweeté que la route de Gao était rouverte."
    assert [a.kind for a in extract_attributions(analysis(text))] == ["author"]
    folder(sourcing='[fr]\n"reporting_verbs+" = ["a tweeté"]\n')
    assert [a.kind for a in extract_attributions(analysis(text))] == ["person"]
    verbs = load_knowledge("sourcing")["fr"]["reporting_verbs"]
    assert verbs[0] == "a tweeté" and "a déclaré" in verbs  # ours are kept, after it
    said = "Des militaires ont déclaré que la route de Gao était rouverte."
    assert [a.kind for a in extract_attributions(analysis(said))] == ["unnamed_sources"]


def test_user_words_reach_the_readers_that_compile_them_once(folder: Folder) -> None:
    assert parse_date("3 brumaire 2025", need_day=True) is None
    assert not is_marker("Réagir")
    assert RISK_LEVEL_NAMES["fr"][4] == "élevé"
    months = load_knowledge("dates")["fr"]["months"]
    months[1] += " brumaire"
    folder(
        dates=f"[fr]\nmonths = {_toml(months)}\n",
        comment_pages="[fr]\n\"reply+\" = ['réagir']\n",
        risk_names='[fr.levels]\n4 = "haut"\n',
    )
    found = parse_date("3 brumaire 2025", need_day=True)
    assert found is not None and found[0].month == 2
    assert is_marker("Réagir") and is_marker("Répondre")
    assert RISK_LEVEL_NAMES["fr"][4] == "haut" and RISK_LEVEL_NAMES["fr"][5] == "extrême"
    assert RISK_CATEGORY_NAMES["en"]["crime"] == "crime and kidnapping"
    configure_knowledge(Settings())
    assert RISK_LEVEL_NAMES["fr"][4] == "élevé" and not is_marker("Réagir")


def test_a_language_without_every_risk_name_is_one_line(folder: Folder) -> None:
    with pytest.raises(ConfigError) as info:
        folder(risk_names='[de.levels]\n1 = "minimal"\n')
    assert "risk_names.toml: [de.categories] has no name for conflict" in str(info.value)
    assert "\n" not in str(info.value)


# --- the merge rule ---------------------------------------------------------------


def test_tables_merge_key_by_key_and_values_are_replaced(folder: Folder) -> None:
    bundled = load_knowledge("alerts")
    folder(alerts='[match]\nwindow_days = 10\ngeneric_sub_types = ["Other"]\n')
    merged = load_knowledge("alerts")
    assert merged["match"]["window_days"] == 10
    assert merged["match"]["generic_sub_types"] == ["Other"]  # a plain array: replaced
    assert merged["match"]["inside_raise"] == bundled["match"]["inside_raise"]
    assert merged["fr"] == bundled["fr"] and merged["en"] == bundled["en"]


def test_a_plus_key_puts_the_user_items_first_without_repeats(folder: Folder) -> None:
    bundled = load_knowledge("sourcing")["fr"]["according"]
    folder(sourcing=f'[fr]\n"according+" = ["à en croire X", "{bundled[0]}"]\n')
    merged = load_knowledge("sourcing")["fr"]["according"]
    assert merged == ["à en croire X", bundled[0], *bundled[1:]]


def test_arrays_of_tables_are_appended_and_an_entry_with_our_id_replaces_ours(
    folder: Folder,
) -> None:
    bundled = load_knowledge("actors")["actor"]
    fama = next(i for i, a in enumerate(bundled) if a["id"] == "fama")
    mine = dict(bundled[fama], aliases=["Armée malienne bis"])
    mine.pop("parents", None)
    fields = "\n".join(f"{k} = {_toml(v)}" for k, v in mine.items())
    folder(actors=f"[[actor]]\n{fields}\n{ZORGLUB}")
    merged = load_knowledge("actors")["actor"]
    assert len(merged) == len(bundled) + 1
    assert merged[fama]["id"] == "fama" and merged[fama]["aliases"] == ["Armée malienne bis"]
    assert merged[-1]["id"] == "katiba-zorglub"
    found = ActorMatcher.from_knowledge().find("L'Armée malienne bis avance.", lang="fr")
    assert [m.actor_id for m in found] == ["fama"]


def test_entries_without_an_id_are_matched_by_name(folder: Folder) -> None:
    bundled = load_knowledge("horizons")["horizon"]
    folder(horizons='[[horizon]]\nname = "imminent"\nduration = "7 days"\nfr = ["imminent"]\n')
    merged = load_knowledge("horizons")["horizon"]
    assert len(merged) == len(bundled)
    assert next(h for h in merged if h["name"] == "imminent")["duration"] == "7 days"


def test_the_merged_data_is_a_copy(folder: Folder) -> None:
    folder(alerts="[match]\nwindow_days = 10\n")
    load_knowledge("alerts")["match"]["window_days"] = 99
    assert load_knowledge("alerts")["match"]["window_days"] == 10


def test_files_read_and_the_setting(folder: Folder, tmp_path: Path) -> None:
    assert [p.name for p in knowledge_files("actors")] == ["actors.toml"]
    where = folder(actors=ZORGLUB)
    assert knowledge_files("actors")[-1] == where / "actors.toml"
    assert knowledge_files("risk")[-1].parent != where  # no user file: the bundled one
    config = tmp_path / "tocsin.toml"
    config.write_text(f'[tocsin]\nknowledge_dir = "{where}"\n', encoding="utf-8")
    assert load_settings(config_file=config).knowledge_dir == str(where)


def test_the_setting_comes_from_the_environment_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./tocsin.toml
    monkeypatch.setenv("TOCSIN_KNOWLEDGE_DIR", str(tmp_path))
    assert load_settings().knowledge_dir == str(tmp_path)


# --- errors: one line, naming the file and the key --------------------------------


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("estimative", "[fr\ncues = 1\n", "fix the TOML syntax"),
        ("estimative", '[fr]\ncopulas = "est"\n', "fr.copulas: is a text but the bundled"),
        ("sourcing", "[fr]\naccording = [1, 2]\n", "fr.according: holds a number"),
        ("alerts", '[match]\nwindow_days = "ten"\n', "match.window_days: is a text"),
        ("alerts", "match = 3\n", "match: is a number but the bundled alerts.toml has a table"),
        ("actors", ZORGLUB.replace("inter = 2", 'inter = "two"'), "'katiba-zorglub'].inter"),
        ("sourcing", '[fr]\n"nothing+" = ["x"]\n', "has no array nothing"),
    ],
)
def test_a_bad_user_file_is_one_line_naming_file_and_key(
    folder: Folder, tmp_path: Path, name: str, content: str, says: str
) -> None:
    with pytest.raises(ConfigError) as info:
        folder(**{name: content})
    message = str(info.value)
    assert says in message
    assert str(tmp_path / "knowledge" / f"{name}.toml") in message
    assert "\n" not in message


def test_a_wrong_value_the_reader_checks_names_the_user_file(folder: Folder) -> None:
    where = folder(estimative='[fr.cues]\n"fort possible" = [0.9, 0.1]\n')
    with pytest.raises(ConfigError) as info:
        extract_judgments(analysis("Une attaque est fort possible."))
    assert str(where / "estimative.toml") in str(info.value)
    assert "\n" not in str(info.value)


def test_an_unknown_file_name_is_one_line_listing_the_known_names(folder: Folder) -> None:
    with pytest.raises(ConfigError) as info:
        folder(actor=ZORGLUB)
    message = str(info.value)
    assert "actor.toml: not a knowledge file" in message
    assert all(name in message for name in knowledge_names())
    assert "\n" not in message


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such folder"):
        configure_knowledge(Settings(knowledge_dir=str(tmp_path / "nope")))


def test_the_cli_option_reports_a_bad_folder_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "actor.toml").write_text(ZORGLUB, encoding="utf-8")
    options = ["--db", str(tmp_path / "t.db"), "--knowledge-dir", str(tmp_path / "k")]
    run = subprocess.run(
        [sys.executable, "-m", "tocsin", *options, "docs", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().startswith("error: ") and "actor.toml" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def _toml(value: object) -> str:
    """A value of an actor entry as TOML (texts, numbers, lists of texts)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value).lower() if isinstance(value, bool) else str(value)
