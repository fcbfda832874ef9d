"""Where a project is: its folders, its project file and its position files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ametijuhend_cli.errors import (
    DataError,
    Message,
    OutputError,
    Problem,
    ProjectNotFoundError,
    msg,
    verbatim,
)
from ametijuhend_cli.messages import display_path, excerpt
from ametijuhend_cli.sources.files import exists, is_inside

if TYPE_CHECKING:
    from ametijuhend_cli.sources.yamlsource import SourceMap

PROJECT_FILE = "ametijuhend.yaml"
#: The reference documents promise a review once a year.
DEFAULT_REVIEW_PERIOD = 12
ORGANIZATION_FILE = "organization.yaml"
SCHEMAS_FOLDER = "schemas"
POSITION_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project's sources, templates and outputs are, and its default formats."""

    root: Path
    data: Path
    out: Path
    templates: Path
    schemas_folder: Path | None = None
    #: the formats build writes without --format; None: the tool's default
    formats: tuple[str, ...] | None = None
    review_period_months: int = DEFAULT_REVIEW_PERIOD
    #: what makes `diff --exit-code` fail: any change, or one that may need consent
    diff_fail_on: str = "change"
    #: validate checks the spelling (spelling.check of ametijuhend.yaml)
    spelling: bool = False
    #: the project's word list (spelling.words); None: words.txt in the data folder
    word_list_file: Path | None = None
    #: the language of the messages (messages.language: et, en or locale) and in CI
    messages_language: str | None = None
    messages_ci: str | None = None
    #: the project's own languages and education levels (vocabulary: in ametijuhend.yaml)
    vocabulary_languages: tuple[str, ...] = ()
    vocabulary_education: tuple[str, ...] = ()
    #: the layout of a position that names none (templates/layouts/<name>.yaml)
    layout: str = "standard"
    #: the letters' and the directive's settings (projectfile.py), validated, as dicts
    notice: dict[str, Any] | None = None
    directive: dict[str, Any] | None = None

    @property
    def word_list(self) -> Path:
        return self.word_list_file or self.data / WORD_LIST

    @property
    def schemas(self) -> Path:
        return self.schemas_folder or self.root / SCHEMAS_FOLDER

    @property
    def positions(self) -> Path:
        return self.data / "positions"

    @property
    def library(self) -> Path:
        return self.data / "library"

    @property
    def organization(self) -> Path:
        return self.data / ORGANIZATION_FILE


def find_project(start: Path, data: Path | None = None) -> ProjectPaths:
    """Return the project at or above ``start``, or the one whose data is ``data``."""
    if data is not None:
        if not data.is_dir():
            raise ProjectNotFoundError(
                msg("data folder {folder} does not exist", folder=f"'{data}'")
            )
        root = data.resolve().parent
        return ProjectPaths(root, data, root / "out", root / "templates")
    for folder in _folders_up(start):
        config = folder / PROJECT_FILE
        if exists(config) and not config.is_dir():
            return _from_config(config)
        data_folder = folder / "data"
        if (data_folder / ORGANIZATION_FILE).is_file() or (
            folder == start and data_folder.is_dir()
        ):
            if not is_inside(folder / "data", folder):
                raise DataError(
                    [
                        Problem(
                            path=display_path(folder / "data"),
                            message=msg(
                                "the data folder is a link to a folder outside the project"
                            ),
                            hint=msg(
                                "the project reads only files inside its own folder; replace "
                                "the link with the folder itself"
                            ),
                        )
                    ]
                )
            return ProjectPaths(folder, folder / "data", folder / "out", folder / "templates")
    raise ProjectNotFoundError(
        msg(
            "no project here: neither {file} nor a data/ folder in {folder} (nor a project in "
            "a folder above it); run the command in the project folder, give --data DIR, or "
            "start one with `ametijuhend init`",
            file=PROJECT_FILE,
            folder=str(start.resolve()),
        )
    )


def _folders_up(start: Path) -> Iterator[Path]:
    """Yield ``start`` and the folders above it, up to a git repository's root or /."""
    yield start
    if (start / ".git").exists():
        return
    for folder in start.resolve().parents:
        yield folder
        if (folder / ".git").exists():
            return


#: The project file's keys and their defaults (sources/projectfile.py is the schema).
PROJECT_DEFAULTS: dict[str, Any] = {
    "data": "data",
    "out": "out",
    "templates": "templates",
    "schemas": SCHEMAS_FOLDER,
    "formats": None,
    "review_period_months": DEFAULT_REVIEW_PERIOD,
    "diff": {"fail_on": "change"},
    "layout": "standard",
    "spelling": {"check": False, "words": None},
    "messages": {"language": "locale", "ci": None},
    "vocabulary": {"languages": [], "education": []},
    "notice": None,
    "directive": None,
}
#: The project's word list in the data folder, unless spelling.words names another file.
WORD_LIST = "words.txt"
_FORMATS = ("md", "docx", "pdf")
#: A layout name the schema would take as it is (an id; anything else it checks).
_PLAIN_NAME = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?")


