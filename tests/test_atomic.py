"""Atomic outputs: real builds killed with SIGKILL leave every output old or new, never partial."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ametijuhend_cli.writing import remove_stale_temp_files, write_atomic, write_output
from conftest import REPO, run, working_folder

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

#: Copies of each sample position, so that a build takes long enough to be
#: killed in the middle of writing.
COPIES = 10
#: (progress lines read, then seconds) before the kill: during start-up,
#: right after the first file, in the middle, near the end
KILL_POINTS = [(0, 0.0), (1, 0.0), (5, 0.002), (40, 0.0), (41, 0.001), (85, 0.0)]


def start_build(root: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")  # a line for each file as it is written
    return subprocess.Popen(
        [sys.executable, "-m", "ametijuhend_cli", "build"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def our_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".tmp")


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    """Return a project with the sample positions copied many times, built once (old outputs)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    positions = root / "data" / "positions"
    for source in sorted(positions.glob("*.yaml")):
        for n in range(1, COPIES + 1):
            shutil.copy(source, positions / f"{source.stem}-{n}.yaml")
    with working_folder(root):
        assert run("build").exit_code == 0
    return root


@pytest.mark.slow
def test_killed_builds_leave_old_or_new_files_and_the_next_build_cleans_up(
    big_project: Path, tmp_path: Path
) -> None:
    root, out = big_project, big_project / "out"
    old = outputs(out)
    # the new version of the sources changes every document
    (root / "templates").mkdir()
    (root / "templates" / "wording.yaml").write_text(
        "document_title: AMETIJUHEND (muudetud)\n", encoding="utf-8"
    )
    with working_folder(root):
        assert run("build", "--out", str(tmp_path / "new")).exit_code == 0
    new = outputs(tmp_path / "new")
    assert set(new) == set(old) and all(new[name] != old[name] for name in old)

    seen: list[tuple[int, int]] = []  # (lines read, new files) of each killed build
    for lines, pause in KILL_POINTS:
        for name, data in old.items():  # start from the complete old version
            (out / name).write_bytes(data)
        build = start_build(root)
        assert build.stdout is not None
        for _ in range(lines):
            assert build.stdout.readline().startswith("wrote ")
        time.sleep(pause)
        build.send_signal(signal.SIGKILL)
        build.communicate()
        assert build.returncode == -signal.SIGKILL, "the build ended before it was killed"
        now = outputs(out)
        assert set(now) == set(old)
        changed = 0
        for name, data in now.items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
            changed += data == new[name]
        seen.append((lines, changed))
        assert changed >= lines

    assert seen[0][1] == 0, "killed during start-up, nothing may have changed"
    assert any(0 < changed < len(old) for _, changed in seen), "no build was killed midway"

    # what killed builds leave, planted so that the check does not depend on timing
    (out / ".teenusejuht-kov.docx.k1ll3d_x.tmp").write_bytes(b"PK\x03\x04 half a document")
    (out / ".notes.tmp").write_text("not ours: kept", encoding="utf-8")
    done = start_build(root)
    stdout, stderr = done.communicate(timeout=120)
    assert done.returncode == 0, stderr
    assert (
        "removed out/.teenusejuht-kov.docx.k1ll3d_x.tmp (left by an interrupted build)\n" in stdout
    )
    assert outputs(out) == new
    assert our_temp_files(out) == [".notes.tmp"]


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_build_waits_for_another_build_into_the_same_folder(big_project: Path) -> None:
    import fcntl

    out = big_project / "out"
    writing = out / ".ekspert-kriisiabi.md.wr1t1ng_.tmp"  # the other build's file
    writing.write_text("half", encoding="utf-8")
    folder = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # as the other build holds it
        waiting = start_build(big_project)
        # it says it waits (the line comes just before it waits), instead of a second's sleep
        assert waiting.stderr is not None
        ready, _, _ = select.select([waiting.stderr], [], [], 60)
        assert ready, "the build neither said it waits nor ended"
        assert waiting.stderr.readline().startswith("waiting for out: ")
        assert waiting.poll() is None, "the build did not wait for the folder"
        assert writing.exists(), "the other build's temporary file was taken"
    finally:
        os.close(folder)  # the other build ends
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert not writing.exists()


def test_stale_temp_files_are_recognised_by_name(tmp_path: Path) -> None:
    ours = [".a.md.abcdefgh.tmp", ".koordinaator-klat.docx.x_9y8z7w.tmp", ".a-1.pdf.00000000.tmp"]
    others = [".a.md.tmp", ".a.txt.abcdefgh.tmp", "a.md.abcdefgh.tmp", ".notes.tmp", "a.md"]
    for name in ours + others:
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = remove_stale_temp_files(tmp_path)
    assert sorted(p.name for p in removed) == sorted(ours)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(others)


def test_write_atomic_keeps_the_mode_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    assert write_atomic(target, b"one") is True
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    target.chmod(0o640)
    assert write_atomic(target, b"two") is True
    assert target.stat().st_mode & 0o777 == 0o640
    assert write_atomic(target, b"two") is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_a_kept_mode_the_umask_would_narrow_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_bytes(b"one")
    target.chmod(0o666)
    mask = os.umask(0o022)
    try:
        assert write_atomic(target, b"two") is True
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666


def test_write_output_returns_the_status_the_file_keeps(tmp_path: Path) -> None:
    target = tmp_path / "x.docx"
    written = write_output(target, b"x" * 100_000)
    assert written is not None
    found = target.stat()
    assert (written.st_size, written.st_mtime_ns, written.st_ino) == (
        found.st_size,
        found.st_mtime_ns,
        found.st_ino,
    )
    assert write_output(target, b"x" * 100_000) is None  # the same content: left as it is
    assert target.stat().st_ino == found.st_ino


def test_write_atomic_makes_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.md"
    assert write_atomic(target, b"one") is True
    assert target.read_bytes() == b"one"


def test_a_build_writes_new_outputs_without_reading_and_records_their_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ametijuhend_cli import writing

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("an output was read")

    with working_folder(tmp_path):
        shutil.copytree(REPO / "data", tmp_path / "data")
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
        # no output was there: none is read before writing (nothing to compare)
        monkeypatch.setattr(writing, "read_checked", never)
        assert run("build", "--jobs", "1").exit_code == 0
        monkeypatch.undo()
        written = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
        assert len([n for n in written if n.endswith((".md", ".docx"))]) == 8
        # the size and time recorded as each was written are those it has: the next
        # build takes every output as current without reading one (the manifest reads
        # none: an output is current by its size and time only)
        monkeypatch.setattr(writing, "read_checked", never)
        assert run("build", "--jobs", "1").exit_code == 0
        assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == written
