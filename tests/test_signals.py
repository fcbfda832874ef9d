"""Ctrl-C, SIGTERM and SIGKILL sent to real parallel builds: one line, 130/143, nothing left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ametijuhend_cli.building.scratch import PID_FILE, remove_dead_scratch, scratch_folder
from conftest import POSITIONS as SAMPLES
from conftest import REPO, many_positions

pytestmark = [pytest.mark.slow, pytest.mark.parallel]

#: enough positions that a build with two workers takes some seconds
POSITIONS = 600


@pytest.fixture
def big(project: Path, tmp_path: Path) -> Path:
    many_positions(project, POSITIONS)
    (tmp_path / "temp").mkdir()
    return project


def start(project: Path, temp: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``ametijuhend build --jobs 2`` as its own process group, temp dir ``temp``."""
    return subprocess.Popen(
        [sys.executable, "-m", "ametijuhend_cli", "build", "--jobs", "2", *args],
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_outputs(proc: subprocess.Popen[str], out: Path, n: int = 40) -> None:
    """Return once the build has written ``n`` Markdown files (it is rendering in workers)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended before it could be interrupted"
        try:
            if sum(1 for p in out.iterdir() if p.suffix == ".md") >= n:
                return
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    raise AssertionError("the build wrote nothing")


def group_gone(pgid: int) -> bool:
    """Return True once no process of the group (parent and workers) is left."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Return the complete outputs of the sample positions, by file name."""
    root = tmp_path_factory.mktemp("complete")
    shutil.copytree(REPO / "data", root / "data")
    done = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build"], cwd=root, capture_output=True
    )
    assert done.returncode == 0
    return {p.name: p.read_bytes() for p in (root / "out").iterdir() if p.suffix}


def assert_clean(project: Path, temp: Path, complete: dict[str, bytes]) -> None:
    """No temporary file in out/, no scratch folder, and every output complete."""
    out = project / "out"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert list(temp.iterdir()) == []
    # ametikoht-<n> is a copy of the n-th sample position (mod 4)
    for path in out.iterdir():
        if path.suffix in (".md", ".docx"):
            n = int(path.stem.rsplit("-", 1)[1])
            sample = SAMPLES[n % len(SAMPLES)] + path.suffix
            assert path.read_bytes() == complete[sample], f"{path.name} is not complete"


@pytest.mark.parametrize(
    ("signum", "group", "code", "line"),
    [
        (signal.SIGINT, True, 130, "interrupted (Ctrl-C): stopped, no file left half-written"),
        (signal.SIGINT, False, 130, "interrupted (Ctrl-C): stopped, no file left half-written"),
        (signal.SIGTERM, False, 143, "terminated (SIGTERM): stopped, no file left half-written"),
        (signal.SIGTERM, True, 143, "terminated (SIGTERM): stopped, no file left half-written"),
    ],
    ids=["ctrl-c", "sigint-parent", "sigterm-parent", "sigterm-group"],
)
def test_signal_stops_a_parallel_build(
    big: Path,
    tmp_path: Path,
    complete: dict[str, bytes],
    signum: int,
    group: bool,
    code: int,
    line: str,
) -> None:
    temp = tmp_path / "temp"
    proc = start(big, temp)
    wait_for_outputs(proc, big / "out")
    # Ctrl-C on a terminal reaches the whole foreground group: parent and workers
    if group:
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert stderr.strip().splitlines() == [line]
    assert group_gone(proc.pid), "worker processes were left running"
    assert_clean(big, temp, complete)