def plain_settings(raw: Any) -> dict[str, Any] | None:
    """Return the settings of a project file that is plainly valid (the schema would take
    every value as it is), else None: then the schema checks it and says what is wrong."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        return None
    if not set(raw) <= set(PROJECT_DEFAULTS):
        return None
    settings = {**PROJECT_DEFAULTS, **raw}
    if not all(isinstance(settings[k], str) for k in ("data", "out", "templates", "schemas")):
        return None
    formats = settings["formats"]
    if formats is not None and not (
        isinstance(formats, list) and formats and all(f in _FORMATS for f in formats)
    ):
        return None
    months = settings["review_period_months"]
    if type(months) is not int or not 1 <= months <= 120:
        return None
    if settings["notice"] is not None or settings["directive"] is not None:
        return None  # the schema checks these
    diff = settings["diff"]
    if not (isinstance(diff, dict) and set(diff) <= {"fail_on"}):
        return None
    if diff.get("fail_on", "change") not in ("change", "consent"):
        return None
    layout = settings["layout"]
    if not (isinstance(layout, str) and _PLAIN_NAME.fullmatch(layout)):
        return None
    return settings if _plain_language_settings(settings) else None


def _plain_language_settings(settings: dict[str, Any]) -> bool:
    """Return whether the spelling and messages settings are plainly valid."""
    spelling = settings["spelling"]
    if not (isinstance(spelling, dict) and set(spelling) <= {"check", "words"}):
        return False
    if type(spelling.get("check", False)) is not bool:
        return False
    if not isinstance(spelling.get("words") or "", str):
        return False
    vocabulary = settings["vocabulary"]
    if not (isinstance(vocabulary, dict) and set(vocabulary) <= {"languages", "education"}):
        return False
    for names in vocabulary.values():
        if not (isinstance(names, list) and all(isinstance(n, str) and n.strip() for n in names)):
            return False
    messages = settings["messages"]
    if not (isinstance(messages, dict) and set(messages) <= {"language", "ci"}):
        return False
    return messages.get("language", "locale") in ("et", "en", "locale") and messages.get("ci") in (
        None,
        "et",
        "en",
    )


def _from_config(config: Path) -> ProjectPaths:
    from ametijuhend_cli.sources.yamlsource import load_file

    display = display_path(config)
    raw, smap = load_file(config, display, config.parent)
    settings = plain_settings(raw)
    if settings is None:
        # the schema of the project file needs pydantic: imported only for its problems
        from ametijuhend_cli.sources.projectfile import ProjectFile
        from ametijuhend_cli.sources.validation import validate

        model, problems = validate(ProjectFile, raw if raw is not None else {}, smap)
        if problems or model is None:
            raise DataError(problems)
        settings = model.model_dump()
    root = config.parent
    outside = [
        smap.problem(
            (key,),
            msg("the folder {settings} is outside the project", settings=excerpt(settings[key])),
            hint=msg(
                "the project reads only files inside its own folder; keep the folder inside it"
            ),
        )
        for key in ("data", "templates")
        if not is_inside(root / settings[key], root)
    ]
    outside += _output_settings(root, settings, smap)
    if outside:
        raise DataError(outside)
    if not (root / settings["data"]).is_dir():
        raise DataError(
            [
                smap.problem(
                    ("data",),
                    msg(
                        "the data folder {settings} does not exist",
                        settings=excerpt(settings["data"]),
                    ),
                    hint=msg(
                        "create it, or set 'data:' to the folder with {ORGANIZATION_FILE}",
                        ORGANIZATION_FILE=ORGANIZATION_FILE,
                    ),
                )
            ]
        )
    formats = settings["formats"]
    spelling, messages = settings["spelling"], settings["messages"]
    words = spelling.get("words")
    return ProjectPaths(
        root,
        root / settings["data"],
        root / settings["out"],
        root / settings["templates"],
        root / settings["schemas"],
        tuple(formats) if formats else None,
        settings["review_period_months"],
        settings["diff"].get("fail_on", "change"),
        bool(spelling.get("check", False)),
        root / words if words else None,
        messages.get("language", "locale"),
        messages.get("ci"),
        tuple(settings["vocabulary"].get("languages", ())),
        tuple(settings["vocabulary"].get("education", ())),
        layout=settings["layout"],
        notice=settings["notice"],
        directive=settings["directive"],
    )


#: The keys of the project file that name folders the tool writes into.
OUTPUT_KEYS = ("out", "schemas")


def _output_settings(root: Path, settings: dict[str, Any], smap: SourceMap) -> list[Problem]:
    """Return the problems of the output folders of a project file: each must be inside the
    project and apart from its sources (a build into templates/ would replace the reference
    document with a position named 'reference')."""
    data = root / settings["data"]
    sources = [
        _absolute(f) for f in (data / "positions", data / "library", root / settings["templates"])
    ]
    problems = []
    for key in OUTPUT_KEYS:
        folder = _absolute(root / settings[key])
        if not _lexically_inside(folder, _absolute(root)) or folder == _absolute(root):
            message = msg(
                "the folder {folder} is outside the project", folder=excerpt(settings[key])
            )
            if folder == _absolute(root):
                message = msg(
                    "the folder {folder} is the project folder itself",
                    folder=excerpt(settings[key]),
                )
            problems.append(
                smap.problem(
                    (key,),
                    message,
                    hint=msg(
                        "the tool writes only into folders of its own inside the project "
                        "(the default is {default}/)",
                        default=PROJECT_DEFAULTS[key],
                    ),
                )
            )
        elif any(_overlap(folder, source) for source in sources):
            problems.append(
                smap.problem(
                    (key,),
                    msg(
                        "the folder {folder} holds the project's sources",
                        folder=excerpt(settings[key]),
                    ),
                    hint=msg(
                        "outputs go to a folder of their own, apart from the positions, the "
                        "library and the templates (the default is {default}/)",
                        default=PROJECT_DEFAULTS[key],
                    ),
                )
            )
    return problems


def _absolute(path: Path) -> Path:
    """Return ``path`` absolute, with '.' and '..' taken away as written (no link followed)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _lexically_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _overlap(one: Path, other: Path) -> bool:
    """Return whether one of two folders is, or holds, the other."""
    return _lexically_inside(one, other) or _lexically_inside(other, one)


