"""Positions that refer to each other: rendering and the rules of the relations."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.document.references import inline
from ametijuhend_cli.estonian.vabamorf import installed
from conftest import edit, run

TODAY = "2025-02-01"  # every review of the fixture is done by then


def general_row(org: Path, pid: str) -> str:
    """Return the Markdown row with manager, substitutes and substituted of ``pid``."""
    result = run("build", pid, "--format", "md", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    lines = (org / "out" / f"{pid}.md").read_text(encoding="utf-8").splitlines()
    return lines[lines.index("| 1.3 Vahetu juht | 1.4 Kes asendab | 1.5 Keda asendab |") + 2]


def failure(*args: str) -> str:
    """Return stderr of a validate run that must fail."""
    result = run("validate", "--today", TODAY, *args)
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    return result.stderr


def test_fixture_is_consistent(org: Path) -> None:
    result = run("validate", "--strict", "--today", TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 3 positions, no problems\n",
        "",
    )


def test_references_print_titles_partitive_under_keda_asendab(org: Path) -> None:
    # a unique title prints alone; the two Spetsialist positions are told apart by unit;
    # after a comma the title starts small; under Keda asendab it is in the partitive
    assert general_row(org, "spetsialist-a") == (
        "| Osakonnajuhataja | Osakonnajuhataja, spetsialist (Nõustamistalitus) "
        "| Osakonnajuhatajat, spetsialisti (Nõustamistalitus) |"
    )
    assert general_row(org, "juhataja") == (
        "| Peadirektor | Spetsialist (Õppe tiim) | Spetsialisti (Õppe tiim) |"
    )
    # free text stays as written, next to a reference
    assert general_row(org, "spetsialist-b") == (
        "| Osakonnajuhataja | Spetsialist (Õppe tiim), Nõustamistalituse juhataja "
        "| Spetsialisti (Õppe tiim) |"
    )


def test_unit_is_named_only_where_titles_repeat(org: Path) -> None:
    path = org / "data/positions/spetsialist-b.yaml"
    edit(path, "title: Spetsialist", "title: Nõustaja")
    edit(path, "title_partitive: Spetsialisti", "title_partitive: Nõustajat")
    assert general_row(org, "spetsialist-a") == (
        "| Osakonnajuhataja | Osakonnajuhataja, nõustaja | Osakonnajuhatajat, nõustajat |"
    )


@pytest.mark.parametrize(
    ("text", "after_comma"),
    [
        ("Tiimijuht", "tiimijuht"),
        ("Osakonnajuhataja asetäitja", "osakonnajuhataja asetäitja"),
        ("KOV nõustaja", "KOV nõustaja"),
        ("IT-juht", "IT-juht"),
        ("3D-disainer", "3D-disainer"),
        ("Ülem", "ülem"),
    ],
)
def test_case_after_a_comma(text: str, after_comma: str) -> None:
    assert inline(text) == after_comma


def test_unknown_position(org: Path) -> None:
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "manager: {position: juhataja}",
        "manager: {position: juhatja}",
    )
    assert failure() == (
        "data/positions/spetsialist-b.yaml:4:21: manager.position: unknown position 'juhatja'\n"
        "    hint: closest known ids: juhataja; for someone whose position is not in the data, "
        "write the title as text\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_unknown_position_in_a_list(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "substituted_by: {position: spetsialist-a}",
        "substituted_by: [Asejuht, {position: asejuht}]",
    )
    assert failure() == (
        "data/positions/juhataja.yaml:5:38: substituted_by[1].position: unknown position "
        "'asejuht'\n"
        "    hint: for someone whose position is not in the data, write the title as text\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_reference_to_a_broken_file_is_not_reported_twice(org: Path) -> None:
    edit(org / "data/positions/juhataja.yaml", "unit: osakond", "unit: [osakond")
    lines = failure().splitlines()
    assert lines[-1] == "1 problem in 1 file; nothing was written"
    assert lines[0].startswith("data/positions/juhataja.yaml:")


def test_partitive_needed_and_unknown(org: Path) -> None:
    edit(org / "data/positions/spetsialist-b.yaml", "title_partitive: Spetsialisti\n", "")
    # with the extra keel, Vabamorf forms the partitive the hint asks for
    hint = (
        "add 'title_partitive: Spetsialisti' to data/positions/spetsialist-b.yaml (formed by "
        "Vabamorf)"
        if installed()
        else "add 'title_partitive: …' to data/positions/spetsialist-b.yaml: 'Spetsialist' "
        "answering 'keda?' (e.g. 'Koordinaatorit' for 'Koordinaator', 'Tiimijuhti' for "
        "'Tiimijuht')"
    )
    assert failure() == (
        "data/positions/spetsialist-a.yaml:6:48: substitutes[1].position: 'Keda asendab' needs "
        "the title of 'spetsialist-b' in the partitive case, and "
        "data/positions/spetsialist-b.yaml has no title_partitive\n"
        f"    hint: {hint}\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_partitive_is_needed_only_under_keda_asendab(org: Path) -> None:
    # nobody lists spetsialist-b under substitutes once spetsialist-a stops doing so
    # (and spetsialist-b no longer substitutes spetsialist-a either)
    edit(org / "data/positions/spetsialist-b.yaml", "title_partitive: Spetsialisti\n", "")
    edit(
        org / "data/positions/spetsialist-a.yaml",
        "substitutes: [{position: juhataja}, {position: spetsialist-b}]",
        "substitutes: [{position: juhataja}]",
    )
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "substituted_by: [{position: spetsialist-a}, Nõustamistalituse juhataja]",
        "substituted_by: Nõustamistalituse juhataja",
    )
    result = run("validate", "--strict", "--today", TODAY)
    assert result.exit_code == 0, result.stderr


def test_substitutes_itself(org: Path) -> None:
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "Nõustamistalituse juhataja]",
        "{position: spetsialist-b}]",
    )
    assert failure() == (
        "data/positions/spetsialist-b.yaml:5:56: substituted_by[1].position: a position cannot "
        "substitute itself\n"
        "    hint: another holder of the same title is not in the data: write the title as text\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_own_manager(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "manager: Peadirektor",
        "manager: {position: juhataja}",
    )
    assert failure() == (
        "data/positions/juhataja.yaml:4:21: manager.position: a position cannot be its own "
        "manager\n"
        "    hint: name the position this one reports to\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_manager_cycle(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "manager: Peadirektor",
        "manager: {position: spetsialist-b}",
    )
    assert failure() == (
        "data/positions/juhataja.yaml:4:21: manager.position: the chain of managers goes round "
        "in a circle: juhataja → spetsialist-b → juhataja\n"
        "    hint: the head of the chain reports to someone outside the data: write that manager "
        "as text\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_longer_manager_cycle_is_reported_once(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "manager: Peadirektor",
        "manager: {position: spetsialist-b}",
    )
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "manager: {position: juhataja}",
        "manager: {position: spetsialist-a}",
    )
    stderr = failure()
    assert "circle: juhataja → spetsialist-b → spetsialist-a → juhataja\n" in stderr
    assert stderr.endswith("1 problem in 1 file; nothing was written\n")


def test_one_sided_substitution_is_a_warning(org: Path) -> None:
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "substitutes: [{position: spetsialist-a}]",
        "substitutes: Nõustamistalituse juhataja",
    )
    warning = (
        "data/positions/spetsialist-a.yaml:5:51: warning: substituted_by[1].position: "
        "'spetsialist-b' does not list 'spetsialist-a' under substitutes (Keda asendab)\n"
        "    hint: add '{position: spetsialist-a}' to substitutes in "
        "data/positions/spetsialist-b.yaml, or correct this list\n"
    )
    result = run("validate", "--today", TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 3 positions, 1 warning\n",
        warning,
    )
    assert failure("--strict") == (
        warning + "1 problem in 1 file (warnings count under --strict); nothing was written\n"
    )
    built = run("build", "--strict", "--today", TODAY)
    assert built.exit_code == 1
    assert not (org / "out").exists()


def test_one_sided_the_other_way_round(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "substituted_by: {position: spetsialist-a}",
        "substituted_by: Asejuht",
    )
    result = run("validate", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "data/positions/spetsialist-a.yaml:6:26: warning: substitutes[0].position: 'juhataja' "
        "does not list 'spetsialist-a' under substituted_by (Kes asendab)"
    )


def test_relation_errors_come_with_the_other_errors(org: Path) -> None:
    edit(
        org / "data/positions/juhataja.yaml",
        "manager: Peadirektor",
        "manager: {position: juhataja}",
    )
    edit(org / "data/positions/spetsialist-b.yaml", "unit: talitus-b", "unit: talitus-c")
    lines = [line for line in failure().splitlines() if not line.startswith("    ")]
    assert lines == [
        "data/positions/juhataja.yaml:4:21: manager.position: a position cannot be its own manager",
        "data/positions/spetsialist-b.yaml:3:7: unit: unknown unit 'talitus-c'",
        "2 problems in 2 files; nothing was written",
    ]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (
            "manager: {posit: juhataja}",
            "data/positions/spetsialist-b.yaml:4:11: manager.posit: unknown field 'posit'\n"
            "    hint: did you mean 'position'?\n"
            "1 problem in 1 file; nothing was written\n",
        ),
        (
            "manager: {position: Juhataja}",
            "data/positions/spetsialist-b.yaml:4:21: manager.position: 'Juhataja' is not a "
            "valid id: use lowercase letters a-z, digits, '-' and '_' (not starting "
            "or ending with '-' or '_')\n"
            "1 problem in 1 file; nothing was written\n",
        ),
        (
            "manager: {position: juhataja, text: Juhataja}",
            "data/positions/spetsialist-b.yaml:4:31: manager.text: unknown field 'text'\n"
            "    hint: known fields here: position\n"
            "1 problem in 1 file; nothing was written\n",
        ),
    ],
)
def test_bad_reference_syntax(org: Path, new: str, expected: str) -> None:
    edit(org / "data/positions/spetsialist-b.yaml", "manager: {position: juhataja}", new)
    assert failure() == expected


def test_position_with_unit_is_worded_in_the_project(org: Path) -> None:
    (org / "templates").mkdir()
    wording = org / "templates/wording.yaml"
    wording.write_text('position_with_unit: "{title} – {unit}"\n', encoding="utf-8")
    assert general_row(org, "juhataja") == (
        "| Peadirektor | Spetsialist – Õppe tiim | Spetsialisti – Õppe tiim |"
    )
    wording.write_text('position_with_unit: "{titel} ({unit})"\n', encoding="utf-8")
    result = run("validate", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "templates/wording.yaml:1:21: position_with_unit: '{titel} ({unit})' must contain "
        "{title} and may contain {unit}, nothing else in braces"
    )
