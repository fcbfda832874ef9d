"""The pre-commit hooks, run by the real pre-commit against a sample repository.

The fast test takes each hook of .pre-commit-hooks.yaml as it is (entry,
files, pass_filenames) and runs it as a local hook with the tool of this
environment (`language: unsupported`), so it needs no network. The other two
(marker `release`, `make test-release`) let pre-commit install the hooks
from this repository (`try-repo`, `language: python`), as an adopter's
pre-commit does: the spelling hook (EstNLTK) in a test of its own, so that
the longest install runs beside the others.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, edit

BIN = Path(sys.executable).parent
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _sample(tmp_path: Path) -> Path:
    """Return a git repository with the sample data and its committed Markdown."""
    repo = tmp_path / "ametijuhendid"
    shutil.copytree(REPO / "data", repo / "data")
    (repo / "out").mkdir()
    for md in (REPO / "out").glob("*.md"):
        shutil.copy(md, repo / "out" / md.name)
    _git(repo, "init", "-q", ".")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "sample")
    return repo


def _pre_commit(
    repo: Path, tmp_path: Path, *args: str, skip: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "SKIP": skip}
    # where an index cannot be reached, fail over to the configured local ones at once
    env.setdefault("PIP_RETRIES", "0")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(BIN / "pre-commit"), *args], cwd=repo, env=env, capture_output=True, text=True
    )


def _local_config(repo: Path) -> None:
    hooks = []
    for hook in HOOKS:
        assert hook["language"] == "python", hook["id"]
        if "--spelling" in hook["entry"] and importlib.util.find_spec("estnltk") is None:
            continue  # the spelling hook needs the extra keel (make venv-keel)
        command, *options = hook["entry"].split()
        assert command == "ametijuhend"
        entry = " ".join([str(BIN / command), *options])
        # the hooks run the tool of this environment: nothing to install
        local = {k: v for k, v in hook.items() if k != "additional_dependencies"}
        hooks.append({**local, "language": "unsupported", "entry": entry})
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_the_hooks_are_documented() -> None:
    assert [h["id"] for h in HOOKS] == [
        "ametijuhend-validate",
        "ametijuhend-spelling",
        "ametijuhend-build-md",
        "ametijuhend-check",
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"`{hook['id']}`" in readme, hook["id"]
        assert hook["pass_filenames"] is False


def _locked(name: str) -> list[str]:
    """Return every package of the lock ``name`` as "name==version" with its marker."""
    lock = (REPO / name).read_text(encoding="utf-8")
    return [
        f"{found[1]}; {found[2]}" if found[2] else found[1]
        for found in re.finditer(r"(?m)^(\S+==\S+?)(?: ; ([^\\\n]+?))? \\$", lock)
    ]


def test_the_hook_environment_is_pinned_to_the_lock() -> None:
    # pre-commit runs `pip install . <additional_dependencies>`: every package of
    # the lock at its locked version, its marker kept, and nothing else
    runtime, keel = _locked("requirements.txt"), _locked("requirements-keel.txt")
    assert len(runtime) >= 11 and any(";" in pin for pin in runtime)
    names = {pin.split("==")[0] for pin in runtime}
    assert {"click", "pyyaml", "jinja2", "python-docx", "pydantic", "lxml"} <= names
    assert any(p.startswith("estnltk==") for p in keel)
    for hook in HOOKS:
        wanted = keel if "--spelling" in hook["entry"] else runtime
        assert hook["additional_dependencies"] == wanted, f"{hook['id']}: run make lock"


@pytest.mark.slow  # pre-commit sets up the hook's environment
def test_build_md_hook_rebuilds_stale_markdown(tmp_path: Path) -> None:
    repo = _sample(tmp_path)
    _local_config(repo)
    clean = _pre_commit(repo, tmp_path, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # a library text changes: the Markdown of every position that uses it is stale
    edit(repo / "data/library/rights.yaml", "kokkuleppel vahetu juhiga", "kokkuleppel juhiga")
    stale = _pre_commit(repo, tmp_path, "run", "ametijuhend-check", "--all-files")
    assert stale.returncode == 1
    assert "stale" in stale.stdout
    fixed = _pre_commit(repo, tmp_path, "run", "ametijuhend-build-md", "--all-files")
    assert fixed.returncode == 1  # pre-commit fails a hook that changed files …
    assert "files were modified by this hook" in fixed.stdout
    rebuilt = (repo / "out/koordinaator-klat.md").read_text(encoding="utf-8")
    assert "teha kaugtööd kokkuleppel juhiga" in rebuilt
    assert not list((repo / "out").glob("*.docx"))  # … Markdown only
    again = _pre_commit(repo, tmp_path, "run", "--all-files")
    assert again.returncode == 0, again.stdout  # … and the next run passes


def test_validate_hook_fails_on_a_broken_source(tmp_path: Path) -> None:
    repo = _sample(tmp_path)
    _local_config(repo)
    edit(repo / "data/positions/teenusejuht-kov.yaml", "title:", "titel:")
    result = _pre_commit(repo, tmp_path, "run", "ametijuhend-validate", "--all-files")
    assert result.returncode == 1
    assert "data/positions/teenusejuht-kov.yaml:" in result.stdout
    assert "titel" in result.stdout


def _try_repo(tmp_path: Path, hook: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Return the sample with a right reworded, and pre-commit's `try-repo` of ``hook`` on it."""
    repo = _sample(tmp_path)
    edit(repo / "data/library/rights.yaml", "kokkuleppel vahetu juhiga", "kokkuleppel juhiga")
    return repo, _pre_commit(repo, tmp_path, "try-repo", str(REPO), hook, "--all-files")