def test_signal_twice_still_one_line(big: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    proc = start(big, temp)
    wait_for_outputs(proc, big / "out")
    os.killpg(proc.pid, signal.SIGINT)
    os.killpg(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode in (130, 143)
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert group_gone(proc.pid)


def test_killed_build_is_cleaned_up_by_the_next(
    big: Path, tmp_path: Path, complete: dict[str, bytes]
) -> None:
    temp = tmp_path / "temp"
    proc = start(big, temp)
    wait_for_outputs(proc, big / "out")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert group_gone(proc.pid)
    again = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build", "--jobs", "2"],
        cwd=big,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert_clean(big, temp, complete)


def test_workers_stop_when_the_parent_is_killed(big: Path, tmp_path: Path) -> None:
    proc = start(big, tmp_path / "temp")
    wait_for_outputs(proc, big / "out")
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must not go on writing
    proc.communicate(timeout=60)
    assert group_gone(proc.pid), "worker processes went on after their build was killed"


# -- scratch folders of builds killed by SIGKILL --------------------------------

_HOLD_SCRATCH = """
import sys, time
from ametijuhend_cli.building.scratch import scratch_folder
with scratch_folder() as folder:
    print(folder, flush=True)
    time.sleep(600)
"""


def _killed_scratch(temp: Path) -> Path:
    """Return the scratch folder of a real process that was killed by SIGKILL."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_SCRATCH],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    folder = Path(proc.stdout.readline().strip())
    proc.kill()
    proc.wait()
    return folder


def test_sigkill_leaves_a_scratch_folder_the_next_build_removes(tmp_path: Path) -> None:
    folder = _killed_scratch(tmp_path)
    assert folder.is_dir() and (folder / PID_FILE).is_file()  # SIGKILL cannot clean up
    (folder / "koordinaator-klat.docx").write_bytes(b"x")
    assert remove_dead_scratch(tmp_path) == [folder]
    assert not folder.exists()


def test_build_removes_dead_scratch_folders(project: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    dead = _killed_scratch(temp)
    done = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build"],
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert not dead.exists()


def test_scratch_of_a_running_build_is_kept(tmp_path: Path) -> None:
    with scratch_folder() as mine:
        assert remove_dead_scratch(mine.parent) == []
        assert mine.is_dir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_SCRATCH],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        alive = Path(proc.stdout.readline().strip())
        assert remove_dead_scratch(tmp_path) == []
        assert alive.is_dir()
    finally:
        proc.kill()
        proc.wait()
    assert remove_dead_scratch(tmp_path) == [alive]  # now it is dead


@pytest.mark.parametrize(
    "content",
    [
        "",
        "ametijuhend build \n",
        "ametijuhend build 12x\n",
        "someone else 1\n",
        "ametijuhend build 1",
    ],
)
def test_folders_not_provably_ours_are_kept(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "ametijuhend-abcdefgh"
    folder.mkdir()
    if content:
        (folder / PID_FILE).write_text(content, encoding="ascii")
    assert remove_dead_scratch(tmp_path) == []
    assert folder.is_dir()


def test_other_folders_named_like_ours_are_kept(tmp_path: Path) -> None:
    (tmp_path / "ametijuhend-lo-x").mkdir()
    (tmp_path / "ametijuhend-diff-y").mkdir()
    (tmp_path / "ametijuhend-file").write_text("ametijuhend build 99999999\n", encoding="ascii")
    assert remove_dead_scratch(tmp_path) == []
    assert len(list(tmp_path.iterdir())) == 3


def test_no_scratch_folder_without_pdf(project: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build", "--format", "md"],
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0 and list(temp.iterdir()) == []


@pytest.mark.office
def test_ctrl_c_during_a_pdf_build_leaves_no_scratch(big: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    proc = start(big, temp, "--format", "md", "--format", "pdf")
    wait_for_outputs(proc, big / "out")
    assert any(temp.iterdir())  # the scratch folder of the PDFs is there
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == [
        "interrupted (Ctrl-C): stopped, no file left half-written"
    ]
    assert list(temp.iterdir()) == []


def _children(pid: int) -> int:
    """Return how many processes ``pid`` has started and are running."""
    found = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found += stat[1] == str(pid)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("command", ["validate", "list"])
def test_ctrl_c_stops_a_check_and_its_workers(big: Path, command: str) -> None:
    """validate and list load positions in worker processes: Ctrl-C ends them all, one line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ametijuhend_cli", command],
        cwd=big,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while _children(proc.pid) < 2:
        assert proc.poll() is None, f"{command} ended before it could be interrupted"
        assert time.monotonic() < deadline, f"{command} started no worker processes"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, stderr
    assert group_gone(proc.pid), "worker processes were left running"
