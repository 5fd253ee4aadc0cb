"""`tocsin assets|rules|alerts` as a user runs them: a real process, its exit code,
stdout and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_events import lines, tocsin
from tests.store.test_events_store import fill
from tocsin.alert.assets import make_asset, make_rule, read_assets
from tocsin.app.events import update_events
from tocsin.store import open_store

ORGANISATION = (
    Path(__file__).resolve().parents[2] / "src" / "tocsin" / "app" / "demo" / "organisation"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The store tests' documents merged into two events (Kati, Djibo)."""
    path = tmp_path / "t.db"
    store = open_store(str(path))
    fill(store)
    update_events(store)
    store.close()
    return path


def test_assets_add_import_list_remove(db: Path, tmp_path: Path) -> None:
    run = tocsin(
        "assets", "add", "Bureau de Bamako", "--lat", "12.6392", "--lon", "-8.0029",
        "--radius-km", "1", "--tags", "office,hq", "--id", "office", db=db,
    )  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (
        0,
        "added office: Bureau de Bamako (point 12.6392, -8.0029, 1 km)\n",
        "",
    )
    again = tocsin("assets", "add", "Bureau", "--lat", "12.64", "--lon", "-8", "--id", "office",
                   db=db)  # fmt: skip
    assert again.stdout == "replaced office: Bureau (point 12.6400, -8.0000)\n"
    bad = tocsin("assets", "add", "Nowhere", "--lat", "95", "--lon", "0", db=db)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == (
        "error: asset 'Nowhere': latitude 95.0 is out of range; give -90 to 90 (lat before lon)\n"
    )
    csv_file = tmp_path / "more.csv"
    csv_file.write_text(
        "id,name,lat,lon,tags\ndepot,Dépôt de Kati,12.744,-8.072,fuel\nx,,1,1,\n", "utf-8"
    )
    imported = tocsin("assets", "import", str(csv_file), db=db)
    assert imported.returncode == 0
    assert imported.stdout == f"{csv_file}: 1 asset imported, 1 problem; 2 assets in the store\n"
    assert imported.stderr == f"{csv_file}:3: no name; give the asset a name\n"
    geojson = tocsin("assets", "import", str(ORGANISATION / "assets.geojson"), db=db)
    assert geojson.stdout.endswith("5 assets imported, 0 problems; 7 assets in the store\n")
    listed = tocsin("assets", "list", db=db)
    assert lines(listed.stdout) == [
        "bko-office     site   Bureau de Bamako (ACI 2000) — point 12.6392, -8.0029, 1 km "
        "[office, hq]",
        "bko-warehouse  site   Entrepôt de Sotuba — polygon of 4 points around 12.6580, -7.9430 "
        "[warehouse, fuel]",
        "dakar-bamako   route  Corridor Dakar–Bamako (RN1 / RN3) — line of 9 points around "
        "14.6448, -12.1969, 10 km [route, fuel, trucks]",
        "depot          site   Dépôt de Kati — point 12.7440, -8.0720 [fuel]",
        "kayes-mine     site   Mine partenaire près de Kayes — point 13.9000, -11.7000, 5 km "
        "[mine, partner]",
        "office         site   Bureau — point 12.6400, -8.0000",
        "segou-team     staff  Équipe mobile de Ségou — point 13.4317, -6.2660 [staff, field]",
        "7 assets",
    ]
    as_json = [
        json.loads(line) for line in tocsin("assets", "list", "--json", db=db).stdout.splitlines()
    ]
    assert as_json[3] == {
        "id": "depot",
        "name": "Dépôt de Kati",
        "kind": "site",
        "geometry": "point",
        "coords": [[12.744, -8.072]],
        "radius_km": 0.0,
        "tags": ["fuel"],
        "created": as_json[3]["created"],
    }
    assert tocsin("assets", "remove", "depot", db=db).stdout == "removed depot\n"
    gone = tocsin("assets", "remove", "depot", db=db)
    assert (gone.returncode, gone.stderr) == (
        2,
        "error: depot: no such asset; list them with `tocsin assets list`\n",
    )
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "utf-8")
    nothing = tocsin("assets", "import", str(broken), db=db)
    assert (nothing.returncode, nothing.stderr) == (
        1,
        f"{broken}: feature 1: no geometry or properties; give both\n",
    )