@pytest.mark.release
def test_try_repo_installs_the_hooks_from_this_repository(tmp_path: Path) -> None:
    repo, result = _try_repo(tmp_path, "ametijuhend-build-md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "kokkuleppel juhiga" in (repo / "out/koordinaator-klat.md").read_text("utf-8")
    # every hook passes now; the spelling hook's environment (EstNLTK, 40 s to install)
    # is the next test's, so that the two can run at once
    again = _pre_commit(
        repo, tmp_path, "try-repo", str(REPO), "--all-files", skip="ametijuhend-spelling"
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert _outcomes(again.stdout) == {
        "ametijuhend validate": "Passed",
        "ametijuhend validate --spelling": "Skipped",
        "ametijuhend build (Markdown)": "Passed",
        "ametijuhend build --check": "Passed",
    }


@pytest.mark.release
def test_try_repo_installs_the_spelling_hook_from_this_repository(tmp_path: Path) -> None:
    _, result = _try_repo(tmp_path, "ametijuhend-spelling")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _outcomes(result.stdout) == {"ametijuhend validate --spelling": "Passed"}


def _outcomes(output: str) -> dict[str, str]:
    """Return each hook's name and outcome from pre-commit's report ("name.....Passed")."""
    found = re.findall(
        r"^(\S.*?)\.{3,}(?:\(no files to check\))?(Passed|Failed|Skipped)$", output, re.M
    )
    return dict(found)


def test_the_local_hooks_init_suggests_until_a_release_are_the_hooks() -> None:
    # the commented alternative of .pre-commit-config.yaml: the tool on PATH instead
    from ametijuhend_cli.authoring.init import starter_text

    text = starter_text("pre-commit-config.yaml")
    block = text.split("replace the lines below with\n", 1)[1].split("\nrepos:", 1)[0]
    [local] = yaml.safe_load("\n".join(line[2:] for line in block.splitlines()))
    assert local["repo"] == "local"
    by_id = {hook["id"]: hook for hook in HOOKS}
    for hook in local["hooks"]:
        assert hook["language"] == "unsupported"
        manifest = by_id[hook["id"]]
        for key in ("name", "entry", "pass_filenames", "files"):
            assert hook[key] == manifest[key], (hook["id"], key)
    written = yaml.safe_load(text)["repos"][0]["hooks"]
    assert [h["id"] for h in local["hooks"]] == [h["id"] for h in written]
