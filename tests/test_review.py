"""Review tracking: due dates, the review command and the validate warnings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ametijuhend_cli.organization.review import add_months
from conftest import edit, run


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-06-30", 12, "2025-06-30"),
        ("2024-01-31", 1, "2024-02-29"),  # leap year: the month's last day
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2024-11-15", 6, "2025-05-15"),
        ("2024-03-01", 120, "2034-03-01"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


def test_nothing_overdue(org: Path) -> None:
    result = run("review", "--today", "2025-02-01")
    assert (result.exit_code, result.stdout) == (
        0,
        "no job description is overdue for review (every 12 months)\n",
    )


def test_overdue_the_day_after_it_was_due(org: Path) -> None:
    assert "juhataja" not in run("review", "--today", "2025-06-30").stdout
    result = run("review", "--today", "2025-07-01")
    assert result.stdout.splitlines() == [
        "ID        TITLE             UNIT              MANAGER      LAST REVIEW  DUE",
        "juhataja  Osakonnajuhataja  Teenuste osakond  Peadirektor  2024-06-30   2025-06-30",
        "1 of 3 positions overdue for review (every 12 months)",
    ]


def test_oldest_first_never_reviewed_first_with_the_manager(org: Path) -> None:
    edit(org / "data/positions/juhataja.yaml", "reviewed: 2024-06-30\n", "")
    result = run("review", "--today", "2026-03-01")
    # spetsialist-a: reviewed after its approval, so the review counts;
    # spetsialist-b: approved by directive, which counts as a review
    assert result.stdout.splitlines() == [
        "ID             TITLE             UNIT              MANAGER           LAST REVIEW  DUE",
        "juhataja       Osakonnajuhataja  Teenuste osakond  Peadirektor       -            -",
        "spetsialist-b  Spetsialist       Nõustamistalitus  Osakonnajuhataja  2024-09-15   "
        "2025-09-15",
        "spetsialist-a  Spetsialist       Õppe tiim         Osakonnajuhataja  2025-01-31   "
        "2026-01-31",
        "3 of 3 positions overdue for review (every 12 months)",
    ]


def test_review_as_csv_and_json(org: Path) -> None:
    # CliRunner's stdout reads the CSV's CRLF line ends as \n
    csv_out = run("review", "--today", "2025-10-01", "--format", "csv").stdout
    assert csv_out == (
        '\ufeff"ID";"Ametinimetus";"Struktuuriüksus";"Vahetu juht";"Vahetu juhi ID";'
        '"Viimati üle vaadatud";"Järgmine ülevaatus"\n'
        '"juhataja";"Osakonnajuhataja";"Teenuste osakond";"Peadirektor";"";"2024-06-30";'
        '"2025-06-30"\n'
        '"spetsialist-b";"Spetsialist";"Nõustamistalitus";"Osakonnajuhataja";"juhataja";'
        '"2024-09-15";"2025-09-15"\n'
    )
    records = json.loads(run("review", "--today", "2025-10-01", "--format", "json").stdout)
    assert records[1] == {
        "id": "spetsialist-b",
        "title": "Spetsialist",
        "unit_name": "Nõustamistalitus",
        "manager": "Osakonnajuhataja",
        "manager_id": "juhataja",
        "last_review": "2024-09-15",
        "due": "2025-09-15",
    }
    assert records[0]["manager_id"] is None


def test_period_from_the_project_file(org: Path) -> None:
    (org / "ametijuhend.yaml").write_text("review_period_months: 6\n", encoding="utf-8")
    result = run("review", "--today", "2025-08-01")
    assert result.stdout.splitlines()[-1] == "3 of 3 positions overdue for review (every 6 months)"
    assert "spetsialist-a  Spetsialist       Õppe tiim" in result.stdout
    assert "2025-01-31   2025-07-31" in result.stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "expected a number of at least 1, got 0"),
        ("121", "expected a number of at most 120, got 121"),
        ("aasta", "expected a whole number, got 'aasta'"),
    ],
)
def test_bad_period(org: Path, value: str, message: str) -> None:
    (org / "ametijuhend.yaml").write_text(f"review_period_months: {value}\n", encoding="utf-8")
    result = run("review")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ametijuhend.yaml:1:23: review_period_months: {message}\n")


def test_validate_warns_about_overdue_reviews(org: Path) -> None:
    edit(org / "data/positions/juhataja.yaml", "reviewed: 2024-06-30\n", "")
    result = run("validate", "--today", "2025-10-01")
    hint = "    hint: after the review, record its date: 'reviewed: YYYY-MM-DD'"
    assert result.exit_code == 0
    assert result.stdout == "ok: 3 positions, 2 warnings\n"
    assert result.stderr.splitlines() == [
        "data/positions/juhataja.yaml:1:1: warning: never reviewed; reviews are due every "
        "12 months",
        hint,
        "data/positions/spetsialist-b.yaml:7:18: warning: approval.date: the review was due "
        "2025-09-15 (last reviewed 2024-09-15); reviews are due every 12 months",
        hint,
    ]
    assert run("validate", "--today", "2025-10-01", "--strict").exit_code == 1


def test_review_date_is_located_at_reviewed(org: Path) -> None:
    result = run("validate", "--today", "2026-02-01")
    assert (
        "data/positions/spetsialist-a.yaml:8:11: warning: reviewed: the review was due "
        "2026-01-31 (last reviewed 2025-01-31); reviews are due every 12 months"
    ) in result.stderr.splitlines()


def test_today_is_never_written_into_a_document(org: Path) -> None:
    run("build", "--today", "2025-02-01")
    first = {p.name: p.read_bytes() for p in (org / "out").iterdir()}
    run("build", "--today", "2031-12-24")
    assert {p.name: p.read_bytes() for p in (org / "out").iterdir()} == first


def test_bad_today(org: Path) -> None:
    result = run("review", "--today", "01.02.2025")
    assert result.exit_code == 2
    assert "'01.02.2025' does not match the format '%Y-%m-%d'" in result.stderr


# -- dates far in the future (issue 13): no overflow, a located warning -------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("9999-12-31", 12, "9999-12-31"),
        ("9999-01-31", 12, "9999-12-31"),
        ("9999-06-15", 6, "9999-12-15"),
        ("9999-07-01", 6, "9999-12-31"),
        ("9990-01-01", 120, "9999-12-31"),
        ("9989-12-31", 120, "9999-12-31"),
    ],
)
def test_add_months_stops_at_the_last_date(day: str, months: int, expected: str) -> None:
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


FAR = [
    ("juhataja.yaml", "reviewed: 2024-06-30", "reviewed: 9999-12-31", "7:11", "reviewed"),
    ("spetsialist-b.yaml", "date: 2024-09-15", "date: 9999-12-31", "7:18", "approval.date"),
    ("spetsialist-a.yaml", "reviewed: 2025-01-31", "reviewed: 9999-02-28", "8:11", "reviewed"),
]


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize(("file", "old", "new", "where", "field"), FAR)
@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["list"],
        ["list", "--format", "csv"],
        ["list", "--format", "json"],
        ["review"],
        ["review", "--format", "json"],
        ["report", "--out", "rep"],
        ["build"],
    ],
)
def test_far_future_dates_work_everywhere(
    org: Path, file: str, old: str, new: str, where: str, field: str, command: list[str]
) -> None:
    edit(org / "data/positions" / file, old, new)
    result = run(*command, *(["--today", "2025-02-01"] if command[0] != "list" else []))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("file", "old", "new", "where", "field"), FAR)
def test_date_after_today_is_a_located_warning(
    org: Path, file: str, old: str, new: str, where: str, field: str
) -> None:
    edit(org / "data/positions" / file, old, new)
    result = run("validate", "--today", "2025-02-01")
    date = new.split(": ")[1]
    assert (
        f"data/positions/{file}:{where}: warning: {field}: the date {date} is after today "
        "(2025-02-01)\n    hint: a review or an approval is recorded once it has happened; "
        "check the year"
    ) in result.stderr
    assert run("validate", "--today", "2025-02-01", "--strict").exit_code == 1


def test_far_future_review_is_never_overdue(org: Path) -> None:
    edit(org / "data/positions/juhataja.yaml", "reviewed: 2024-06-30", "reviewed: 9999-12-31")
    result = run("review", "--today", "9999-12-31", "--format", "json")
    assert '"id": "juhataja"' not in result.stdout and '"id": "spetsialist-a"' in result.stdout
