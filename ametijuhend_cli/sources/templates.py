"""Template folders: the search path, the wording file and the reference document."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ametijuhend_cli.errors import DataError, Problem, TemplateError, msg
from ametijuhend_cli.memo import Memo
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.files import MAX_SOURCE_BYTES, exists, is_inside, read_project_file

if TYPE_CHECKING:
    from ametijuhend_cli.sources.layouts import Layouts
    from ametijuhend_cli.sources.paths import ProjectPaths
    from ametijuhend_cli.sources.wording import Wording

WORDING_FILE = "wording.yaml"
#: The folder of layout files inside a template folder.
LAYOUTS_FOLDER = "layouts"
MARKDOWN_TEMPLATE = "position.md.j2"
REFERENCE_DOCX = "reference.docx"


#: Wordings made in this process, by the files they are made of (see memo.py).
_WORDINGS: Memo[tuple[tuple[str, bytes], ...], Wording] = Memo(64)


def _wording(files: tuple[tuple[str, bytes], ...]) -> Wording:
    """Return the wording of the wording files ``files`` (display name and bytes, the
    built-in one first); raise DataError."""
    from ametijuhend_cli.sources.validation import validate
    from ametijuhend_cli.sources.wording import Wording
    from ametijuhend_cli.sources.yamlsource import load_bytes

    merged: dict[str, Any] = {}
    smaps = []
    for display, content in files:
        data, smap = load_bytes(content, display)
        if data is None:  # an empty override changes nothing
            continue
        if not isinstance(data, dict):
            raise DataError([smap.problem((), msg("expected a mapping of wording keys"))])
        merged = _merge(merged, data)
        smaps.append(smap)
    if not smaps:
        raise TemplateError(msg("{name} not found in the template folders", name=WORDING_FILE))
    wording, problems = validate(Wording, merged, smaps[-1])
    if problems or wording is None:
        raise DataError(problems)
    return wording


def builtin_dir() -> Path:
    """Return the folder of the templates that ship with the tool.

    In a source checkout (an editable install too) that is templates/ beside
    the package; installed from the wheel, ametijuhend_cli/templates/.
    """
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (
        checkout / "templates" / WORDING_FILE
    ).is_file():
        return checkout / "templates"
    import importlib.resources

    return Path(str(importlib.resources.files("ametijuhend_cli") / "templates"))


def _present(path: Path) -> bool:
    """Return whether a file, a link or a special file (not a folder) is at ``path``."""
    return path.is_symlink() or (exists(path) and not path.is_dir())


#: Lists of the wording that a project's file extends instead of replacing: the
#: other headings, heading words and labels the importer knows (a project adds
#: its own to the built-in ones).
EXTENDED = (
    ("importer", "headings"),
    ("importer", "section_words"),
    ("importer", "labels"),
    ("importer", "column_words"),
    ("importer", "item_words"),
)


def _merge(
    base: dict[str, Any], override: dict[str, Any], at: tuple[str, ...] = ()
) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = _merge(old, value, (*at, str(key)))
        elif at in EXTENDED and isinstance(value, list) and isinstance(old, list):
            out[key] = old + [v for v in value if v not in old]
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class TemplateSet:
    """The template search path: a project's own folder first, then the built-in one."""

    folders: tuple[Path, ...]
    #: the layout of a position that names none (ametijuhend.yaml's `layout:`)
    layout: str = "standard"

    @classmethod
    def for_project(cls, project_templates: Path | None, layout: str = "standard") -> TemplateSet:
        """Return the search path for a project with an optional templates folder."""
        builtin = builtin_dir()
        folders = [builtin]
        if (
            project_templates is not None
            and project_templates.is_dir()
            and project_templates.resolve() != builtin.resolve()
        ):
            if not is_inside(project_templates, project_templates.parent):
                raise DataError(
                    [
                        Problem(
                            path=display_path(project_templates),
                            message=msg(
                                "the templates folder is a link to a folder outside the project"
                            ),
                            hint=msg(
                                "the project reads only files inside its own folder; replace "
                                "the link with the folder itself"
                            ),
                        )
                    ]
                )
            folders.insert(0, project_templates)
        return cls(tuple(folders), layout)

    @classmethod
    def of(cls, paths: ProjectPaths) -> TemplateSet:
        """Return the search path and the default layout of a project."""
        return cls.for_project(paths.templates, paths.layout)

    def find(self, name: str) -> Path:
        """Return the first file called ``name`` on the search path."""
        found = self.files(name)
        if found:
            return found[0]
        raise TemplateError(
            msg(
                "template '{name}' not found in {folders}",
                name=name,
                folders=", ".join(str(f) for f in self.folders),
            )
        )

    def files(self, name: str) -> list[Path]:
        """Return every file called ``name`` on the search path, the overriding one first.

        A link or a special file counts as present, so that reading it refuses
        it by name instead of the built-in file being used silently.
        """
        return [f / name for f in self.folders if _present(f / name)]

    def root_of(self, path: Path) -> Path:
        """Return the template folder ``path`` was found in: what it must stay inside."""
        return next((f for f in self.folders if path.is_relative_to(f)), path.parent)

    def read(self, path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
        """Return the bytes of a template file, a regular file inside its folder."""
        return read_project_file(path, self.root_of(path), limit)

    @cached_property
    def wording(self) -> Wording:
        """Return the wording, a project's keys over the built-in ones."""
        files = tuple(
            (display_path(path), read_project_file(path, self.root_of(path)))
            for path in reversed(self.files(WORDING_FILE))
        )
        return _WORDINGS.get(files, lambda: _wording(files))

    def layout_files(self) -> list[Path]:
        """Return every layout file on the search path, the overriding ones first, by name.

        Read without the layout model, so that a build of current positions
        lists them (for its digest) without loading any schema.
        """
        names: set[str] = set()
        for folder in self.folders:
            layouts = folder / LAYOUTS_FOLDER
            if layouts.is_dir():
                names.update(p.name for p in layouts.iterdir() if p.name.endswith(".yaml"))
        return [f for name in sorted(names) for f in self.files(f"{LAYOUTS_FOLDER}/{name}")]

    @cached_property
    def layouts(self) -> Layouts:
        """Return the layouts of the project (its own first), its default one named."""
        from ametijuhend_cli.sources.layouts import Layouts

        return Layouts(self, self.layout)

    def reference_docx(self) -> Path:
        """Return the reference document that gives the DOCX its styles."""
        return self.find(REFERENCE_DOCX)
