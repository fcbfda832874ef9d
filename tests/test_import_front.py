"""Text before 1. ÜLDOSA (issue 13): imported, or named in the report as not imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, run

REFERENCE = REPO / "tests" / "reference"


def with_front(name: str, extra: list[str]) -> tuple[str, int]:
    lines = (REFERENCE / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "ÜLDOSA" in line)
    return "\n".join(lines[:at] + extra + lines[at:]), at


@pytest.mark.parametrize(
    "extra",
    [
        ["Lisainfo: kehtib alates 2025. aastast."],
        ["Konfidentsiaalne", "Asutusesiseseks kasutamiseks"],
        ["• täpploend enne üldosa"],
        ["x" * 200],
    ],
    ids=["one", "two", "bullet", "long"],
)
@pytest.mark.parametrize("name", ["teenusejuht-kov", "koordinaator-klat"])
def test_text_before_the_first_section_is_reported(
    project: Path, tmp_path: Path, name: str, extra: list[str]
) -> None:
    text, _ = with_front(name, extra)
    path = tmp_path / "front.txt"
    path.write_text(text, encoding="utf-8")
    result = run("import", str(path), "--to", "imported")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stdout.splitlines() if "not imported:" in line]
    assert len(notes) == len(extra)
    for line, note in zip(extra, notes, strict=True):
        shown = line.lstrip("• ")
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        assert f"not imported: {shown!r} (line " in note
        assert "before 1. ÜLDOSA)" in note


def test_nothing_reported_when_nothing_is_left_out(project: Path) -> None:
    result = run("import", str(REFERENCE / "teenusejuht-kov.txt"), "--to", "imported")
    assert result.exit_code == 0
    assert "not imported" not in result.stdout
