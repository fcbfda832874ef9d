"""The list command: rows, filters, formats and Estonian order."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import run


def ids(*args: str) -> list[str]:
    result = run("list", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    text = result.stdout.removeprefix("\ufeff")
    return [row["ID"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]


def test_table(org: Path) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "ID             TITLE             UNIT              MANAGER           EMPLOYMENT  "
        "LAST REVIEW",
        "juhataja       Osakonnajuhataja  Teenuste osakond  Peadirektor       ametnik     "
        "2024-06-30",
        "spetsialist-b  Spetsialist       Nõustamistalitus  Osakonnajuhataja  ametnik     "
        "2024-09-15",
        "spetsialist-a  Spetsialist       Õppe tiim         Osakonnajuhataja  ametnik     "
        "2025-01-31",
    ]


def test_csv_and_json(org: Path) -> None:
    # for spreadsheets, as report.csv: ';', a byte order mark, the wording's headings
    assert run("list", "--format", "csv").stdout.splitlines()[:2] == [
        '\ufeff"ID";"Ametinimetus";"Struktuuriüksuse ID";"Struktuuriüksus";"Vahetu juht";'
        '"Vahetu juhi ID";"Ametnik või töötaja";"Viimati üle vaadatud"',
        '"juhataja";"Osakonnajuhataja";"osakond";"Teenuste osakond";"Peadirektor";"";'
        '"ametnik";"2024-06-30"',
    ]
    records = json.loads(run("list", "--format", "json").stdout)
    assert records[2] == {
        "id": "spetsialist-a",
        "title": "Spetsialist",
        "unit": "tiim-a",
        "unit_name": "Õppe tiim",
        "manager": "Osakonnajuhataja",
        "manager_id": "juhataja",
        "employment": "ametnik",
        "last_review": "2025-01-31",
    }


def _add(org: Path, pid: str, title: str, unit: str = "talitus-b") -> None:
    text = (org / "data/positions/spetsialist-b.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Spetsialist", f"title: {title}").replace(
        "unit: talitus-b", f"unit: {unit}"
    )
    (org / f"data/positions/{pid}.yaml").write_text(text, encoding="utf-8")


def test_estonian_alphabetical_order(org: Path) -> None:
    for pid, title in [
        ("a1", "Zooloog"),
        ("a2", "Õpetaja"),
        ("a3", "Šoför"),
        ("a4", "Tõlk"),
        ("a5", "Sekretär"),
        ("a6", "Ülem"),
        ("a7", "Wõro keele ekspert"),
        ("a8", "Välisnõunik"),
    ]:
        _add(org, pid, title)
    titles = [r["title"] for r in json.loads(run("list", "--format", "json").stdout)]
    assert titles == [
        "Osakonnajuhataja",
        "Sekretär",
        "Spetsialist",
        "Spetsialist",
        "Šoför",
        "Zooloog",
        "Tõlk",
        "Välisnõunik",
        "Wõro keele ekspert",
        "Õpetaja",
        "Ülem",
    ]


def test_same_title_sorted_by_unit_in_estonian_order(org: Path) -> None:
    _add(org, "zz", "Spetsialist", "muu")  # Zooloogia osakond: z after s, before t and õ
    _add(org, "aa", "Spetsialist", "osakond")  # Teenuste osakond
    assert ids() == ["juhataja", "spetsialist-b", "zz", "aa", "spetsialist-a"]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("osakond", ["juhataja", "spetsialist-b", "spetsialist-a"]),
        ("talitus-a", ["spetsialist-a"]),  # with its sub-unit tiim-a
        ("tiim-a", ["spetsialist-a"]),
        ("talitus-b", ["spetsialist-b"]),
        ("muu", []),
    ],
)
def test_filter_by_unit_with_sub_units(org: Path, unit: str, expected: list[str]) -> None:
    assert ids("--unit", unit) == expected


def test_unknown_unit(org: Path) -> None:
    result = run("list", "--unit", "talitus")
    assert result.exit_code == 1
    assert result.stderr == ("error: unknown unit 'talitus' (did you mean talitus-b, talitus-a?)\n")


@pytest.mark.parametrize(
    ("manager", "expected"),
    [
        ("juhataja", ["spetsialist-b", "spetsialist-a"]),  # a position id
        ("osakonnajuhataja", ["spetsialist-b", "spetsialist-a"]),  # its title
        ("Peadirektor", ["juhataja"]),  # free text
        ("peadirektor", ["juhataja"]),
        ("Tiimijuht", []),
    ],
)
def test_filter_by_manager(org: Path, manager: str, expected: list[str]) -> None:
    assert ids("--manager", manager) == expected


def test_filters_combine(org: Path) -> None:
    assert ids("--manager", "juhataja", "--unit", "talitus-a") == ["spetsialist-a"]


def test_sample_data(project: Path) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [
        "ekspert-kriisiabi",
        "koordinaator-klat",
        "koordinaator-ringist-valja",
        "teenusejuht-kov",
    ]
    assert [r["last_review"] for r in rows] == [None, "2024-02-12", None, None]