def _first_link(root: Path, folder: Path) -> Path | None:
    """Return the first link on the way from ``root`` down to ``folder``, which is inside it;
    None when every part is a real folder or not there yet (or a file: writing says so)."""
    here = root
    for part in folder.relative_to(root).parts:
        here = here / part
        if here.is_symlink():
            return here
        if not here.is_dir():
            return None
    return None


def writable_folder(paths: ProjectPaths, folder: Path, *, given: bool = False) -> Path:
    """Return ``folder``, where an output may be written; raise OutputError where it may not.

    A folder inside the project is reached without following a link (a
    committed link for out/ must not send the outputs anywhere the build can
    write). Outputs never go into the project's sources (data/, templates/)
    or the project folder itself. A folder outside the project is written
    only when it was ``given`` on the command line by the person running it.
    """
    root = _absolute(paths.root)
    target = _absolute(folder)
    shown = display_path(folder)
    if not _lexically_inside(target, root):
        if given:
            return target
        raise OutputError(_outside(shown))
    for source in (paths.positions, paths.library, paths.templates):
        if _overlap(target, _absolute(source)) or target == root:
            sources = (
                msg("the project folder") if target == root else verbatim(display_path(source))
            )
            raise OutputError(
                msg(
                    "refusing to write into {folder}: it holds the project's sources "
                    "({sources}); outputs go to a folder of their own, such as out/",
                    folder=shown,
                    sources=sources,
                )
            )
    return _unlinked(root, target, shown)


def writable_source_folder(paths: ProjectPaths, folder: Path, *, given: bool = False) -> Path:
    """Return the source folder ``folder`` (data/positions/ for `new` and `import`) where a
    source file may be written: reached without following a link; raise OutputError."""
    root = _absolute(paths.root)
    target = _absolute(folder)
    if not _lexically_inside(target, root):
        if given:
            return target
        raise OutputError(_outside(display_path(folder)))
    return _unlinked(root, target, display_path(folder))


def _outside(folder: str) -> Message:
    return msg("refusing to write into {folder}: it is outside the project", folder=folder)


def _unlinked(root: Path, target: Path, shown: str) -> Path:
    link = _first_link(root, target)
    if link is not None:
        if link == target:
            raise OutputError(
                msg(
                    "refusing to write into {folder}: it is a link; the tool writes only into "
                    "real folders of the project (replace the link with a folder)",
                    folder=shown,
                )
            )
        raise OutputError(
            msg(
                "refusing to write into {folder}: {link} is a link; the tool writes only into "
                "real folders of the project (replace the link with a folder)",
                folder=shown,
                link=display_path(link),
            )
        )
    return target


def position_names(folder: Path) -> list[str]:
    """Return the names of the position files in ``folder``, sorted.

    One ``os.scandir`` and a sort of strings: at 10,000 files, ``Path`` objects
    and a ``stat`` per file cost more than the rest of a no-change build. Links
    and special files (a named pipe) are listed too, so that reading them
    refuses them by name; only real folders are left out.
    """
    try:
        with os.scandir(folder) as entries:
            names = [
                e.name
                for e in entries
                if e.name.endswith(POSITION_SUFFIXES)
                and not e.name.startswith(".")
                and not e.is_dir(follow_symlinks=False)
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    names.sort()
    return names


def position_files(folder: Path) -> list[Path]:
    """Return the position files in ``folder``, sorted by name."""
    return [folder / name for name in position_names(folder)]


def stem(name: str) -> str:
    """Return a position file's name without its suffix: the position's id."""
    return name.rsplit(".", 1)[0]


def duplicate_problem(path: Path, pid: str, other: Path) -> Problem:
    """Return the problem of a position id used by two files."""
    return Problem(
        path=display_path(path),
        message=msg(
            "duplicate position id {pid} (also {other})",
            pid=excerpt(pid),
            other=display_path(other),
        ),
        hint=msg("keep one file per position"),
    )
