"""Hostile templates (issue 27): a project's templates run in a sandbox, bounded in time and size.

A pull request may change any template; CI then runs validate, build --check,
report and diff on it. Nothing in a template may run a command, read a file or
an environment variable, loop without end or fill the memory: each case is a
located refusal, exit 1, within a few seconds.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jinja2
import pytest

from ametijuhend_cli.fields import fill
from ametijuhend_cli.render import sandbox
from ametijuhend_cli.render.sandbox import ProjectEnvironment
from conftest import edit, git, run

SECRET = "SECRET-TOKEN-5b2e61c0"
POSITION = "data/positions/teenusejuht-kov.yaml"
MARKER = "ametijuhend-was-here"


@pytest.fixture(autouse=True)
def _small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the tests quick: the bounds are those of the tool, made smaller."""
    monkeypatch.setattr(sandbox, "SECONDS", 0.5)
    monkeypatch.setattr(sandbox, "MAX_STEPS", 200_000)
    monkeypatch.setenv("AMETIJUHEND_TEST_SECRET", SECRET)


def template(project: Path, name: str, text: str) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")


UNSAFE = "hint: project templates run in a sandbox"
LIMIT = "hint: a template lays out the data"

#: (id, template text, the message's start after the location, the hint's start)
HOSTILE = [
    (
        "popen",
        '{{ cycler.__init__.__globals__.os.popen("touch MARKER").read() }}',
        "access to attribute '__init__' of 'type' object is unsafe.",
        UNSAFE,
    ),
    (
        "import",
        "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARKER') }}",
        "access to attribute '__init__' of 'TemplateReference' object is unsafe.",
        UNSAFE,
    ),
    ("environ", "{{ cycler.__init__.__globals__.os.environ }}", "access to attribute", UNSAFE),
    (
        "open",
        "{{ lipsum.__globals__['__builtins__']['open']('/etc/hostname').read() }}",
        "'lipsum' is undefined",
        "hint: the variables",
    ),
    (
        "private",
        "{{ self._TemplateReference__context }}",
        "access to attribute '_TemplateReference__context'",
        UNSAFE,
    ),
    ("mutate", "{{ doc.tasks.append(1) }}", "access to attribute 'append' of 'list'", UNSAFE),
    (
        "loop",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "the template took more than 200,000 loop steps and calls",
        LIMIT,
    ),
    (
        "loop-over-a-text",
        "{% set s = 'ab' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
        "the template took more than 200,000 loop steps and calls",
        LIMIT,
    ),
    (
        "fan-out",
        "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}"
        "{{ m(40) }}",
        "the template",
        LIMIT,
    ),
    (
        "repeat",
        "{{ 'x' * 3000000000 }}",
        "the template would make a text of 3,000,000,000 characters (at most 16,000,000)",
        LIMIT,
    ),
    (
        "list-repeat",
        "{{ [0] * 300000000 }}",
        "the template would make a list of 300,000,000 items (at most 1,000,000)",
        LIMIT,
    ),
    (
        "doubling",
        "{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        "the template would make a text of 16,777,216 characters",
        LIMIT,
    ),
    (
        "doubling-plus",
        "{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "the template would make a text of 16,777,216 characters",
        LIMIT,
    ),
    (
        "power",
        "{{ 10 ** 1000000000 }}",
        "the template would compute a number of more than 4,000,000,000 bits",
        LIMIT,
    ),
    (
        "format-width",
        "{{ '{:>3000000000}'.format('x') }}",
        "the format spec '>3000000000' is wider than 1000 characters",
        LIMIT,
    ),
    ("format-nested", "{{ '{:{w}}'.format('x', w=5) }}", "the format spec '{w}'", LIMIT),
    (
        "percent-width",
        "{{ '%3000000000d' | format(1) }}",
        "the format '%3000000000d' is wider than 1000 characters",
        LIMIT,
    ),
    (
        "percent-operator",
        "{{ '%*d' % (3000000000, 1) }}",
        "the format '%*d' is wider than 1000 characters",
        LIMIT,
    ),
    ("center", "{{ 'x' | center(3000000000) }}", "the template would make a text of 3,0", LIMIT),
    ("ljust", "{{ 'x'.ljust(3000000000) }}", "the template would make a text of 3,0", LIMIT),
    (
        "replace",
        "{{ ('x' * 1000000).replace('x', 'y' * 1000000) }}",
        "the template would make a text of",
        LIMIT,
    ),
    ("batch", "{{ [1] | batch(3000000000, 0) | list }}", "the template would make a list", LIMIT),
    ("slice", "{{ [1] | slice(3000000000) | list }}", "the template would make a list", LIMIT),
    ("indent", "{{ 'a b' | indent(3000000000) }}", "the template would make a text", LIMIT),
    (
        "many-big-values",
        "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}"
        "{% set ns.l = ns.l + [(i ~ 'x') | center(15000000)] %}{% endfor %}",
        "the template made more than 256 MB of text and lists",
        LIMIT,
    ),
]


