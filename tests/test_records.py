"""The quick read of a position's name (title, partitive, unit) for references."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.document.records import NameRecord, read_name_record


def test_a_plain_position_gives_its_folded_names(tmp_path: Path) -> None:
    path = tmp_path / "juht.yaml"
    path.write_text(
        "title: |\n  Teenuse\n  juht\ntitle_partitive: teenuse  juhti\nunit: Osakond\n",
        encoding="utf-8",
    )
    record = read_name_record(path, tmp_path)
    assert record is not None
    assert record == NameRecord("Teenuse juht", "teenuse juhti", "Osakond", record.source)
    assert record.source.endswith("juht.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "- a list\n",  # not a mapping
        "unit: Osakond\n",  # no title
        "title: Juht\nunit: [1, 2]\n",  # a unit that is no text
        "title: [unclosed\n",  # not YAML
        "",  # empty
    ],
)
def test_what_cannot_name_a_position_gives_none(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_name_record(path, tmp_path) is None


def test_not_utf8_or_a_link_out_of_the_project_gives_none(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    latin = project / "latin.yaml"
    latin.write_bytes("title: Jõe\nunit: Ü\n".encode("cp1257"))
    assert read_name_record(latin, project) is None
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: Juht\nunit: Osakond\n", encoding="utf-8")
    link = project / "link.yaml"
    link.symlink_to(outside)
    assert read_name_record(link, project) is None
    assert read_name_record(outside, tmp_path) is not None
