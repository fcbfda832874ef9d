"""Start a project: project file, organization, starter library, an example, git and CI files."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli import __version__
from ametijuhend_cli.authoring.comments import translated
from ametijuhend_cli.authoring.layouts import example_for
from ametijuhend_cli.authoring.schema import schema_files
from ametijuhend_cli.authoring.yamlwriter import scalar
from ametijuhend_cli.errors import InitError, Message, OutputError, msg, nmsg, verbatim
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.paths import PROJECT_FILE
from ametijuhend_cli.writing import write_file

#: The starter files inside the package, and where a new project gets them.
STARTER_FILES = {
    "ametijuhend.yaml": PROJECT_FILE,
    "organization.yaml": "data/organization.yaml",
    "gitattributes": ".gitattributes",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}
LIBRARY_KINDS = (
    "rights",
    "responsibilities",
    "work_tools",
    "computer_skills",
    "competencies",
    "clauses",
)
EXAMPLE_POSITION = "analuutik"
#: --ci: the starter file and where the project gets it
CI_FILES = {
    "github": ("ci/github-actions.yml", ".github/workflows/ametijuhendid.yml"),
    "gitlab": ("ci/gitlab-ci.yml", ".gitlab-ci.yml"),
}
CI_CHOICES = (*CI_FILES, "none")
#: entries of a folder that do not make it "not empty"
IGNORED = {".git"}


def starter_text(name: str) -> str:
    """Return the text of a starter file shipped in the package (``library/rights.yaml`` …),
    its comments in the language shown now (init writes them so)."""
    resource = importlib.resources.files("ametijuhend_cli.authoring").joinpath("starter", name)
    return translated(resource.read_text(encoding="utf-8"))


def _fill(text: str, agency: str, today: dt.date, layout: str = "standard") -> str:
    return (
        text.replace("@VERSION@", __version__)
        .replace("@AGENCY@", scalar(agency))
        .replace("@TODAY@", today.isoformat())
        .replace("@LAYOUT@", layout)
    )


def ci_text(ci: str) -> str:
    """Return the CI file of ``ci`` (github or gitlab), with this version of the tool pinned."""
    return starter_text(CI_FILES[ci][0]).replace("@VERSION@", __version__)


def project_files(
    agency: str,
    *,
    ci: str = "github",
    example: bool = True,
    today: dt.date,
    layout: str = "standard",
) -> dict[str, str]:
    """Return the files of a new project by their path relative to it (schemas included)."""
    if not " ".join(agency.split()):
        raise InitError(msg("the agency's name is empty; give it with --agency NAME"))
    agency = " ".join(agency.split())
    files = {
        target: _fill(starter_text(name), agency, today, layout)
        for name, target in STARTER_FILES.items()
    }
    for kind in LIBRARY_KINDS:
        files[f"data/library/{kind}.yaml"] = starter_text(f"library/{kind}.yaml")
    if example:
        name = f"positions/{EXAMPLE_POSITION}.yaml"
        files[f"data/{name}"] = example_for(_fill(starter_text(name), agency, today), layout)
    if ci != "none":
        files[CI_FILES[ci][1]] = ci_text(ci)
    for name, text in _schema_texts():
        files[f"schemas/{name}"] = text
    return files


@functools.cache
def _schema_texts() -> tuple[tuple[str, str], ...]:
    """Return each schema file's name and text: they follow from the models alone, so they
    are made once (a first day asks for the project's files twice)."""
    return tuple((schema.name, schema.text()) for schema in schema_files())


@dataclass
class Initialized:
    """What `init` wrote."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    #: files that existed and were replaced (only with force)
    replaced: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def _contents(folder: Path, keep: Iterable[Path]) -> list[str]:
    """Return what makes ``folder`` not empty: all but .git and what holds the ``keep`` files."""
    kept = [p.resolve() for p in keep]
    found = []
    for entry in sorted(folder.iterdir()):
        inside = entry.resolve()
        if entry.name in IGNORED or any(k.is_relative_to(inside) for k in kept):
            continue
        found.append(entry.name + ("/" if entry.is_dir() else ""))
    return found


def _not_a_file(path: Path) -> bool:
    """Return whether ``path`` is a link, a folder or anything else but a regular file."""
    return path.is_symlink() or (path.exists() and not path.is_file())


def _differs(path: Path, text: str) -> bool:
    """Return whether writing ``text`` would replace something else at ``path``."""
    if _not_a_file(path):
        return True
    try:
        return path.read_bytes() != text.encode("utf-8")
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _refuse(folder: Path, contents: list[str], clashes: list[str]) -> InitError:
    path = display_path(folder)
    shown = msg("the current folder") if path == "." else verbatim(path)
    listed: Message = verbatim(", ".join(contents[:5]))
    if len(contents) > 5:
        listed = nmsg(
            "{names} and {n} more", "{names} and {n} more", len(contents) - 5, names=listed
        )
    message = msg(
        "{folder} is not empty ({listed}); init starts a project in an empty folder",
        folder=shown,
        listed=listed,
    )
    if clashes:
        more = msg("with --force it would replace: {names}", names=", ".join(clashes))
    else:
        more = msg("with --force it writes the project beside them and replaces nothing")
    return InitError(msg("{message}\n    {more}", message=message, more=more))


def check_folder(
    folder: Path, files: dict[str, str], *, force: bool = False, keep: Iterable[Path] = ()
) -> None:
    """Raise unless a project's ``files`` may be written into ``folder``: it is empty (or
    ``force``), and nothing in the way is a link or a folder."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(msg("{path} is not a folder", path=display_path(folder)))
    if folder.is_dir():
        contents = _contents(folder, keep)
        if contents and not force:
            clashes = [name for name, text in files.items() if _differs(folder / name, text)]
            raise _refuse(folder, contents, clashes)
    odd = [name for name in files if _not_a_file(folder / name)]
    if odd:  # a link could point out of the project: write nothing
        raise OutputError(
            msg(
                "not a regular file: {names}; remove it, init writes nothing over it",
                names=", ".join(odd),
            )
        )


def init_project(
    folder: Path,
    agency: str,
    *,
    ci: str = "github",
    force: bool = False,
    example: bool = True,
    today: dt.date,
    keep: Iterable[Path] = (),
    layout: str = "standard",
) -> Initialized:
    """Write a new project into ``folder``; refuse a folder that is not empty unless ``force``."""
    files = project_files(agency, ci=ci, example=example, today=today, layout=layout)
    check_folder(folder, files, force=force, keep=keep)
    result = Initialized(folder)
    for name, text in files.items():
        path = folder / name
        existed = path.exists()
        changed = write_file(path, text.encode("utf-8"))
        if not existed:
            result.written.append(path)
        elif changed:
            result.replaced.append(path)
        else:
            result.unchanged.append(path)
    return result


def main(argv: list[str]) -> None:
    """Write the CI examples of docs/ci/ from the starter files (`make docs`)."""
    folder = Path(argv[0]) if argv else Path("docs/ci")
    for ci, (name, _) in CI_FILES.items():
        target = folder / Path(name).name
        target.write_text(ci_text(ci), encoding="utf-8")
        print(f"wrote {target} ({ci})")


if __name__ == "__main__":
    main(sys.argv[1:])
