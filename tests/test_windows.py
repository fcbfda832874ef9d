"""A Windows desktop, simulated: what HR people's machines do differently.

We cannot run Windows here, so each difference is made on purpose:

- git for Windows checks text out with CRLF line ends (core.autocrlf=true
  does the same here);
- Python on Windows has no fcntl, no os.getuid and (on some file systems) no
  hard links: they are taken away before the tool is imported;
- a document open in Word cannot be replaced: os.replace fails with
  PermissionError;
- LibreOffice is installed under C:\\Program Files, not on PATH;
- and os.kill(pid, 0) would end a process there instead of testing it.

The console's code pages and legacy locales are in test_console.py.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from ametijuhend_cli.building import scratch
from ametijuhend_cli.render import pdf
from conftest import REPO, edit, run, working_folder

#: What a Python on Windows lacks, taken away before the tool is imported.
WINDOWS_LIKE = """
import os, sys
sys.modules["fcntl"] = None  # `import fcntl` fails, as on Windows
for name in ("link", "getuid", "geteuid"):
    if hasattr(os, name):
        delattr(os, name)
"""
RUN_TOOL = WINDOWS_LIKE + "from ametijuhend_cli.cli import main\nmain()\n"
HOLD_LOCK = (
    WINDOWS_LIKE
    + """
from pathlib import Path
from ametijuhend_cli.building.outputs import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""
)


def _windows_like(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_TOOL, *args],
        cwd=project,
        capture_output=True,
        encoding="utf-8",
    )


@pytest.mark.slow
def test_build_and_new_without_fcntl_link_or_getuid(project: Path) -> None:
    built = _windows_like(project, "build")
    assert built.returncode == 0, built.stderr
    assert "built 4 positions: 8 files written" in built.stdout
    assert built.stderr == ""
    made = _windows_like(project, "new", "uus", "--unit", "kov-noustamistalitus")
    assert made.returncode == 0, made.stderr
    assert (project / "data/positions/uus.yaml").is_file()
    again = _windows_like(project, "new", "uus", "--unit", "kov-noustamistalitus")
    assert again.returncode == 1
    assert again.stderr == (
        "error: data/positions/uus.yaml already exists; choose another id or edit that file\n"
    )


@pytest.mark.slow
def test_two_builds_into_one_folder_take_turns_without_fcntl(project: Path) -> None:
    assert run("build").exit_code == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, "out"],
        cwd=project,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        encoding="utf-8",
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        edit(project / "data/library/rights.yaml", "kokkuleppel vahetu juhiga", "kokkuleppel")
        waiting = subprocess.Popen(
            [sys.executable, "-c", RUN_TOOL, "build"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        time.sleep(1.5)
        assert waiting.poll() is None, "the build did not wait for the folder's lock"
        assert "kokkuleppel vahetu juhiga" in (project / "out/koordinaator-klat.md").read_text(
            encoding="utf-8"
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.close()  # the other build ends
        holder.wait(timeout=60)
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert "wrote out/koordinaator-klat.md" in stdout


def test_a_lock_file_that_is_a_link_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # the lock file, as on Windows
    (project / "out").mkdir()
    (project / "out/.ametijuhend-lock").symlink_to(project / "data/organization.yaml")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot lock the output folder: out/.ametijuhend-lock is not a regular file; "
        "remove it\n",
    )


def test_new_where_there_are_no_hard_links(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_link(source: Any, target: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")  # FAT, a network share

    monkeypatch.setattr(os, "link", no_link)
    assert run("new", "uus", "--unit", "kov-noustamistalitus").exit_code == 0
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert [p.name for p in (project / "data/positions").iterdir() if p.name.startswith(".")] == []
    monkeypatch.delattr(os, "link")
    result = run("new", "uus", "--unit", "kov-noustamistalitus")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (project / "data/positions/uus.yaml").read_text(encoding="utf-8") == text


def test_a_document_open_in_word(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build").exit_code == 0
    real = os.replace

    def word_holds_it(source: Any, target: Any) -> None:
        if str(target).endswith("teenusejuht-kov.docx"):  # a sharing violation, as Windows has it
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", word_holds_it)
    edit(project / "data/positions/teenusejuht-kov.yaml", "\ntitle: Teenusejuht", "\ntitle: Juht")
    result = run("build", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot write out/teenusejuht-kov.docx: Permission denied; is it open in Word "
        "or another program? Close it there and run the command again; no file was left "
        "half-written\n"
    )
    assert [p.name for p in (project / "out").iterdir() if p.suffix == ".tmp"] == []


def test_an_obsolete_document_open_in_word(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build").exit_code == 0
    real = Path.unlink  # (pathlib of Python 3.10 calls its own copy of os.unlink)

    def word_holds_it(path: Path, missing_ok: bool = False) -> None:
        if path.name == "ekspert-kriisiabi.docx":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, missing_ok)

    monkeypatch.setattr(Path, "unlink", word_holds_it)
    (project / "data/positions/ekspert-kriisiabi.yaml").unlink()
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot remove out/ekspert-kriisiabi.docx (its position is gone): Permission "
        "denied; is it open in Word or another program? Close it there and run the command "
        "again\n",
    )


def test_libreoffice_where_windows_installs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)  # not on PATH
    machine = {"PROGRAMFILES": str(tmp_path / "Program Files"), "LOCALAPPDATA": str(tmp_path)}
    assert pdf.find_soffice("win32", machine) is None
    soffice = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"MZ")
    assert pdf.find_soffice("win32", machine) == str(soffice)
    # an installation for one user only
    del machine["PROGRAMFILES"]
    mine = tmp_path / "Programs" / "LibreOffice" / "program" / "soffice.exe"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"MZ")
    assert pdf.find_soffice("win32", machine) == str(mine)
    assert pdf.find_soffice("linux", machine) is None
    assert pdf.install_locations("darwin", {}) == [
        "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    ]


@pytest.mark.parametrize(
    ("platform", "message"),
    [
        (
            "win32",
            "--format pdf needs LibreOffice, which is not installed; install it from "
            "https://www.libreoffice.org/download/ (or: winget install "
            "TheDocumentFoundation.LibreOffice); it is found in C:\\Program Files\\LibreOffice "
            "without a change to PATH or use --format docx and convert in Word",
        ),
        (
            "darwin",
            "--format pdf needs LibreOffice, which is not installed; install it from "
            "https://www.libreoffice.org/download/ (or: brew install --cask libreoffice) or use "
            "--format docx and convert in Word",
        ),
        (
            "linux",
            "--format pdf needs LibreOffice, which is not installed; install it (Debian/Ubuntu: "
            "apt-get install libreoffice-writer-nogui) or use --format docx and convert in Word",
        ),
    ],
)
def test_the_hint_to_install_libreoffice(platform: str, message: str) -> None:
    assert str(pdf.not_installed("--format pdf", platform)) == message


class FakeKernel32:
    """What Windows says of processes: ``running`` pids, ``exited`` ones, the rest unknown."""

    def __init__(self, running: set[int], exited: set[int], denied: set[int]):
        self.running, self.exited, self.denied = running, exited, denied
        self.error = 0
        self.closed: list[int] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        assert access == 0x1000 and inherit is False
        if pid in self.running | self.exited:
            return pid
        self.error = 5 if pid in self.denied else 87
        return 0

    def GetExitCodeProcess(self, handle: int, code: Any) -> int:
        code._obj.value = 259 if handle in self.running else 0
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.closed.append(handle)
        return 1


@pytest.mark.parametrize(("pid", "alive"), [(10, True), (11, False), (12, False), (13, True)])
def test_a_process_is_tested_without_being_killed_on_windows(pid: int, alive: bool) -> None:
    kernel32 = FakeKernel32(running={10}, exited={11}, denied={13})
    assert scratch._alive_on_windows(pid, kernel32, lambda: kernel32.error) is alive
    assert kernel32.closed == ([pid] if pid in (10, 11) else [])


def test_dead_scratch_is_removed_without_getuid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ametijuhend-abcdefgh"
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (folder / scratch.PID_FILE).write_text(f"ametijuhend build {dead}\n", encoding="ascii")
    monkeypatch.delattr(os, "getuid")
    assert scratch.remove_dead_scratch(tmp_path) == [folder]


# -- CRLF checkouts ---------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _crlf_checkout(tmp_path: Path, attributes: str = "") -> Path:
    """Return a clone, made as git for Windows makes it, of the sample data and Markdown."""
    origin = tmp_path / "origin"
    shutil.copytree(REPO / "data", origin / "data")
    shutil.copytree(
        REPO / "out", origin / "out", ignore=shutil.ignore_patterns("[!a-z]*", "*.docx")
    )
    if attributes:
        (origin / ".gitattributes").write_text(attributes, encoding="utf-8")
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "sample")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(origin), str(clone))
    return clone