@pytest.mark.parametrize(
    ("text", "message", "hint"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_a_hostile_document_template_is_a_located_error(
    project: Path, tmp_path: Path, text: str, message: str, hint: str
) -> None:
    marker = tmp_path / MARKER
    template(project, "position.md.j2", "# {{ doc.title }}\n" + text.replace("MARKER", str(marker)))
    started = time.process_time()
    result = run("build", "teenusejuht-kov", "--format", "md")
    assert time.process_time() - started < 10
    assert result.exit_code == 1, result.output
    first, second = result.stderr.splitlines()[:2]
    assert first.startswith("templates/position.md.j2:2: " + message), first
    assert first.endswith("(while rendering teenusejuht-kov)")
    assert second.strip().startswith(hint)
    assert not marker.exists()
    assert SECRET not in result.output
    assert not list(project.glob("out/*.md"))


@pytest.mark.parametrize("command", [["validate"], ["build", "--check", "--format", "md"]])
def test_validate_and_check_run_the_template_in_the_sandbox(
    project: Path, tmp_path: Path, command: list[str]
) -> None:
    marker = tmp_path / MARKER
    template(project, "position.md.j2", HOSTILE[0][1].replace("MARKER", str(marker)))
    result = run(*command)
    assert result.exit_code == 1
    assert "position.md.j2:1: access to attribute '__init__' of 'type' object is unsafe." in (
        result.stderr
    )
    assert not marker.exists()


def test_a_secret_in_the_environment_is_not_reachable(project: Path) -> None:
    template(project, "position.md.j2", "{{ doc.wording.__class__ }}{{ config }}{{ request }}\n")
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert SECRET not in result.output


def test_a_hostile_report_template(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    template(project, "report.md.j2", "x\n" + HOSTILE[0][1].replace("MARKER", str(marker)))
    result = run("report", "--today", "2026-06-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: templates/report.md.j2:2: access to attribute '__init__' of 'type' object is "
        "unsafe. (while writing the report)\n    hint: project templates run in a sandbox"
    )
    assert not marker.exists()


def test_an_endless_report_template(project: Path) -> None:
    template(project, "report.md.j2", HOSTILE[7][1])
    result = run("report", "--today", "2026-06-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: templates/report.md.j2:1: the template took more than 200,000 loop steps"
    )


@pytest.mark.parametrize("name", ["notice.md.j2", "change_items.md.j2"])
def test_a_branch_that_was_never_checked_out_runs_no_code_in_diff(
    repo: Path, tmp_path: Path, name: str
) -> None:
    marker = tmp_path / MARKER
    git(repo, "checkout", "-q", "-b", "feature")
    template(repo, name, HOSTILE[0][1].replace("MARKER", str(marker)))
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    git(repo, "checkout", "-q", "main")
    assert not (repo / "templates" / name).exists()
    result = run("diff", "main", "feature")
    assert result.exit_code == 1
    assert f"templates/{name}:1: access to attribute '__init__' of 'type' object is unsafe." in (
        result.stderr
    )
    assert "(while writing the changes)" in result.stderr
    assert not marker.exists()


def test_ordinary_template_features_still_work(project: Path) -> None:
    text = (
        "{% set ns = namespace(n=0) %}{% for t in doc.tasks %}{% set ns.n = ns.n + 1 %}"
        "{% endfor %}{{ ns.n }} {{ doc.title | upper | center(30) | trim }} "
        "{{ '{:>5}'.format(doc.tasks | length) }} {{ '%05d' | format(7) }} "
        "{{ doc.tasks | map(attribute='number') | join(', ') }} {{ 2 ** 10 }} "
        "{{ ([doc.title] * 2) | join }} {{ w.date_format }} {{ range(3) | list }}\n"
    )
    template(project, "position.md.j2", text)
    assert run("build", "--format", "md").exit_code == 0
    out = (project / "out/teenusejuht-kov.md").read_text(encoding="utf-8")
    assert out.startswith("14 TEENUSEJUHT    14 00007 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, ")
    assert out.endswith(" 1024 TeenusejuhtTeenusejuht %d.%m.%Y [0, 1, 2]\n")


def test_the_bounds_of_one_render_start_again_for_the_next(project: Path) -> None:
    # each position may take the whole budget: 4 positions of 150,000 steps each pass
    text = "{% for i in range(2) %}{% for j in range(75000) %}{% endfor %}{% endfor %}{{ doc.id }}"
    template(project, "position.md.j2", text + "\n")
    assert run("build", "--format", "md").exit_code == 0


def _render(source: str, **values: Any) -> str:
    env = ProjectEnvironment(undefined=jinja2.StrictUndefined)
    return sandbox.render(env.from_string(source), **values)


def test_the_clock_is_not_reachable() -> None:
    with pytest.raises(jinja2.exceptions.SecurityError, match="'today'"):
        _render("{{ d.today() }}", d=dt.date(2026, 1, 1))
    with pytest.raises(jinja2.exceptions.SecurityError, match="'now'"):
        _render("{{ d.now() }}", d=dt.datetime(2026, 1, 1))
    assert _render("{{ d.year }} {{ d.strftime('%d.%m.%Y') }}", d=dt.date(2026, 1, 2)) == (
        "2026 02.01.2026"
    )


def test_random_output_is_refused() -> None:
    with pytest.raises(jinja2.TemplateSyntaxError, match="No filter named 'random'"):
        _render("{{ [1, 2] | random }}")
    with pytest.raises(jinja2.UndefinedError, match="'lipsum' is undefined"):
        _render("{{ lipsum() }}")


#: Run in a fresh interpreter: a test process's heap may keep tens of megabytes that were
#: freed (glibc does not give them back), in which the allocation would fit without asking
#: the system for address space, whatever the bound.
_AMPLIFIER = """
import jinja2
from ametijuhend_cli.render import sandbox
sandbox._HEADROOM = (16 << 20) - sandbox.MAX_BYTES
env = sandbox.ProjectEnvironment(undefined=jinja2.StrictUndefined)
try:
    sandbox.render(env.from_string("{{ (s * 10000000).encode('utf-32') | length }}"), s="x")
except MemoryError:
    print("MemoryError")
print(sandbox.render(env.from_string("{{ (s * 1000).encode('utf-32') | length }}"), s="x"))
"""


def test_an_amplifier_the_checks_do_not_know_meets_the_memory_bound() -> None:
    # str.encode is not checked beforehand: the address-space bound stops it (Linux)
    if not Path("/proc/self/statm").exists():
        pytest.skip("the address-space bound is read from /proc")
    result = subprocess.run(
        [sys.executable, "-c", _AMPLIFIER], capture_output=True, text=True, check=False
    )
    assert (result.stdout, result.returncode) == ("MemoryError\n4004\n", 0), result.stderr


# --- the wording's format strings -------------------------------------------

#: (wording.yaml of the project, the first line of the message after "templates/wording.yaml:")
WORDING = [
    (
        "languages:\n  valdab: 'Valdab {nonexistent}'\n",
        "2:3: languages: valdab: 'Valdab {nonexistent}': unknown field '{nonexistent}'; it may "
        "contain {Language}, {language}, {level} (write '{{' and '}}' for braces that are text)",
    ),
    (
        "languages:\n  oskab: 'Oskab {0} {level}'\n",
        "2:3: languages: oskab: 'Oskab {0} {level}': the field '{0}' is not a plain name in "
        "braces (write '{{' and '}}' for braces that are text)",
    ),
    (
        "languages:\n  valdab: 'Valdab {level'\n",
        "2:3: languages: valdab: 'Valdab {level': expected '}' before end of string",
    ),
    (
        "languages:\n  any_foreign: 'Oskab {language} {level}'\n",
        "2:3: languages: any_foreign: 'Oskab {language} {level}': unknown field '{language}'; "
        "it may contain {level} (write '{{' and '}}' for braces that are text)",
    ),
    (
        "languages:\n  valdab: 'Valdab {language} {level:>300000000}'\n",
        "2:3: languages: valdab: 'Valdab {language} {level:>300000000}': the field "
        "'{level:>300000000}' is not a plain name in braces",
    ),
    (
        "approval:\n  line: '{by} {date:%Y} nr {number}'\n",
        "2:3: approval: line: '{by} {date:%Y} nr {number}': the field '{date:%Y}' is not a "
        "plain name in braces",
    ),
    (
        # a directive without a title has none to print (the directive command refused it
        # while validate let it through)
        "approval:\n  annex_line_untitled: '„{directive}“ lisa {annex}'\n",
        "2:3: approval: annex_line_untitled: '„{directive}“ lisa {annex}': unknown field "
        "'{directive}'; it may contain {annex}, {by}, {date}, {number} (write '{{' and '}}' "
        "for braces that are text)",
    ),
    (
        "position_with_unit: '{title.__class__} {unit}'\n",
        "1:21: position_with_unit: '{title.__class__} {unit}': the field '{title.__class__}' is "
        "not a plain name in braces",
    ),
    (
        "languages:\n  or: ' {või} '\n",
        "2:3: languages: or: ' {või} ': unknown field '{või}'; it may contain  (write",
    ),
    (
        "date_format: '%1000000000Y'\n",
        "1:14: date_format: '%1000000000Y': '%1' is not a date directive this tool writes",
    ),
]


@pytest.mark.parametrize(("text", "message"), WORDING, ids=range(len(WORDING)))
@pytest.mark.parametrize("command", [["validate"], ["build", "--format", "docx"]])
def test_a_wording_format_string_is_a_located_error(
    project: Path, text: str, message: str, command: list[str]
) -> None:
    template(project, "wording.yaml", text)
    result = run(*command)
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/wording.yaml:" + message), result.stderr
    assert "Traceback" not in result.output


def test_braces_as_text_in_the_wording(project: Path) -> None:
    template(project, "wording.yaml", "languages:\n  valdab: 'Valdab {language} {{C1}} {level}'\n")
    assert run("build", "teenusejuht-kov", "--format", "md").exit_code == 0
    out = (project / "out/teenusejuht-kov.md").read_text(encoding="utf-8")
    assert "Valdab eesti {C1} C1" in out


def test_fill_takes_only_plain_fields() -> None:
    assert fill("{title} ({unit})", title="Nõunik", unit="talitus") == "Nõunik (talitus)"
    assert fill("{{x}} {level}", level="B2") == "{x} B2"
    with pytest.raises(ValueError, match=r"has no value for \{unit\}"):
        fill("{title} ({unit})", title="Nõunik")
