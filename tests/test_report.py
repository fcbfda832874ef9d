"""The organization overview: report.md, report.csv and the Graphviz chart."""

from __future__ import annotations

import csv
import io
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ametijuhend_cli.organization.report import _mermaid_label
from conftest import edit, run

MERMAID = """\
```mermaid
flowchart TD
  subgraph u1["Teenuste osakond"]
    p1["Osakonnajuhataja"]
    x1["Peadirektor"]
    subgraph u2["Arendustalitus"]
      subgraph u3["Õppe tiim"]
        p3["Spetsialist"]
      end
    end
    subgraph u4["Nõustamistalitus"]
      p2["Spetsialist"]
    end
  end
  x1 --> p1
  p1 --> p2
  p1 --> p3
  p1 <-.-> p3
  p2 <-.-> p3
  classDef outside stroke-dasharray: 4 4
  class x1 outside
```
"""


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ametijuhend_cli.organization.report.find_dot", lambda: None)


def report(org: Path, *args: str) -> str:
    result = run("report", *args)
    assert result.exit_code == 0, result.stderr
    return (org / "out/report/report.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> list[str]:
    """Return the lines of one ``## heading`` section, blank lines dropped."""
    lines = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].splitlines()
    return [line for line in lines if line]


def test_writes_markdown_and_csv_without_graphviz(org: Path, no_dot: None) -> None:
    result = run("report", "--today", "2025-02-01")
    assert result.exit_code == 0
    assert result.stdout == "wrote out/report/report.md\nwrote out/report/report.csv\n"
    assert result.stderr == (
        "skipped orgchart.svg: Graphviz is not installed (Debian/Ubuntu: apt-get install "
        "graphviz); report.md has the chart as a Mermaid diagram\n"
    )
    assert sorted(p.name for p in (org / "out/report").iterdir()) == ["report.csv", "report.md"]


def test_positions_per_unit(org: Path, no_dot: None) -> None:
    text = report(org, "--today", "2025-02-01")
    assert text.startswith("# Näidisamet: ametijuhendite ülevaade\n")
    # totals count the sub-units; a unit without positions is left out
    assert section(text, "Ametikohad struktuuriüksuste kaupa") == [
        "- **Teenuste osakond** (3)",
        "  - juhataja: Osakonnajuhataja",
        "  - **Arendustalitus** (1)",
        "    - **Õppe tiim** (1)",
        "      - spetsialist-a: Spetsialist",
        "  - **Nõustamistalitus** (1)",
        "    - spetsialist-b: Spetsialist",
    ]


def test_matrix_of_competencies_and_rights(org: Path, no_dot: None) -> None:
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "rights: [kaugtoo]",
        "rights: [kaugtoo, text: Oma õigus]",
    )
    lines = section(report(org), "Kompetentsid ja õigused ametikohtade kaupa")
    assert lines == [
        "Veergude numbrid:",
        "1. juhataja: Osakonnajuhataja",
        "2. spetsialist-b: Spetsialist (Nõustamistalitus)",
        "3. spetsialist-a: Spetsialist (Õppe tiim)",
        "### Tööks vajalikud kompetentsid",
        "| | 1 | 2 | 3 |",
        "|---|:-:|:-:|:-:|",
        "| Kliendikesksus | x | x | x |",
        "| Koostöövõime | x |  |  |",
        "### Õigused",
        "| | 1 | 2 | 3 |",
        "|---|:-:|:-:|:-:|",
        "| teha kaugtööd kokkuleppel vahetu juhiga | x | x | x |",
        "| osaleda ametikohale vajalikel koolitustel | x |  |  |",
        "| *ametikoha oma sõnastus (arv)* |  | 1 |  |",
    ]


def test_overdue_reviews(org: Path, no_dot: None) -> None:
    edit(org / "data/positions/juhataja.yaml", "reviewed: 2024-06-30\n", "")
    lines = section(
        report(org, "--today", "2025-10-01"), "Ülevaatamise tähtaja ületanud ametijuhendid"
    )
    never = (
        "| juhataja | Osakonnajuhataja | Teenuste osakond | Peadirektor | ei ole üle vaadatud | — |"
    )
    assert lines == [
        "| Id | Ametikoht | Struktuuriüksus | Vahetu juht | Viimati üle vaadatud | Tähtaeg |",
        "|---|---|---|---|---|---|",
        never,
        "| spetsialist-b | Spetsialist | Nõustamistalitus | Osakonnajuhataja | 15.09.2024 | "
        "15.09.2025 |",
    ]
    none = section(
        report(org, "--today", "2024-10-01"), "Ülevaatamise tähtaja ületanud ametijuhendid"
    )
    assert none[-1] == never  # never reviewed is overdue on any day
    edit(
        org / "data/positions/juhataja.yaml",
        "title_partitive",
        "reviewed: 2024-09-01\ntitle_partitive",
    )
    assert section(
        report(org, "--today", "2024-10-01"), "Ülevaatamise tähtaja ületanud ametijuhendid"
    ) == ["Kõik ametijuhendid on tähtajaks üle vaadatud."]


