"""Faults of the machine (issue 27): a clear message and exit 1, never a traceback or lost output.

A deleted working folder, a closed or full standard output, too many open
files, a file-size limit, a read-only disk, a build that holds the output
folder while stopped, a diff killed by SIGKILL, no git on the PATH.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, git, run

PID = "teenusejuht-kov"


def _cli(
    project: Path, *args: str, limits: dict[int, int] | None = None, shell: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the command as a person does (its own process), with resource limits or a shell."""

    def limit() -> None:
        for which, value in (limits or {}).items():
            resource.setrlimit(which, (value, value))

    # a bytecode cache written under a file size limit would be cut short (Python does
    # not check the length written) and break that module for every later process
    command = [sys.executable, "-B", "-m", "ametijuhend_cli", *args]
    if shell:
        command = ["sh", "-c", 'exec "$@" ' + shell, "sh", *command]
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, preexec_fn=limit, check=False
    )


def test_a_deleted_working_folder(project: Path) -> None:
    gone = project / "data" / "gone"
    gone.mkdir()
    os.chdir(gone)
    gone.rmdir()
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the current folder no longer exists (it was deleted or moved)\n"
        "    hint: change into the project folder again (cd), then run the command\n"
    )


@pytest.mark.slow
def test_a_closed_standard_output_is_an_error_not_lost_output(project: Path) -> None:
    done = _cli(project, "list", shell=">&-")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: cannot print the output: standard output is closed\n    hint: nothing can be"
    )
    # a command that prints nothing does not mind
    assert _cli(project, "-q", "build", "--format", "md", shell=">&-").returncode == 0


def test_a_standard_output_that_cannot_be_written(project: Path, tmp_path: Path) -> None:
    # the listing of many positions does not fit under a file-size limit of 1 KB
    for i in range(30):
        shutil.copy(project / f"data/positions/{PID}.yaml", project / f"data/positions/p{i}.yaml")
    listing = tmp_path / "listing.txt"
    done = _cli(project, "list", shell=f"> {listing}", limits={resource.RLIMIT_FSIZE: 1024})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "error: cannot print the output: File too large\n"
        "    hint: the file would be larger than this session allows ('ulimit -f')\n"
    )


def test_a_file_size_limit_in_reference_docx(project: Path) -> None:
    done = _cli(project, "reference-docx", "ref.docx", limits={resource.RLIMIT_FSIZE: 2048})
    assert done.returncode == 1
    assert done.stderr == (
        "error: cannot write ref.docx: File too large; it was not written (a file there "
        "before is as it was)\n"
        "    hint: the file would be larger than this session allows ('ulimit -f')\n"
    )
    assert not (project / "ref.docx").exists()
    assert not list(project.glob(".ref.docx.*"))


def test_too_many_open_files_in_a_parallel_build(project: Path) -> None:
    for i in range(40):
        shutil.copy(project / f"data/positions/{PID}.yaml", project / f"data/positions/p{i}.yaml")
    done = _cli(project, "build", "--jobs", "2", limits={resource.RLIMIT_NOFILE: 12})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Too many open files" in done.stderr
    assert "hint: too many files are open at once: raise the limit ('ulimit -n')" in done.stderr


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_for_a_file_named_on_the_command_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    from ametijuhend_cli import writing as outputs

    def refused(*args: object) -> object:
        raise OSError(code, os.strerror(code))

    position = repo / f"data/positions/{PID}.yaml"
    position.write_text(
        position.read_text(encoding="utf-8").replace(
            "3-aastane töökogemus", "5-aastane töökogemus"
        ),
        "utf-8",
    )
    monkeypatch.setattr(outputs, "_write_new", refused)
    hint = "the disk is full" if code == errno.ENOSPC else "the folder is on a read-only disk"
    for args in (
        ["reference-docx", "ref.docx"],
        ["diff", "HEAD", "-o", "teade.md"],
        ["diff", "HEAD", "--format", "docx", "--date", "2026-06-01", "-o", "teade.docx", "--", PID],
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        first, second = result.stderr.splitlines()[:2]
        name = next(a for a in args if a.startswith(("ref.", "teade.")))
        assert first.startswith(f"error: cannot write {name}: {os.strerror(code)};"), first
        assert second.startswith(f"    hint: {hint}")


def test_no_git_on_the_path(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("diff", "HEAD")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: git is not installed (no 'git' on the PATH)\n"
        "    hint: 'ametijuhend diff' reads the versions from git: install git, or add it to "
        "the PATH\n"
    )


_HOLD_STOPPED = """
import fcntl, os, signal, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="the holder is read from /proc")
def test_a_build_stopped_while_holding_the_output_folder_is_named(project: Path) -> None:
    (project / "out").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_STOPPED, str(project / "out")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        build = subprocess.Popen(
            [sys.executable, "-m", "ametijuhend_cli", "build", "--format", "md"],
            cwd=project,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert build.stderr is not None
        line = build.stderr.readline()
        assert line.startswith(f"waiting for out: process {holder.pid} (")
        assert line.endswith(
            ", which is stopped (resume it with 'fg', or end it) is building into it\n"
        )
    finally:
        holder.kill()
        holder.wait()
    assert build.wait(timeout=60) == 0


@pytest.mark.slow
def test_a_diff_killed_by_sigkill_leaves_copies_the_next_one_removes(
    repo: Path, tmp_path: Path
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    (repo / "templates").mkdir()
    # a template that takes its whole budget: the diff is killed while it renders
    (repo / "templates/notice.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    (repo / f"data/positions/{PID}.yaml").write_text(
        (REPO / f"data/positions/{PID}.yaml")
        .read_text(encoding="utf-8")
        .replace("Teenusejuht", "Teenusejuhi", 1),
        encoding="utf-8",
    )
    env = {**os.environ, "TMPDIR": str(temp)}
    diff = subprocess.Popen(
        [sys.executable, "-m", "ametijuhend_cli", "diff", "HEAD"], cwd=repo, env=env
    )
    for _ in range(200):  # the copies are made before the notice is rendered
        if any(temp.glob("ametijuhend-*/old/data/positions")):
            break
        time.sleep(0.05)
    diff.send_signal(signal.SIGKILL)
    diff.wait()
    left = list(temp.glob("ametijuhend-*"))
    assert left, "the killed diff left its copies"
    (repo / "templates/notice.md.j2").unlink()
    git(repo, "status")  # the repository is as it was
    done = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "diff", "HEAD"],
        cwd=repo,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in left)
