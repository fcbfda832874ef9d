"""A full disk, a size limit, a folder in the way: a located error, exit 1, nothing half-written."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ametijuhend_cli.building.manifest import MANIFEST_NAME
from conftest import REPO, many_positions, run


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Return every output of a complete build of the sample project, by file name."""
    root = tmp_path_factory.mktemp("reference")
    shutil.copytree(REPO / "data", root / "data")
    done = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build", "--jobs", "1"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {p.name: p.read_bytes() for p in (root / "out").iterdir() if p.suffix != ""}


def assert_nothing_half_written(out: Path, complete: dict[str, bytes]) -> None:
    """Every file in ``out`` is a complete output; no temporary file is left."""
    for path in out.iterdir():
        assert not path.name.endswith(".tmp"), path.name
        if path.name == MANIFEST_NAME:
            assert path.read_bytes().endswith(b"\n")
            continue
        assert path.read_bytes() == complete[path.name], f"{path.name} is not complete"


class _FullDisk:
    """A file object whose writes fail with ENOSPC once ``budget`` files were written."""

    def __init__(self, real: Any, fail: bool):
        self.real, self.fail = real, fail

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def write(self, data: bytes) -> int:
        if self.fail:
            # as a real full disk does: part of the data goes in, then the error
            self.real.write(data[: len(data) // 2])
            self.real.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self.real.write(data))


def full_disk_after(monkeypatch: pytest.MonkeyPatch, files: int, only: str = "") -> list[int]:
    """Make the atomic writer hit a full disk after ``files`` files (whose name has ``only``)."""
    real = os.fdopen
    written = [0]

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real(fd, mode, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""
        if "w" not in mode or only not in name:
            return handle
        written[0] += 1
        return _FullDisk(handle, written[0] > files)

    monkeypatch.setattr(os, "fdopen", fdopen)
    return written


@pytest.mark.parametrize("files", [0, 1, 3, 7])
def test_full_disk_while_writing_outputs(
    project: Path, monkeypatch: pytest.MonkeyPatch, complete: dict[str, bytes], files: int
) -> None:
    full_disk_after(monkeypatch, files)
    result = run("build", "--jobs", "1")
    assert result.exit_code == 1
    line, hint = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot write out/")
    assert line.endswith(": No space left on device; no file was left half-written")
    assert hint == "    hint: the disk is full: free some space and run the command again"
    assert "Traceback" not in result.stderr
    assert_nothing_half_written(project / "out", complete)
    assert len([p for p in (project / "out").iterdir() if p.suffix in (".md", ".docx")]) == files
    monkeypatch.undo()
    again = run("build")  # with space again, the build completes
    assert again.exit_code == 0
    assert_nothing_half_written(project / "out", complete)


def test_full_disk_at_the_manifest_keeps_the_old_one(
    project: Path, monkeypatch: pytest.MonkeyPatch, complete: dict[str, bytes]
) -> None:
    assert run("build").exit_code == 0
    old = (project / "out" / MANIFEST_NAME).read_bytes()
    (project / "data/positions/koordinaator-klat.yaml").write_text(
        (project / "data/positions/koordinaator-klat.yaml")
        .read_text(encoding="utf-8")
        .replace("title:", "# edited\ntitle:", 1),
        encoding="utf-8",
    )
    full_disk_after(monkeypatch, 0, only=MANIFEST_NAME)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: cannot write the manifest out/{MANIFEST_NAME}: No space left on device; "
        "the outputs are complete, the next build checks them again"
    )
    assert (project / "out" / MANIFEST_NAME).read_bytes() == old
    assert_nothing_half_written(project / "out", complete)


def test_folder_where_the_manifest_goes(project: Path) -> None:
    (project / "out" / MANIFEST_NAME).mkdir(parents=True)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: cannot write the manifest out/{MANIFEST_NAME}: it is not a regular file; "
        "remove it (the next build rebuilds it)"
    )
    # refused before anything was written
    assert sorted(p.name for p in (project / "out").iterdir()) == [MANIFEST_NAME]


def test_symlink_where_the_manifest_goes(project: Path, tmp_path: Path) -> None:
    (project / "out").mkdir()
    target = tmp_path / "elsewhere"
    target.write_text("precious", encoding="utf-8")
    (project / "out" / MANIFEST_NAME).symlink_to(target)
    result = run("build")
    assert result.exit_code == 1
    assert "it is not a regular file" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious"


def test_folder_where_an_output_goes(project: Path, complete: dict[str, bytes]) -> None:
    (project / "out/koordinaator-klat.md").mkdir(parents=True)
    result = run("build", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: cannot write out/koordinaator-klat.md: ")
    assert "Traceback" not in result.stderr
    for path in (project / "out").iterdir():
        if path.is_file():
            assert path.read_bytes() == complete[path.name]


def test_output_folder_is_a_file(project: Path) -> None:
    (project / "out").write_text("not a folder", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot create the output folder out: ")


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
# Python would write a module's bytecode cache cut short at the limit (it does not
# check the length written), which breaks that module for every later process
sys.dont_write_bytecode = True
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["ametijuhend", *sys.argv[2:]]
from ametijuhend_cli.cli import main
main()
"""


@pytest.mark.parametrize(
    ("limit", "jobs"),
    [
        (0, "1"),
        pytest.param(10_000, "1", marks=pytest.mark.slow),
        (10_000, "2"),
        pytest.param(9_500, "2", marks=pytest.mark.slow),
    ],
)
def test_file_size_limit_in_a_real_process(
    project: Path, complete: dict[str, bytes], limit: int, jobs: str
) -> None:
    """A tiny file system, simulated: no file may grow beyond ``limit`` bytes."""
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), "build", "--jobs", jobs, "--force"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert line.startswith("error: cannot write "), line
    assert "File too large" in line
    assert_nothing_half_written(project / "out", complete)


@pytest.mark.parallel
def test_file_size_limit_in_a_parallel_build(project: Path) -> None:
    """Worker processes hit the limit: one located line, no traceback, every file whole."""
    many_positions(project, 60)
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, "9600", "build", "--jobs", "2"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: cannot write out/ametikoht-"), lines
    assert lines[0].endswith(": File too large; no file was left half-written")
    assert lines[1] == "    hint: the file would be larger than this session allows ('ulimit -f')"
    out = project / "out"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    check = run("build", "--check")  # whatever is there is complete: current or missing
    assert check.exit_code == 1
    assert {line.split()[0] for line in check.stdout.splitlines()} == {"missing"}
