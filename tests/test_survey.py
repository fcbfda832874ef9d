"""The one check engine: its map in worker processes finds what it finds in this one.

Projects are generated from copies of the sample positions, with a random mix
of what goes wrong between positions (circles of managers, unknown and
one-sided references, a missing partitive, broken and duplicate files, bad
library references, reviews); 80 positions are checked in worker processes,
12 in this one, and each project again in this process alone. validate (only
summaries kept) and the commands that keep the positions find the same.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ametijuhend_cli.checking import engine
from ametijuhend_cli.checking.engine import checked_project, validate_project
from ametijuhend_cli.errors import DataError, Problem, msg
from ametijuhend_cli.organization.summary import summaries
from ametijuhend_cli.sources.paths import ProjectPaths, find_project
from conftest import many_positions

TODAY = dt.date(2026, 12, 2)


def _set(path: Path, key: str, value: str) -> None:
    """Set a top-level field of a position file (its one line) to ``value``."""
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
    if n == 0:
        text = text.replace("\nemployment:", f"\n{key}: {value}\nemployment:", 1)
    path.write_text(text, encoding="utf-8")


def _ref(pid: str) -> str:
    return f"{{position: {pid}}}"


Mutation = Callable[[Path, list[str], random.Random], None]


def managers(folder: Path, ids: list[str], rnd: random.Random) -> None:
    """A tree of managers: each names one of the positions before it."""
    for i in range(1, len(ids), 3):
        _set(folder / f"{ids[i]}.yaml", "manager", _ref(ids[rnd.randrange(i)]))


def circle(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b, c = rnd.sample(ids, 3)
    for one, other in ((a, b), (b, c), (c, a)):
        _set(folder / f"{one}.yaml", "manager", _ref(other))


def itself(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b = rnd.sample(ids, 2)
    _set(folder / f"{a}.yaml", "manager", _ref(a))
    _set(folder / f"{b}.yaml", "substitutes", f"[Tiimijuht, {_ref(b)}]")


def unknown(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b = rnd.sample(ids, 2)
    _set(folder / f"{a}.yaml", "manager", _ref(b[:-1] + "x"))  # did you mean b?
    _set(folder / f"{b}.yaml", "substituted_by", f"[{_ref('kedagi-pole')}]")


def one_sided(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b, c, d = rnd.sample(ids, 4)
    _set(folder / f"{a}.yaml", "substituted_by", f"[{_ref(b)}]")  # b does not name a back
    _set(folder / f"{c}.yaml", "substitutes", f"[{_ref(d)}]")
    _set(folder / f"{d}.yaml", "substituted_by", f"[Tiimijuht, {_ref(c)}]")  # both sides


def no_partitive(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b = rnd.sample(ids, 2)
    path = folder / f"{b}.yaml"
    path.write_text(
        re.sub(r"(?m)^title_partitive:.*\n", "", path.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    _set(folder / f"{a}.yaml", "substitutes", f"[{_ref(b)}]")


def broken_file(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a, b = rnd.sample(ids, 2)
    (folder / f"{a}.yaml").write_text("title: [not closed\n", encoding="utf-8")
    _set(folder / f"{b}.yaml", "manager", _ref(a))  # not unknown: its file is broken


def duplicate(folder: Path, ids: list[str], rnd: random.Random) -> None:
    a = rnd.choice(ids)
    (folder / f"{a}.yml").write_bytes((folder / f"{a}.yaml").read_bytes())


def library_ref(folder: Path, ids: list[str], rnd: random.Random) -> None:
    path = folder / f"{rnd.choice(ids)}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(rights:\n  - )(\S+)", r"\1\2-x", text, count=1), "utf-8")


def reviews(folder: Path, ids: list[str], rnd: random.Random) -> None:
    days = ["2020-01-31", "2026-06-30", "2027-03-01"]  # overdue, current, after today
    for pid, day in zip(rnd.sample(ids, len(days)), days, strict=True):
        _set(folder / f"{pid}.yaml", "reviewed", day)


MUTATIONS: list[Mutation] = [
    managers,
    circle,
    itself,
    unknown,
    one_sided,
    no_partitive,
    broken_file,
    duplicate,
    library_ref,
    reviews,
]


def _in_memory(paths: ProjectPaths, today: dt.date | None) -> tuple[int, list[Problem]]:
    """Return what checking the project finds with every position kept, views made."""
    try:
        checked = checked_project(paths, today=today, views=True)
    except DataError as exc:
        return -1, exc.problems
    assert set(checked.views) == set(checked.project.positions)
    return len(checked.project.positions), checked.warnings


def _streamed(paths: ProjectPaths, today: dt.date | None) -> tuple[int, list[Problem]]:
    try:
        result = validate_project(paths, today=today)
    except DataError as exc:
        return -1, exc.problems
    return result.positions, result.warnings


def _here(
    paths: ProjectPaths, today: dt.date | None, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[Problem]]:
    """Return what validate finds with every position checked in this process."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "_PARALLEL_FROM", 10**9)
        return _streamed(paths, today)


