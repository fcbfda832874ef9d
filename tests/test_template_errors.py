"""Broken templates (issue 13): a wrong encoding, endless recursion, a huge file: located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, run

TEMPLATE = (REPO / "templates" / "position.md.j2").read_text(encoding="utf-8")
HINT = "    hint: save the file with UTF-8 encoding (in Notepad: Save as → Encoding: UTF-8)"


def template(project: Path, name: str, data: bytes) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_bytes(data)


@pytest.mark.parametrize("command", [["build", "--format", "md"], ["validate"], ["build"]])
@pytest.mark.parametrize(
    ("name", "data", "where", "byte", "letter"),
    [
        ("position.md.j2", "{# mõtted #}\n".encode("cp1257") + TEMPLATE.encode(), "1:5", "F5", "õ"),
        (
            "position.md.j2",
            TEMPLATE.encode() + "{# Šveits #}\n".encode("cp1257"),
            None,
            "D0",
            "Š' or 'Ð",
        ),
        ("wording.yaml", 'document_title: "AMETIJUHEND ÕÄ"\n'.encode("cp1257"), "1:30", "D5", "Õ"),
        ("wording.yaml", "# tööõpetus\n".encode("cp1252"), "1:4", "F6", "ö"),
    ],
    ids=["template-start", "template-end", "wording-1257", "wording-1252"],
)
def test_template_in_a_windows_encoding(
    project: Path,
    command: list[str],
    name: str,
    data: bytes,
    where: str | None,
    byte: str,
    letter: str,
) -> None:
    template(project, name, data)
    result = run(*command)
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith(f"templates/{name}:")
    if where is not None:
        assert first.startswith(f"templates/{name}:{where}: ")
    assert f"byte 0x{byte} cannot be decoded (in the Windows encodings it is '{letter}')" in first
    assert hint == HINT
    assert "Traceback" not in result.output
    assert not (project / "out").exists() or not any((project / "out").glob("*.md"))


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("x\n{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}\n", 2),
        (
            "{% macro a() %}{{ b() }}{% endmacro %}\n{% macro b() %}{{ a() }}{% endmacro %}\n"
            "{{ a() }}\n",
            None,
        ),
        ("{% macro f(n) %}{{ f(n + 1) if n < 100000 else n }}{% endmacro %}{{ f(0) }}\n", 1),
    ],
    ids=["self", "mutual", "deep"],
)
@pytest.mark.parametrize("command", [["build", "--format", "md"], ["validate"]])
def test_recursive_macro_is_a_located_template_error(
    project: Path, source: str, line: int | None, command: list[str]
) -> None:
    template(project, "position.md.j2", source.encode())
    result = run(*command)
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith("templates/position.md.j2:")
    if line is not None:
        assert first.startswith(f"templates/position.md.j2:{line}: ")
    assert first.endswith(
        "the template calls itself without end (while rendering ekspert-kriisiabi)"
    )
    assert hint == "    hint: a macro that calls itself needs a condition that stops it"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("size", [1_000_001, 5_000_000])
def test_huge_template_is_refused(project: Path, size: int) -> None:
    body = b'{{ "' + b"a" * (size - 8) + b'" }}\n'
    template(project, "position.md.j2", body)
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/position.md.j2: the template is too large ({len(body):,} bytes; "
        "at most 1,000,000)"
    )
    assert not (project / "out").exists() or not any((project / "out").glob("*.md"))


def test_template_of_the_largest_size_allowed_renders(project: Path) -> None:
    padding = "{#" + "x" * (1_000_000 - len(TEMPLATE.encode()) - 6) + "#}\n"
    template(project, "position.md.j2", (padding + TEMPLATE).encode())
    assert len((project / "templates/position.md.j2").read_bytes()) <= 1_000_000
    assert run("build", "--format", "md").exit_code == 0
