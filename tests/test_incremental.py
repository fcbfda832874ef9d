"""Incremental builds, the stale-output check and parallel builds."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ametijuhend_cli.building.manifest import MANIFEST_NAME
from ametijuhend_cli.building.run import build
from ametijuhend_cli.sources.paths import find_project
from conftest import POSITIONS, run


def written(result_stdout: str) -> list[str]:
    return sorted(
        line.split(" ", 1)[1] for line in result_stdout.splitlines() if line.startswith("wrote ")
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_no_change_rebuild_renders_nothing(project: Path) -> None:
    assert run("build").exit_code == 0
    result = build(find_project(project))
    assert result.rendered == 0
    assert result.counts == {"unchanged": 8} and result.events == []


def test_changed_position_is_the_only_one_rebuilt(project: Path) -> None:
    assert run("build").exit_code == 0
    edit(
        project / "data/positions/teenusejuht-kov.yaml", "Vähemalt 3-aastane", "Vähemalt 4-aastane"
    )
    result = run("build")
    assert written(result.stdout) == ["out/teenusejuht-kov.docx", "out/teenusejuht-kov.md"]
    assert "Vähemalt 4-aastane" in (project / "out/teenusejuht-kov.md").read_text(encoding="utf-8")


def test_comment_only_change_renders_but_writes_nothing(project: Path) -> None:
    assert run("build").exit_code == 0
    path = project / "data/positions/ekspert-kriisiabi.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    result = build(find_project(project))
    assert result.rendered == 1 and result.counts == {"unchanged": 8}


def test_library_edit_rebuilds_the_positions_that_use_it(project: Path) -> None:
    assert run("build").exit_code == 0
    # 'toovahendid' is used by teenusejuht-kov only; 'maine' by the other three
    edit(project / "data/library/rights.yaml", "taotleda vajalikke", "taotleda kõiki vajalikke")
    assert written(run("build").stdout) == ["out/teenusejuht-kov.docx", "out/teenusejuht-kov.md"]
    edit(project / "data/library/responsibilities.yaml", "ameti maine", "asutuse maine")
    assert written(run("build").stdout) == sorted(
        f"out/{p}.{f}" for p in POSITIONS if p != "teenusejuht-kov" for f in ("md", "docx")
    )
    # an entry nobody uses changes nothing
    edit(project / "data/library/rights.yaml", "kaugtoo:", "kaugtoo2: x\nkaugtoo:")
    assert written(run("build").stdout) == []


def test_template_or_organization_edit_rebuilds_all(project: Path) -> None:
    assert run("build").exit_code == 0
    (project / "templates").mkdir()
    (project / "templates/wording.yaml").write_text("document_title: TÖÖJUHEND\n", encoding="utf-8")
    assert len(written(run("build").stdout)) == 8
    edit(
        project / "data/organization.yaml",
        "agency: Sotsiaalkindlustusamet",
        "agency: Sotsiaalkindlustusamet (SKA)",
    )
    assert len(written(run("build", "--format", "docx").stdout)) == 4


def test_force_renders_everything(project: Path) -> None:
    assert run("build").exit_code == 0
    assert build(find_project(project), force=True).rendered == 4


def test_deleted_output_and_hand_edited_output_are_rebuilt(project: Path) -> None:
    assert run("build").exit_code == 0
    (project / "out/koordinaator-klat.docx").unlink()
    (project / "out/ekspert-kriisiabi.md").write_text("käsitsi muudetud\n", encoding="utf-8")
    assert written(run("build").stdout) == [
        "out/ekspert-kriisiabi.md",
        "out/koordinaator-klat.docx",
    ]


def test_removed_position_removes_its_outputs(project: Path) -> None:
    assert run("build").exit_code == 0
    (project / "data/positions/koordinaator-klat.yaml").unlink()
    check = run("build", "--check")
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [
        "orphaned out/koordinaator-klat.docx",
        "orphaned out/koordinaator-klat.md",
    ]
    result = run("build")
    assert result.stdout.splitlines()[:2] == [
        "removed out/koordinaator-klat.docx",
        "removed out/koordinaator-klat.md",
    ]
    assert (
        result.stdout.splitlines()[-1]
        == "built 3 positions: 0 files written, 2 removed, 6 unchanged"
    )
    # files that are not ours stay
    (project / "out/LOEMIND.txt").write_text("x", encoding="utf-8")
    (project / "out/Märkmed.md").write_text("x", encoding="utf-8")
    assert run("build").exit_code == 0
    assert (project / "out/LOEMIND.txt").exists() and (project / "out/Märkmed.md").exists()


def test_check_reports_missing_stale_and_current(project: Path) -> None:
    fresh = run("build", "--check")
    assert fresh.exit_code == 1
    assert fresh.stdout.splitlines() == [
        f"missing out/{p}.{f}" for p in POSITIONS for f in ("md", "docx")
    ]
    assert fresh.stderr == "8 outputs are out of date; run ametijuhend build\n"
    assert not (project / "out").exists()
    assert run("build").exit_code == 0
    current = run("build", "--check")
    assert (current.exit_code, current.stdout) == (0, "all outputs of 4 positions are current\n")
    edit(project / "data/positions/teenusejuht-kov.yaml", "title: Teenusejuht", "title: Vanem")
    stale = run("build", "--check", "--format", "md")
    assert (stale.exit_code, stale.stdout) == (1, "stale out/teenusejuht-kov.md\n")
    assert stale.stderr == "1 output is out of date; run ametijuhend build\n"


def test_check_without_manifest_compares_the_files(project: Path) -> None:
    assert run("build", "--format", "md").exit_code == 0
    (project / "out" / MANIFEST_NAME).unlink()  # as in a fresh clone with committed outputs
    assert run("build", "--check", "--format", "md").exit_code == 0
    edit(project / "out/koordinaator-klat.md", "Koordinaator", "Koordineerija")
    assert run("build", "--check", "--format", "md").stdout == "stale out/koordinaator-klat.md\n"


def test_damaged_manifest_means_a_full_build(project: Path) -> None:
    assert run("build").exit_code == 0
    (project / "out" / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    result = build(find_project(project))
    assert result.rendered == 4 and result.counts["wrote"] == 0


@pytest.mark.parallel
def test_parallel_build_is_byte_identical_to_the_serial_full_build(
    project: Path, tmp_path: Path
) -> None:
    positions = project / "data/positions"
    for source in sorted(positions.glob("*.yaml")):
        for i in range(10):
            shutil.copy(source, positions / f"{source.stem}-{i}.yaml")
    paths = find_project(project)
    parallel = build(paths, out=tmp_path / "parallel", jobs=2)
    assert parallel.rendered == 44
    assert build(paths, out=tmp_path / "serial", jobs=1, force=True).rendered == 44

    def digests(folder: Path) -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.iterdir()
            if not p.name.startswith(".")  # the manifest records file times
        }

    assert digests(tmp_path / "parallel") == digests(tmp_path / "serial")
    assert len(digests(tmp_path / "serial")) == 88  # 44 positions × 2 formats


@pytest.mark.parallel
def test_problems_in_parallel_workers_are_reported(project: Path) -> None:
    positions = project / "data/positions"
    for i in range(20):
        shutil.copy(positions / "teenusejuht-kov.yaml", positions / f"kopeeritud-{i:02d}.yaml")
    edit(positions / "kopeeritud-07.yaml", "level: B2", "level: B7")
    result = run("build", "--jobs", "2")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("data/positions/kopeeritud-07.yaml:")
    assert result.stderr.splitlines()[-1] == "1 problem in 1 file; 1 position not built"


def test_renaming_a_referenced_position_rebuilds_the_positions_that_name_it(project: Path) -> None:
    positions = project / "data/positions"
    edit(
        positions / "ekspert-kriisiabi.yaml",
        "manager: Tiimijuht",
        "manager: {position: teenusejuht-kov}",
    )
    assert run("build", "--format", "md").exit_code == 0
    assert "| Teenusejuht | Tiimijuht, koordinaator |" in (
        project / "out/ekspert-kriisiabi.md"
    ).read_text(encoding="utf-8")
    # another field of the referenced position: only that position is rebuilt
    edit(positions / "teenusejuht-kov.yaml", "Vähemalt 3-aastane", "Vähemalt 4-aastane")
    assert written(run("build", "--format", "md").stdout) == ["out/teenusejuht-kov.md"]
    # its title: the position that names it is rebuilt too
    edit(positions / "teenusejuht-kov.yaml", "title: Teenusejuht", "title: Vanemteenusejuht")
    assert written(run("build", "--format", "md").stdout) == [
        "out/ekspert-kriisiabi.md",
        "out/teenusejuht-kov.md",
    ]
    assert "| Vanemteenusejuht | Tiimijuht, koordinaator |" in (
        project / "out/ekspert-kriisiabi.md"
    ).read_text(encoding="utf-8")


def test_reference_to_a_missing_position_is_an_error_in_build(project: Path) -> None:
    edit(
        project / "data/positions/ekspert-kriisiabi.yaml",
        "manager: Tiimijuht",
        "manager: {position: teenusejuht}",
    )
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "data/positions/ekspert-kriisiabi.yaml:7:21: manager.position: "
        "unknown position 'teenusejuht'",
        "    hint: closest known ids: teenusejuht-kov; for someone whose position is not in the "
        "data, write the title as text",
    ]


def test_many_positions_are_validated_in_worker_processes_with_exact_locations(
    project: Path,
) -> None:
    positions = project / "data/positions"
    for i in range(70):  # enough for the parallel loader
        shutil.copy(positions / "teenusejuht-kov.yaml", positions / f"kopeeritud-{i:02d}.yaml")
    edit(positions / "kopeeritud-42.yaml", "level: B2", "level: B7")
    edit(positions / "kopeeritud-07.yaml", "  - koolitused\n", "  - koolitus\n")
    result = run("validate")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert lines == [
        "data/positions/kopeeritud-07.yaml:82:5: rights[1].ref: unknown right 'koolitus'",
        "data/positions/kopeeritud-42.yaml:98:57: requirements.languages[1].level: expected "
        "'A1', 'A2', 'B1', 'B2', 'C1' or 'C2', got 'B7'",
        "2 problems in 2 files; nothing was written",
    ]


def test_force_on_some_positions_keeps_what_the_manifest_knows_of_the_others(project: Path) -> None:
    assert run("build").exit_code == 0
    assert build(find_project(project), ["teenusejuht-kov"], force=True).rendered == 1
    assert build(find_project(project)).rendered == 0


def test_unknown_position_makes_no_output_folder(project: Path) -> None:
    assert run("build", "puudub").exit_code == 1
    assert not (project / "out").exists()


def test_current_outputs_are_counted_not_reported_one_by_one(project: Path) -> None:
    assert run("build").exit_code == 0
    (project / "out" / "vana-ametikoht.md").write_text("x", encoding="utf-8")
    heard: list[tuple[str, Path]] = []
    result = build(find_project(project), on_event=lambda kind, path: heard.append((kind, path)))
    # not written by the tool: listed as kept (main's rule), never removed
    assert heard == [("kept", project / "out" / "vana-ametikoht.md")]
    assert result.counts["unchanged"] == 8 and result.counts["kept"] == 1
    assert result.paths("kept") == [project / "out" / "vana-ametikoht.md"]


def test_manifest_is_sorted_and_merged_whatever_order_positions_are_built_in(
    project: Path,
) -> None:
    assert run("build", "--format", "md").exit_code == 0
    manifest = project / "out" / MANIFEST_NAME
    before = manifest.read_text(encoding="utf-8").splitlines()
    # two named positions, out of order, in another format: their md stays recorded
    assert run("build", "teenusejuht-kov", "ekspert-kriisiabi", "--format", "docx").exit_code == 0
    after = manifest.read_text(encoding="utf-8").splitlines()
    ids = [line.split("\t", 1)[0] for line in after[2:]]
    assert ids == sorted(POSITIONS)
    for line in after[2:]:
        outputs = line.split("\t")[3]
        built = line.startswith(("teenusejuht-kov\t", "ekspert-kriisiabi\t"))
        assert outputs.startswith("docx=") == built and "md=" in outputs
    assert [b for b in before[2:] if not b.startswith(("teenusejuht", "ekspert"))] == [
        a for a in after[2:] if not a.startswith(("teenusejuht", "ekspert"))
    ]
    assert run("build", "--format", "md", "--format", "docx").stdout.endswith(
        "2 files written, 6 unchanged\n"
    )


def test_no_change_build_leaves_the_manifest_alone(project: Path) -> None:
    assert run("build").exit_code == 0
    manifest = project / "out" / MANIFEST_NAME
    stamp = manifest.stat().st_mtime_ns, manifest.stat().st_ino
    assert run("build").exit_code == 0
    assert (manifest.stat().st_mtime_ns, manifest.stat().st_ino) == stamp
    (project / "data/positions/teenusejuht-kov.yaml").unlink()
    assert run("build").exit_code == 0
    assert "teenusejuht-kov\t" not in manifest.read_text(encoding="utf-8")
