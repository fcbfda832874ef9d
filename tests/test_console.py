"""Output to a console or a file in a legacy encoding: Windows code pages, ISO-8859 locales.

A redirected Windows console writes the ANSI code page (cp1257 in Estonia,
cp1252 in much of Europe); a Linux desktop set up long ago may still run
et_EE.ISO-8859-15. None of them has '→' or '…', and ISO-8859-1 has no 'Š'.
The commands run as a user runs them (a new interpreter), with Python's
output encoding set as such a console sets it; with `localedef` the whole
locale is simulated too (the default encoding of files and of the console).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ametijuhend_cli.cli import console
from ametijuhend_cli.cli.console import FALLBACK
from conftest import edit, run

TITLE = "Šoti keele spetsialist"
CSV_START = "\ufeff".encode()


@pytest.mark.parametrize(
    ("text", "encoding", "shown"),
    [
        ("imported a.docx → a.yaml", "cp1257", b"imported a.docx -> a.yaml"),
        ("Šoti keele spetsialist", "cp1257", "Šoti keele spetsialist".encode("cp1257")),
        ("Šoti keele spetsialist", "iso-8859-1", b"Soti keele spetsialist"),
        ("Šoti keele spetsialist", "iso-8859-15", "Šoti keele spetsialist".encode("iso-8859-15")),
        ("'title: …' „Nõunik”", "iso-8859-15", "'title: ...' \"Nõunik\"".encode("iso-8859-15")),
        ("tööd – 3 ✓", "iso-8859-1", b"t\xf6\xf6d - 3 ?"),
        ("\ufeffid;pealkiri", "cp1252", b"id;pealkiri"),
    ],
)
def test_characters_a_code_page_lacks_are_spelled_out(
    text: str, encoding: str, shown: bytes
) -> None:
    assert text.encode(encoding, errors=FALLBACK) == shown


def test_the_streams_are_made_safe_only_where_they_are_not_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    legacy = io.TextIOWrapper(io.BytesIO(), encoding="cp1257")
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", legacy)
    monkeypatch.setattr(sys, "stderr", utf8)
    console.setup()
    assert (legacy.errors, utf8.errors) == (FALLBACK, "strict")
    legacy.write("imported → Šoti\n")
    legacy.flush()
    assert legacy.buffer.getvalue() == "imported -> Šoti\n".encode("cp1257")
    console.make_safe(None)  # no console at all (pythonw on Windows): nothing to do
    with pytest.raises(UnicodeDecodeError):  # only for writing: reading stays strict
        b"\x81".decode("cp1252", errors=FALLBACK)


def _command(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", *args],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
    )


@pytest.fixture
def estonian(project: Path) -> Path:
    """Return the sample project with a title the legacy encodings lack letters of, and a
    DOCX of it to import."""
    edit(project / "data/positions/ekspert-kriisiabi.yaml", "\ntitle: ", f"\ntitle: {TITLE} # ")
    assert run("build", "--format", "docx", "--out", "vana").exit_code == 0
    return project


def _no_crash(done: subprocess.CompletedProcess[bytes]) -> None:
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr


def _commands(project: Path, env: dict[str, str], encoding: str) -> None:
    """Run the commands that crashed on legacy encodings; assert what each printed."""
    listed = _command(project, "list", env=env)
    _no_crash(listed)
    shown = TITLE.encode(encoding, errors=FALLBACK)
    assert shown in listed.stdout
    spreadsheet = _command(project, "list", "--format", "csv", env=env)
    _no_crash(spreadsheet)
    # the CSV is the file a spreadsheet opens: UTF-8 with its byte-order mark, as it is
    assert spreadsheet.stdout.startswith(CSV_START)
    assert TITLE in spreadsheet.stdout.decode("utf-8-sig")
    review = _command(project, "review", "--today", "2030-01-01", env=env)
    _no_crash(review)
    assert shown in review.stdout
    imported = _command(project, "import", "vana/ekspert-kriisiabi.docx", "--to", "uus", env=env)
    _no_crash(imported)
    arrow = "→".encode(encoding, errors=FALLBACK)
    assert b"imported vana/ekspert-kriisiabi.docx " + arrow + b" uus/" in imported.stdout
    assert len(list((project / "uus").glob("*.yaml"))) == 1


@pytest.mark.parametrize(
    "encoding",
    [
        "cp1257",
        pytest.param("cp1252", marks=pytest.mark.slow),
        pytest.param("iso-8859-15", marks=pytest.mark.slow),
        pytest.param("iso-8859-1", marks=pytest.mark.slow),
    ],
)
def test_no_command_crashes_on_a_legacy_console(estonian: Path, encoding: str) -> None:
    # PYTHONIOENCODING is what a redirected Windows console (or such a terminal) gives
    _commands(estonian, {"PYTHONIOENCODING": encoding}, encoding)


LOCALES = {"et_EE.ISO-8859-15": "iso-8859-15", "en_US.ISO-8859-1": "iso-8859-1"}


@pytest.fixture(scope="session")
def legacy_locales(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder (for LOCPATH) with the legacy locales compiled by localedef."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("no localedef here to make a legacy locale")
    folder = tmp_path_factory.mktemp("locales")
    for name in LOCALES:
        language, charset = name.split(".")
        done = subprocess.run(
            [localedef, "-i", language, "-f", charset, str(folder / name)], capture_output=True
        )
        if not (folder / name).is_dir():
            pytest.skip(f"localedef cannot make {name}: {done.stderr[-200:]!r}")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_no_command_crashes_in_a_legacy_locale(
    estonian: Path, legacy_locales: Path, locale: str
) -> None:
    env = {"LOCPATH": str(legacy_locales), "LC_ALL": locale, "LANG": locale}
    env.update({"PYTHONIOENCODING": "", "PYTHONUTF8": "0"})
    encoding = LOCALES[locale]
    probe = _command(estonian, "--version", env=env)
    assert probe.returncode == 0
    check = [sys.executable, "-c", "import locale; print(locale.getpreferredencoding())"]
    found = subprocess.run(check, env={**os.environ, **env}, capture_output=True, text=True)
    assert found.stdout.strip().lower().replace("_", "-") == encoding, found.stdout
    _commands(estonian, env, encoding)
    # a problem message with '…' in it, on stderr
    edit(estonian / "data/positions/ekspert-kriisiabi.yaml", "\npurpose:", "\npurpouse:")
    broken = _command(estonian, "validate", env=env)
    assert broken.returncode == 1 and b"Traceback" not in broken.stderr
    assert b"unknown field 'purpouse'" in broken.stderr
    # and the tool's own texts in Estonian, as that locale gives them to a user
    english = _command(estonian, "build", "--help", env=env)
    translated = _command(estonian, "build", "--help", env={**env, "AMETIJUHEND_LANG": "et"})
    _no_crash(english)
    _no_crash(translated)
    assert translated.stdout != english.stdout
