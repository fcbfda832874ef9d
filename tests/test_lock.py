"""The committed lock installs exactly as locked, whatever has been released since.

A private wheelhouse plays the package index: it holds the locked files and a
newer release of a locked package that another locked package asks for with an
extra (as pytest-cov asks for ``coverage[toml]``). ``.ci/install-lock``, which
the Makefile, the matrix and the release tests use, must install the locked
version and nothing else, with uv (its installer where uv is at hand) and with
the pip that ``python -m venv`` brings (where uv is not).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.release
INSTALL_LOCK = REPO / ".ci" / "install-lock"


def _wheel(folder: Path, name: str, version: str, metadata: list[str]) -> Path:
    """Return a minimal pure-Python wheel of ``name`` ``version``, written into ``folder``."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f'__version__ = "{version}"\n',
        f"{info}/METADATA": "\n".join(
            ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *metadata, ""]
        ),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for member, text in files.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{member},sha256={encoded},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,", ""])
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


def _pinned(wheel: Path, requirement: str) -> str:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    return f"{requirement} \\\n    --hash=sha256:{digest}\n"


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Return the wheelhouse and the locked lines of its packages, by name."""
    house = tmp_path_factory.mktemp("wheelhouse")
    extra = ["Provides-Extra: toml", 'Requires-Dist: tomlish; extra == "toml"']
    locked = _wheel(house, "covlike", "1.0", extra)
    # released after the lock: its hash is in no lock
    _wheel(house, "covlike", "2.0", extra)
    tomlish = _wheel(house, "tomlish", "1.0", [])
    plugin = _wheel(house, "pluginlike", "1.0", ["Requires-Dist: covlike[toml]>=0.9"])
    lines = {
        "covlike": _pinned(locked, "covlike==1.0"),
        "tomlish": _pinned(tomlish, "tomlish==1.0"),
        "pluginlike": _pinned(plugin, "pluginlike==1.0"),
    }
    return house, lines


#: uv as install-lock put it into the development environment (make venv)
UV = Path(sys.executable).parent / "uv"


def _venv(folder: Path, installer: str) -> Path:
    """Return the Python of a fresh virtual environment with the pip venv brings, and with
    uv for ``installer`` uv (pip cannot fetch uv from the wheelhouse: install-lock falls
    back to pip where uv is missing)."""
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    if installer == "uv":
        if not UV.exists():
            pytest.skip("make venv installed the lock with pip here: no uv to test")
        shutil.copy2(UV, folder / "bin" / "uv")
    return folder / "bin" / "python"


@pytest.fixture(scope="module", params=["pip", "uv"])
def python(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    return _venv(tmp_path_factory.mktemp("venv"), request.param)


def _install(python: Path, house: Path, lock: Path) -> subprocess.CompletedProcess[str]:
    # only the wheelhouse: no index, no configuration of this machine, a cache of its own
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))},
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(house),
        "UV_NO_CONFIG": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(house),
        "UV_CACHE_DIR": str(house.parent / f"{house.name}-uv-cache"),
    }
    env.pop("AMETIJUHEND_INSTALLER", None)
    return subprocess.run(
        [str(INSTALL_LOCK), str(python), str(lock)], env=env, capture_output=True, text=True
    )


def _used(python: Path, result: subprocess.CompletedProcess[str]) -> str:
    """Return the installer that installed the lock: uv where it is in the environment."""
    fell_back = "pip installs it" in result.stderr
    assert fell_back != (python.parent / "uv").exists(), result.stderr
    return "pip" if fell_back else "uv"


def _installed(python: Path, name: str) -> str:
    return subprocess.run(
        [str(python), "-c", f"import {name}; print({name}.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_lock_installs_its_own_version_when_a_newer_one_is_released(
    wheelhouse: tuple[Path, dict[str, str]], python: Path, tmp_path: Path
) -> None:
    house, lines = wheelhouse
    lock = tmp_path / "requirements.txt"
    lock.write_text("".join(lines[n] for n in ("covlike", "pluginlike", "tomlish")))
    result = _install(python, house, lock)
    assert result.returncode == 0, result.stderr
    _used(python, result)
    assert _installed(python, "covlike") == "1.0"
    assert _installed(python, "tomlish") == "1.0"


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_an_incomplete_lock_is_refused_instead_of_completed_from_the_index(
    wheelhouse: tuple[Path, dict[str, str]], tmp_path: Path, installer: str
) -> None:
    house, lines = wheelhouse
    python = _venv(tmp_path / "venv", installer)
    lock = tmp_path / "requirements.txt"
    # what pluginlike needs is missing from the lock
    lock.write_text(lines["pluginlike"])
    result = _install(python, house, lock)
    assert result.returncode == 1
    said = {
        "pip": "pluginlike 1.0 requires covlike, which is not installed",
        "uv": "The package `pluginlike` requires `covlike[toml]>=0.9`, but it's not installed",
    }
    assert said[_used(python, result)] in result.stderr
    assert "the lock is incomplete" in result.stderr
    assert "make lock" in result.stderr


def test_every_install_from_a_lock_goes_through_install_lock() -> None:
    """The Makefile, CI and the release tests install locks one way only."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert ".ci/install-lock $(BIN)/python $(LOCK)" in makefile
    for path in [REPO / "Makefile", *sorted((REPO / ".ci").iterdir()), REPO / "tests"]:
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            text = file.read_text(encoding="utf-8")
            if file.name == "test_lock.py":
                continue
            for line in text.splitlines():
                if "--require-hashes" in line and file.name != "install-lock":
                    pytest.fail(f"{file.name} installs a lock itself: {line.strip()}")