def test_mermaid_chart(org: Path, no_dot: None) -> None:
    text = report(org, "--today", "2025-02-01")
    assert text.endswith(MERMAID)


def test_one_way_substitution_and_outside_managers_per_unit(org: Path, no_dot: None) -> None:
    # spetsialist-b substitutes spetsialist-a, but not the other way round
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
    edit(
        org / "data/positions/spetsialist-a.yaml",
        "manager: {position: juhataja}",
        "manager: Peadirektor",
    )
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "manager: {position: juhataja}",
        "manager: Peadirektor",
    )
    text = report(org, "--today", "2025-02-01")
    chart = text.split("```mermaid\n", 1)[1]
    # one arrow, from the substitute to the substituted
    assert "  p2 -.-> p3\n" in chart
    assert "p2 <-.-> p3" not in chart
    # "Peadirektor" of each unit is a node of its own
    assert chart.count('["Peadirektor"]') == 3
    assert "  class x1,x2,x3 outside\n" in chart


def test_mermaid_labels_are_escaped() -> None:
    assert _mermaid_label('Juht "A" <b> #1') == '"Juht #quot;A#quot; #lt;b#gt; #35;1"'


def test_csv(org: Path, no_dot: None) -> None:
    run("report", "--today", "2025-02-01")
    data = (org / "out/report/report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # for spreadsheet programs
    # Excel in an Estonian locale splits at ';'; the headings come from wording.yaml
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "ID",
            "Ametinimetus",
            "Struktuuriüksus",
            "Vahetu juht",
            "Ametnik või töötaja",
            "Viimati üle vaadatud",
            "Järgmine ülevaatus",
            "Muutmise tingimus: ulevaatamine",
            "Kompetents: kliendikesksus",
            "Kompetents: koostoovoime",
            "Arvutioskus: ms-office",
            "Vastutus: riigi-vara",
            "Õigus: kaugtoo",
            "Õigus: koolitus",
            "Töövahendid: kontor",
        ],
        ["juhataja", "Osakonnajuhataja", "Teenuste osakond", "Peadirektor", "ametnik"]
        + ["2024-06-30", "2025-06-30", "x", "x", "x", "x", "x", "x", "x", "x"],
        ["spetsialist-b", "Spetsialist", "Nõustamistalitus", "Osakonnajuhataja", "ametnik"]
        + ["2024-09-15", "2025-09-15", "x", "x", "", "x", "x", "x", "", "x"],
        ["spetsialist-a", "Spetsialist", "Õppe tiim", "Osakonnajuhataja", "ametnik"]
        + ["2025-01-31", "2026-01-31", "x", "x", "", "x", "x", "x", "", "x"],
    ]
    assert data.split(b"\r\n")[1].startswith(b'"juhataja";"Osakonnajuhataja";')


def test_deterministic_and_today_is_not_written(org: Path, no_dot: None) -> None:
    run("report", "--today", "2025-02-01")
    first = {p.name: p.read_bytes() for p in (org / "out/report").iterdir()}
    again = run("report", "--today", "2025-02-03")  # the same reviews are overdue
    assert again.stdout == "unchanged out/report/report.md\nunchanged out/report/report.csv\n"
    assert {p.name: p.read_bytes() for p in (org / "out/report").iterdir()} == first
    for data in first.values():
        assert b"01.02.2025" not in data and b"2025-02-01" not in data


def test_out_option(org: Path, tmp_path: Path, no_dot: None) -> None:
    target = tmp_path / "ulevaade"
    assert run("report", "--out", str(target)).exit_code == 0
    assert sorted(p.name for p in target.iterdir()) == ["report.csv", "report.md"]


def test_sample_data(project: Path, no_dot: None) -> None:
    text = report(project, "--today", "2025-03-01")
    assert "- **Ohvriabi ja ennetusteenuste osakond** (3)" in text
    assert "| Kliendikesksus | x | x | x | x |" in text
    assert (
        "| koordinaator-klat | Koordinaator | KLAT ja abivajava lapse SRT tiim | Tiimijuht "
        "| 12.02.2024 | 12.02.2025 |" in text
    )


def test_report_needs_valid_data(org: Path) -> None:
    edit(org / "data/positions/juhataja.yaml", "unit: osakond", "unit: osakon")
    result = run("report")
    assert result.exit_code == 1
    assert not (org / "out").exists()


@pytest.mark.office
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz (dot)")
def test_svg_through_graphviz(org: Path) -> None:
    result = run("report", "--today", "2025-02-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "wrote out/report/orgchart.svg"
    svg = (org / "out/report/orgchart.svg").read_bytes()
    root = ET.fromstring(svg)
    texts = [el.text for el in root.iter("{http://www.w3.org/2000/svg}text")]
    for label in ["Teenuste osakond", "Õppe tiim", "Osakonnajuhataja", "Peadirektor"]:
        assert label in texts
    assert texts.count("Spetsialist") == 2
    (org / "out/report/orgchart.svg").unlink()
    run("report", "--today", "2025-02-01")
    assert (org / "out/report/orgchart.svg").read_bytes() == svg