def _line_ends(folder: Path) -> set[str]:
    return {"crlf" if b"\r\n" in p.read_bytes() else "lf" for p in sorted(folder.glob("*.md"))}


def test_a_crlf_checkout_is_current(tmp_path: Path) -> None:
    clone = _crlf_checkout(tmp_path)
    assert _line_ends(clone / "out") == {"crlf"}  # as git for Windows writes them
    with working_folder(clone):
        check = run("build", "--check", "--format", "md")
        assert (check.exit_code, check.stderr) == (0, ""), check.stdout
        built = run("build", "--format", "md")
        assert built.stdout.endswith("built 4 positions: 0 files written, 4 unchanged\n")
        assert _line_ends(clone / "out") == {"crlf"}  # left as they are
        edit(clone / "data/library/rights.yaml", "kokkuleppel vahetu juhiga", "kokkuleppel")
        stale = run("build", "--check", "--format", "md")
        assert stale.exit_code == 1 and "stale out/koordinaator-klat.md" in stale.stdout


def test_init_keeps_the_committed_markdown_lf(tmp_path: Path) -> None:
    from ametijuhend_cli.authoring.init import starter_text

    clone = _crlf_checkout(tmp_path, starter_text("gitattributes"))
    assert _line_ends(clone / "out") == {"lf"}
    with working_folder(clone):
        assert run("build", "--check", "--format", "md").exit_code == 0


@pytest.mark.slow
def test_the_pre_commit_hooks_on_a_crlf_checkout(tmp_path: Path) -> None:
    clone = _crlf_checkout(tmp_path)
    bin_folder = Path(sys.executable).parent
    hooks = []
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        if "--spelling" in hook["entry"]:
            continue  # the extra keel (Vabamorf): not what this checks
        command, *options = hook["entry"].split()
        entry = " ".join([str(bin_folder / command), *options])
        local = {k: v for k, v in hook.items() if k != "additional_dependencies"}
        hooks.append({**local, "language": "unsupported", "entry": entry})
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (clone / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    done = subprocess.run(
        [str(bin_folder / "pre-commit"), "run", "--all-files"],
        cwd=clone,
        env=env,
        capture_output=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert _line_ends(clone / "out") == {"crlf"}
