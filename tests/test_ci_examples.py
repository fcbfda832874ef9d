"""The CI examples of docs/ci/ against the published schemas of GitHub and GitLab (offline)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from ametijuhend_cli import __version__
from conftest import REPO

EXAMPLES = {
    "github-actions.yml": "vendor.github-workflows",
    "gitlab-ci.yml": "vendor.gitlab-ci",
    "release.yml": "vendor.github-workflows",
}


@pytest.fixture
def check(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, str], Result]:
    """Return check-jsonschema's command, run in this process (its start costs 0.4 s)."""
    from check_jsonschema.cli.main_command import main  # type: ignore[import-untyped]

    # the schemas are the ones check-jsonschema ships: no download; a proxy
    # that refuses every connection makes sure of it
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")

    def run(path: Path, schema: str) -> Result:
        return CliRunner().invoke(main, ["--builtin-schema", schema, str(path)])

    return run


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_example_is_valid(name: str, check: Callable[[Path, str], Result]) -> None:
    result = check(REPO / "docs" / "ci" / name, EXAMPLES[name])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_broken_example_is_caught(
    name: str, tmp_path: Path, check: Callable[[Path, str], Result]
) -> None:
    data = yaml.safe_load((REPO / "docs" / "ci" / name).read_text(encoding="utf-8"))
    if "jobs" in data:
        data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
        job_id, job = next(iter(data["jobs"].items()))
        job["runs-on"] = 3  # a number where a runner's label goes
        where = f"$.jobs.{job_id}"
    else:
        data["ametijuhendid"]["artifacts"] = "dist/"
        where = "$.ametijuhendid.artifacts"
    broken = tmp_path / name
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = check(broken, EXAMPLES[name])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Schema validation errors were encountered."), result.output
    # the one error made, and no other (a job is one of two kinds: found at the job)
    errors = [line for line in result.output.splitlines() if line.startswith(f"  {broken}::")]
    assert [error.split(": ")[0] for error in errors] == [f"  {broken}::{where}"], result.output


#: This repository's own workflows (.github/workflows/)
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_this_repositorys_workflow_is_valid(
    path: Path, check: Callable[[Path, str], Result]
) -> None:
    result = check(path, "vendor.github-workflows")
    assert result.exit_code == 0, result.output


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