def test_rules_add_import_list_remove(db: Path) -> None:
    store = open_store(str(db))
    store.save_assets(read_assets(ORGANISATION / "assets.geojson").assets)
    store.close()
    added = tocsin(
        "rules", "add", "Kayes mine", "--asset", "kayes-mine", "--kinds", "event,risk",
        "--categories", "conflict", "--categories", "crime", "--min-severity", "3",
        "--distance-km", "25", "--channel", "email:mine@example.org", "--lang", "fr", db=db,
    )  # fmt: skip
    assert (added.returncode, added.stdout) == (
        0,
        "added kayes-mine: Kayes mine (asset kayes-mine, 25 km)\n",
    )
    unknown = tocsin("rules", "add", "X", "--asset", "nowhere", db=db)
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "error: --asset nowhere: no such asset; list them with `tocsin assets list`\n",
    )
    bad_area = tocsin("rules", "add", "X", "--area", "country:ZZ", db=db)
    assert bad_area.stderr == (
        "error: rule x: area country:ZZ: not an ISO 3166 country code; "
        "give a code such as ML or a name\n"
    )
    bad_channel = tocsin("rules", "add", "X", "--channel", "sms:123", db=db)
    assert bad_channel.stderr == (
        "error: rule 'X': channel 'sms:123': not a channel; write email:ADDRESS or webhook:URL\n"
    )
    imported = tocsin("rules", "import", str(ORGANISATION / "rules.toml"), db=db)
    assert (
        imported.stdout
        == f"{ORGANISATION / 'rules.toml'}: 2 rules imported; 3 rules in the store\n"
    )
    listed = tocsin("rules", "list", db=db)
    assert lines(listed.stdout) == [
        "kayes-mine  Kayes mine (fr)",
        "  asset kayes-mine, 25 km; event, risk; conflict, crime; severity ≥ 3, level ≥ 3, "
        "probability ≥ 0.7",
        "  to: email:mine@example.org",
        "mali-watch  Mali: risk level changes (en)",
        "  area ML; risk; all categories; severity ≥ 1, level ≥ 3, probability ≥ 0.7",
        "  to: email:ops@sahel-solidarite.example, webhook:http://127.0.0.1:8765/tocsin",
        "sites-and-road  Sites, équipe et corridor Dakar–Bamako (fr)",
        "  every asset, 40 km; event, risk, forecast; all categories; severity ≥ 2, level ≥ 3, "
        "probability ≥ 0.6",
        "  to: email:securite@sahel-solidarite.example",
        "3 rules",
    ]
    first = json.loads(tocsin("rules", "list", "--json", db=db).stdout.splitlines()[0])
    assert {k: v for k, v in first.items() if k != "created"} == {
        "id": "kayes-mine",
        "name": "Kayes mine",
        "asset_id": "kayes-mine",
        "area": None,
        "kinds": ["event", "risk"],
        "categories": ["conflict", "crime"],
        "min_severity": 3,
        "min_level": 3,
        "min_probability": 0.7,
        "distance_km": 25.0,
        "channels": ["email:mine@example.org"],
        "lang": "fr",
    }
    assert tocsin("rules", "remove", "kayes-mine", db=db).stdout == "removed kayes-mine\n"
    assert tocsin("rules", "remove", "kayes-mine", db=db).returncode == 2


def test_alerts_run_list_show(db: Path, tmp_path: Path) -> None:
    store = open_store(str(db))  # the commands under test are `alerts ...`
    store.save_assets([make_asset("Bureau de Bamako", coords=[(12.6392, -8.0029)],
                                  radius_km=1, asset_id="office")])  # fmt: skip
    store.save_rules(
        [
            make_rule("Sites", kinds=["event"], min_severity=2, distance_km=40, lang="fr",
                      channels=["email:security@example.org"]),
            make_rule("Burkina", area="BF", kinds=["event"]),
        ]
    )  # fmt: skip
    store.close()
    run = tocsin("alerts", "run", "--asof", "2025-10-05", "--now", "2025-10-05T08:00", db=db)
    assert run.returncode == 0, run.stderr
    out = lines(run.stdout)
    assert out[0] == "2 recent events, 4 risk changes → 2 new, 0 updated alerts; 1 message queued"
    assert [line[20:] for line in out[1:]] == [
        "2025-10-05 08:00  [4] event    Abduction in Djibo (reported)",
        (
            "2025-10-05 08:00  [4] event    Attaque à Kati, 14 septembre 2025"
            ", à 13 km de Bureau de Bamako : 10 morts (confirmé)"
        ),
    ]
    again = tocsin("alerts", "run", "--asof", "2025-10-05", "--json", db=db)
    plain = json.loads(again.stdout)
    assert (plain["new"], plain["updated"], plain["queued"], plain["alerts"]) == (0, 0, 0, [])
    listed = tocsin("alerts", "list", "--asset", "office", db=db)
    assert [line[20:] for line in lines(listed.stdout)] == [
        (
            "2025-10-05 08:00  [4] event    Attaque à Kati, 14 septembre 2025"
            ", à 13 km de Bureau de Bamako : 10 morts (confirmé)"
        ),
        "",  # "1 alert" is shorter than the id column
    ]
    alert_id = listed.stdout.split()[0]
    shown = tocsin("alerts", "show", alert_id, db=db)
    kati = shown.stdout.split("subject   event ")[1].split()[0]
    assert lines(shown.stdout) == [
        "Attaque à Kati, 14 septembre 2025, à 13 km de Bureau de Bamako : 10 morts (confirmé)",
        "14 septembre 2025, Kati, Koulikoro, ML : JNIM contre Civilians (Mali). Bilan : 10 à 15 "
        "morts. Statut : confirmé (2 sources indépendantes). Règle « Sites ».",
        f"  id        {alert_id} (version 1)",
        "  rule      sites",
        "  asset     office",
        f"  subject   event {kati}",
        "  severity  4/5, conflict",
        "  distance  12.9 km",
        "  at        12.7440, -8.0720",
        "  updated   2025-10-05T08:00:00+00:00",
        "  1. Ministère (B) · dB",
        "     «une attaque terroriste contre un convoi près de Kati a fait dix morts»",
        "  2. Le Sahel Libre (C) · dA",
        "     «des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati»",
    ]
    as_json = json.loads(tocsin("alerts", "show", alert_id, "--json", db=db).stdout)
    assert (as_json["key"], as_json["version"], len(as_json["quotes"])) == (
        f"sites|office|event|{kati}",
        1,
        2,
    )
    missing = tocsin("alerts", "show", "al-nope", db=db)
    assert (missing.returncode, missing.stderr) == (
        2,
        "error: al-nope: no such alert; list them with `tocsin alerts list`\n",
    )
    bad = tocsin("alerts", "run", "--asof", "yesterday", db=db)
    assert bad.stderr == "error: --asof yesterday: not a date; write it as YYYY-MM-DD\n"
    empty = tocsin("alerts", "list", "--kind", "forecast", db=db)
    assert empty.stdout == "no alerts: add assets and rules, then run `tocsin alerts run`\n"