#: seed and size; the quick suite checks two seeds of the large size (in worker processes)
SURVEYS = [
    pytest.param(seed, n, marks=[pytest.mark.slow] if n > 12 and seed >= 2 else [])
    for n in (12, 80)
    for seed in range(8)
]


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parallel
@pytest.mark.parametrize(("seed", "n"), SURVEYS)
def test_validate_finds_what_the_whole_project_shows(
    project: Path, seed: int, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rnd = random.Random(seed)
    ids = many_positions(project, n)
    folder = project / "data" / "positions"
    chosen = [m for m in MUTATIONS if rnd.random() < 0.4] if seed else [managers]
    for mutate in chosen:
        mutate(folder, ids, rnd)
    paths = find_project(project)
    today = TODAY if seed % 2 else None
    expected = _in_memory(paths, today)
    assert expected[1] or seed == 0, "a mix of mutations that finds nothing tests little"
    assert _streamed(paths, today) == expected
    if n > 12 and seed < 2:  # checked in worker processes: the same as in this one
        assert _here(paths, today, monkeypatch) == expected


@pytest.mark.parallel
def test_every_kind_of_problem_at_once(project: Path) -> None:
    rnd = random.Random(99)
    ids = many_positions(project, 80)
    for mutate in MUTATIONS:
        mutate(project / "data" / "positions", ids, rnd)
    paths = find_project(project)
    count, problems = _streamed(paths, TODAY)
    assert (count, problems) == _in_memory(paths, TODAY)
    messages = "\n".join(str(p.message) for p in problems)
    for part in (
        "goes round in a circle",
        "cannot be its own manager",
        "cannot substitute itself",
        "unknown position",
        "in the partitive case",
        "duplicate position id",
    ):
        assert part in messages


@pytest.mark.parallel
def test_one_sided_substitutes_and_reviews_are_warnings(project: Path) -> None:
    rnd = random.Random(5)
    ids = many_positions(project, 80)
    for mutate in (managers, one_sided, reviews):
        mutate(project / "data" / "positions", ids, rnd)
    paths = find_project(project)
    count, warnings = _streamed(paths, TODAY)
    assert (count, warnings) == _in_memory(paths, TODAY)
    assert count == 80
    assert any("does not list" in str(w.message) and w.line for w in warnings)
    assert any("is after today" in str(w.message) for w in warnings)


def test_a_summary_is_small_and_carries_no_source_map(project: Path) -> None:
    """What a worker sends back for a position is a summary, not the position."""
    paths = find_project(project)
    checked = checked_project(paths)
    for summary in summaries(checked.project).values():
        sent = pickle.dumps(summary.detach())
        assert summary.smap is None
        assert len(sent) < 2048, (summary.id, len(sent))


def test_a_problem_found_later_is_located_in_the_file_read_again(project: Path) -> None:
    checked = checked_project(find_project(project))
    summary = summaries(checked.project)["koordinaator-klat"]
    expected = summary.problem(("approval", "date"), msg("m"))
    summary.detach()
    assert summary.problem(("approval", "date"), msg("m")) == expected
    assert (expected.line, expected.column) == (13, 9)


def test_a_file_gone_since_it_was_checked_is_named_without_a_line(project: Path) -> None:
    checked = checked_project(find_project(project))
    summary = summaries(checked.project)["koordinaator-klat"].detach()
    (project / "data" / "positions" / "koordinaator-klat.yaml").unlink()
    problem = summary.problem(("approval", "date"), msg("m"))
    assert (problem.path, problem.line, problem.message) == (summary.display, None, msg("m"))


def test_templates_are_tried_on_the_first_position_as_it_is_now(project: Path) -> None:
    """A file broken between the check and the templates' trial is reported, not rendered."""
    paths = find_project(project)
    check = engine.check_project(paths)
    assert check.layouts is not None and not engine.problems_of(check).errors
    assert engine.first_view(check) is not None
    first = Path(check.summaries[min(check.summaries)].file)
    first.write_text("title: [not closed\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        engine.first_view(check)
    assert caught.value.problems[0].path.endswith(first.name)
