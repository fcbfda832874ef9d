"""The CI examples of docs/ci/ against the published schemas of GitHub and GitLab (offline)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli import __version__
from conftest import REPO

CHECK = Path(sys.executable).parent / "check-jsonschema"
EXAMPLES = {
    "github-actions.yml": "vendor.github-workflows",
    "gitlab-ci.yml": "vendor.gitlab-ci",
    "release.yml": "vendor.github-workflows",
}


def _check(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    # the schemas are the ones check-jsonschema ships: no download; a proxy
    # that refuses every connection makes sure of it
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [str(CHECK), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_example_is_valid(name: str) -> None:
    result = _check(REPO / "docs" / "ci" / name, EXAMPLES[name])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_broken_example_is_caught(name: str, tmp_path: Path) -> None:
    data = yaml.safe_load((REPO / "docs" / "ci" / name).read_text(encoding="utf-8"))
    if "jobs" in data:
        job = next(iter(data["jobs"].values()))
        job["runs-on"] = {"not": "a runner"}
    else:
        data["ametijuhendid"]["artifacts"] = "dist/"
    broken = tmp_path / name
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _check(broken, EXAMPLES[name]).returncode == 1


#: This repository's own workflows (.github/workflows/)
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_this_repositorys_workflow_is_valid(path: Path) -> None:
    result = _check(path, "vendor.github-workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_this_repository_is_tested_on_three_systems() -> None:
    assert [p.name for p in WORKFLOWS] == ["tests.yml"]
    workflow = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    matrix = job["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert matrix["python"] == ["3.10", "3.13"]
    assert job["strategy"]["fail-fast"] is False
    script = "\n".join(str(step.get("run", "")) for step in job["steps"])
    assert ".ci/install-lock" in script  # the lock, exactly
    assert '-m pytest -q -m "not office and not release"' in script


def _steps(name: str) -> list[dict[str, object]]:
    data = yaml.safe_load((REPO / "docs" / "ci" / name).read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_github_workflow_conventions() -> None:
    text = (REPO / "docs/ci/github-actions.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["permissions"] == {"contents": "read"}
    uses = {
        str(s["uses"]).split("@")[0]: str(s["uses"]).split("@")[1]
        for s in _steps("github-actions.yml")
        if "uses" in s
    }
    assert int(uses["actions/checkout"].removeprefix("v")) >= 6
    assert int(uses["actions/setup-python"].removeprefix("v")) >= 6
    assert int(uses["actions/upload-artifact"].removeprefix("v")) >= 6
    checkout = next(s for s in _steps("github-actions.yml") if "checkout" in str(s.get("uses")))
    assert checkout["with"] == {"fetch-depth": 0}
    assert f"pip install ametijuhend=={__version__}" in text
    assert "GITHUB_STEP_SUMMARY" in text


def test_gitlab_conventions() -> None:
    text = (REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8")
    job = yaml.safe_load(text)["ametijuhendid"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["cache"]["key"] == {"files": [".gitlab-ci.yml"]}
    assert f"pip install ametijuhend=={__version__}" in job["script"]


def test_the_version_is_released_and_pinned_everywhere() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## [Unreleased]\n" in changelog
    assert f"\n## [{__version__}] - " in changelog
    assert f"\n[{__version__}]: " in changelog
    pin = f"rev: v{__version__}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert pin in readme
    assert pin in (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"pip install ametijuhend=={__version__}" in readme
