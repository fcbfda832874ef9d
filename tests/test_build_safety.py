"""A build never deletes what it did not write, and never records a digest it did not render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ametijuhend_cli.building import pipeline
from ametijuhend_cli.building.manifest import MANIFEST_NAME, Manifest
from ametijuhend_cli.checking import engine
from ametijuhend_cli.digests import digest
from ametijuhend_cli.sources.files import read_project_file
from ametijuhend_cli.sources.project import load_position
from conftest import POSITIONS, edit, run


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def built(project: Path) -> Path:
    """Return the project after a complete build."""
    assert run("build").exit_code == 0
    return project


# -- item 5: an emptied or misnamed positions folder removes nothing ---------


def _empty_positions(project: Path) -> None:
    for path in (project / "data/positions").iterdir():
        path.unlink()


def _uppercase_suffixes(project: Path) -> None:
    for path in (project / "data/positions").iterdir():
        path.rename(path.with_suffix(".YAML"))


def _moved_away(project: Path) -> None:
    shutil.move(project / "data/positions", project / "positions-old")


def _folder_renamed(project: Path) -> None:
    (project / "data/positions").rename(project / "data/Positions")


def _only_hidden_files(project: Path) -> None:
    for path in (project / "data/positions").iterdir():
        path.rename(path.with_name("." + path.name))


def _other_suffix(project: Path) -> None:
    for path in (project / "data/positions").iterdir():
        path.rename(path.with_suffix(".yaml.bak"))


@pytest.mark.parametrize(
    "damage",
    [
        _empty_positions,
        _uppercase_suffixes,
        _moved_away,
        _folder_renamed,
        _only_hidden_files,
        _other_suffix,
    ],
)
def test_no_positions_removes_no_output(built: Path, damage: object) -> None:
    before = outputs(built / "out")
    damage(built)  # type: ignore[operator]
    result = run("build")
    assert result.exit_code == 1
    assert "removed" not in result.stdout
    assert "no position files (*.yaml) found" in result.stderr
    assert "no output was removed" in result.stderr
    assert outputs(built / "out") == before
    # the manifest still owns the outputs: a later whole build can clean up
    manifest = Manifest.load(built / "out")
    assert all(manifest.get(pid) is not None for pid in POSITIONS)
    check = run("build", "--check")
    assert check.exit_code == 1 and "orphaned" not in check.stdout


def test_misnamed_suffix_is_named_in_the_hint(built: Path) -> None:
    _uppercase_suffixes(built)
    result = run("build")
    assert "hint: file names end in lowercase .yaml: rename " in result.stderr
    assert ".YAML" in result.stderr


def test_build_stopped_on_problems_removes_nothing(built: Path) -> None:
    positions = built / "data/positions"
    (positions / "koordinaator-klat.yaml").unlink()  # an orphan, normally removed
    edit(positions / "teenusejuht-kov.yaml", "title:", "titel:")
    result = run("build")
    assert result.exit_code == 1
    assert (built / "out/koordinaator-klat.md").exists()
    assert (built / "out/koordinaator-klat.docx").exists()
    assert "removed" not in result.stdout
    # once the problem is fixed, the orphans go
    edit(positions / "teenusejuht-kov.yaml", "titel:", "title:")
    fixed = run("build")
    assert fixed.exit_code == 0
    assert "removed out/koordinaator-klat.md" in fixed.stdout
    assert not (built / "out/koordinaator-klat.md").exists()


def test_duplicate_ids_stop_orphan_removal(built: Path) -> None:
    positions = built / "data/positions"
    (positions / "koordinaator-klat.yaml").unlink()
    shutil.copy(positions / "teenusejuht-kov.yaml", positions / "teenusejuht-kov.yml")
    result = run("build")
    assert result.exit_code == 1
    assert (built / "out/koordinaator-klat.md").exists()


def test_failed_position_keeps_ownership_of_its_outputs(built: Path) -> None:
    path = built / "data/positions/koordinaator-klat.yaml"
    edit(path, "title:", "titel:")
    assert run("build").exit_code == 1
    assert (built / "out/koordinaator-klat.md").exists()  # the old document stays
    path.unlink()  # then the position goes away for good
    result = run("build")
    assert result.exit_code == 0
    assert "removed out/koordinaator-klat.md" in result.stdout
    assert "removed out/koordinaator-klat.docx" in result.stdout


# -- item 6: only files the manifest records as written are removed ----------


def test_out_folder_files_named_like_ids_are_kept(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    for name in ("notes.md", "cv.docx", "plan.pdf", "koosolek-2024.md"):
        (target / name).write_bytes(b"my own file")
    result = run("build", "--out", str(target))
    assert result.exit_code == 0
    for name in ("notes.md", "cv.docx", "plan.pdf", "koosolek-2024.md"):
        assert (target / name).read_bytes() == b"my own file"
    assert "removed" not in result.stdout
    assert result.stdout.count("\nkept ") + result.stdout.startswith("kept ") == 4
    assert result.stdout.splitlines()[-1].endswith(", 4 kept, 0 unchanged")
    # a second build keeps them again
    assert (target / "notes.md").exists() and run("build", "--out", str(target)).exit_code == 0
    assert (target / "notes.md").read_bytes() == b"my own file"


def test_output_changed_by_hand_after_its_position_went_is_kept(built: Path) -> None:
    (built / "out/koordinaator-klat.md").write_text("käsitsi\n", encoding="utf-8")
    (built / "data/positions/koordinaator-klat.yaml").unlink()
    result = run("build")
    assert result.exit_code == 0
    assert "removed out/koordinaator-klat.docx" in result.stdout
    assert "kept out/koordinaator-klat.md (its position is gone" in result.stdout
    assert (built / "out/koordinaator-klat.md").read_text(encoding="utf-8") == "käsitsi\n"


def test_without_a_manifest_nothing_is_removed(built: Path) -> None:
    (built / "out" / MANIFEST_NAME).unlink()
    (built / "data/positions/koordinaator-klat.yaml").unlink()
    check = run("build", "--check")  # the CI gate still reports the leftover
    assert "orphaned out/koordinaator-klat.md" in check.stdout
    result = run("build")
    assert result.exit_code == 0
    assert (built / "out/koordinaator-klat.md").exists()
    assert "kept out/koordinaator-klat.md" in result.stdout


def test_a_foreign_manifest_line_does_not_own_a_file(built: Path) -> None:
    # a file named like a recorded output, but with other content than recorded
    (built / "out/koordinaator-klat.md").write_bytes(b"other")
    (built / "data/positions/koordinaator-klat.yaml").unlink()
    run("build")
    assert (built / "out/koordinaator-klat.md").read_bytes() == b"other"


def test_symlink_named_like_an_output_is_never_removed(built: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.md"
    precious.write_text("x", encoding="utf-8")
    (built / "out/vana-ametikoht.md").symlink_to(precious)
    assert run("build").exit_code == 0
    assert (built / "out/vana-ametikoht.md").is_symlink() and precious.exists()


def test_subset_build_removes_nothing(built: Path) -> None:
    (built / "data/positions/koordinaator-klat.yaml").unlink()
    assert run("build", "teenusejuht-kov").exit_code == 0
    assert (built / "out/koordinaator-klat.md").exists()


# -- item 7: the manifest records the digest of the bytes that were rendered --


def test_edit_during_the_build_is_not_recorded_as_built(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = built / "data/positions/teenusejuht-kov.yaml"
    edit(path, "Vähemalt 3-aastane", "Vähemalt 4-aastane")
    real = load_position

    def edited_meanwhile(source: Path, *args: object) -> object:
        loaded = real(source, *args)  # type: ignore[arg-type]
        # the author saves again after the worker has read the file
        if source == path:
            edit(path, "Vähemalt 4-aastane", "Vähemalt 5-aastane")
        return loaded

    monkeypatch.setattr(engine, "load_position", edited_meanwhile)
    # --force: the file is read first by the worker, not by the up-to-date check
    assert run("build", "--jobs", "1", "--force").exit_code == 0
    monkeypatch.undo()
    md = (built / "out/teenusejuht-kov.md").read_text(encoding="utf-8")
    assert "Vähemalt 4-aastane" in md  # what was read is what was rendered
    entry = Manifest.load(built / "out").get("teenusejuht-kov")
    assert entry is not None and entry.source != digest(path.read_bytes())
    check = run("build", "--check")
    assert check.exit_code == 1
    assert sorted(check.stdout.splitlines()) == [
        "stale out/teenusejuht-kov.docx",
        "stale out/teenusejuht-kov.md",
    ]
    assert run("build").exit_code == 0
    assert "Vähemalt 5-aastane" in (built / "out/teenusejuht-kov.md").read_text(encoding="utf-8")


def test_recorded_source_digest_is_of_the_rendered_bytes(built: Path) -> None:
    for pid in POSITIONS:
        entry = Manifest.load(built / "out").get(pid)
        assert entry is not None
        assert entry.source == digest((built / f"data/positions/{pid}.yaml").read_bytes())


def test_file_removed_during_the_build_is_a_problem(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = built / "data/positions/teenusejuht-kov.yaml"
    edit(path, "Vähemalt 3-aastane", "Vähemalt 4-aastane")
    real = read_project_file

    def vanished(p: Path, root: Path | None) -> bytes:
        if p.name == path.name:
            p.unlink()
        return real(p, root)

    monkeypatch.setattr(pipeline, "read_project_file", vanished)
    outcome = run("build", "--jobs", "1")
    assert outcome.exit_code == 1
    assert "teenusejuht-kov.yaml: the file does not exist" in outcome.stderr
