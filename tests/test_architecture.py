"""The shape of the package: one-way imports, click in cli/ only, one clock, no re-exports."""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: pytest's own dependency
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ametijuhend_cli"

#: Each folder (or top-level module) and its layer: a module imports only from
#: lower layers and its own folder.
LAYERS: dict[str, float] = {
    "__init__": 0,
    "i18n": -1,
    "estonian": 3.5,
    "errors": 0,
    "memo": 0.5,
    "messages": 1,
    "digests": 1,
    "textdiff": 1,
    "ids": 1.2,
    "fields": 1.25,
    "workers": 1.3,
    "texts": 1.5,
    "models": 2,
    "layout": 2.5,
    "sources": 3,
    "writing": 3.5,
    "document": 4,
    "render": 5,
    "organization": 6,
    "checking": 6.5,
    "building": 7,
    "gitflow": 8,
    "authoring": 8,
    "importer": 9,
    "cli": 10,
    "__main__": 11,
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    folder: str  # its folder (or top-level module name) inside the package
    target: str  # the imported module, dotted
    names: tuple[str, ...]
    line: int

    @property
    def target_folder(self) -> str:
        parts = self.target.split(".")
        return parts[1] if len(parts) > 1 else "__init__"

    def where(self) -> str:
        return f"{self.module}:{self.line}"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(["ametijuhend_cli", *parts])] = path
    return out


MODULES = _modules()


@functools.cache
def _tree(module: str) -> ast.Module:
    """The syntax tree of one of our modules (read when a test needs it, not at collection)."""
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


@functools.cache
def _imports() -> list[Import]:
    found = []
    for module in MODULES:
        tree = _tree(module)
        folder = module.split(".")[1] if "." in module else "__init__"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{module}:{node.lineno}: relative import"
                target = node.module or ""
                names = tuple(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(module, folder, alias.name, (), node.lineno))
                continue
            else:
                continue
            found.append(Import(module, folder, target, names, node.lineno))
    return found


def _ours() -> list[Import]:
    return [i for i in _imports() if i.target.split(".")[0] == "ametijuhend_cli"]


@functools.cache
def _defined(module: str) -> set[str]:
    tree = _tree(module)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def test_every_folder_has_a_layer() -> None:
    folders = {m.split(".")[1] if "." in m else "__init__" for m in MODULES}
    assert folders <= set(LAYERS), sorted(folders - set(LAYERS))


def test_imports_run_one_way() -> None:
    wrong = [
        f"{i.where()}: {i.folder} imports {i.target}"
        for i in _ours()
        if i.target_folder != i.folder and LAYERS[i.target_folder] >= LAYERS[i.folder]
    ]
    assert wrong == []


def test_no_private_name_crosses_a_folder() -> None:
    wrong = [
        f"{i.where()}: {name} from {i.target}"
        for i in _ours()
        if i.target_folder != i.folder
        for name in i.names + tuple(i.target.split(".")[2:])
        if name.startswith("_") and name != "__version__"
    ]
    assert wrong == []


def test_every_import_names_the_module_that_defines_it() -> None:
    # no compatibility re-exports: a name is imported from where it lives
    wrong = []
    for i in _ours():
        key = i.target if i.target != "ametijuhend_cli" else "ametijuhend_cli.__init__"
        if key not in MODULES:
            wrong.append(f"{i.where()}: no module {i.target}")
            continue
        defined = _defined(key)
        for name in i.names:
            if name not in defined and f"{i.target}.{name}" not in MODULES:
                wrong.append(f"{i.where()}: {name} is not defined in {i.target}")
    assert wrong == []


def test_only_the_cli_imports_click() -> None:
    wrong = [
        i.where() for i in _imports() if i.target.split(".")[0] == "click" and i.folder != "cli"
    ]
    assert wrong == []


#: Reading the clock: the date of today, the time now.
CLOCK = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.(time|localtime|gmtime)\(")


def test_the_clock_is_read_in_one_place() -> None:
    readers = [
        f"{name}:{n}"
        for name, path in MODULES.items()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CLOCK.search(line)
    ]
    assert readers == [readers[0]] and readers[0].startswith("ametijuhend_cli.cli._common:")


@pytest.mark.parametrize(
    "package",
    sorted(m for m, p in MODULES.items() if p.name == "__init__.py" and p.parent != PACKAGE),
)
def test_each_subpackage_says_in_one_line_what_it_is_for(package: str) -> None:
    tree = _tree(package)
    doc = ast.get_docstring(tree)
    assert doc is not None and "\n" not in doc.strip(), package
    if package != "ametijuhend_cli.cli":  # the click group lives in cli/__init__
        assert len(tree.body) == 1, f"{package}: only a docstring, no re-exports"


#: Files of the package tree that are sources of shipped files, not shipped themselves.
NOT_SHIPPED = ("*.po", "*.pot")


def _shipped_by(config: dict[str, Any], path: Path) -> bool:
    """Return whether pyproject's packages, package-dir and package-data put `path` in the wheel."""
    folders = {
        name: ROOT / config.get("package-dir", {}).get(name, name.replace(".", "/"))
        for name in config["packages"]
    }
    if path.suffix == ".py":
        return path.parent in folders.values()
    return any(
        path.is_relative_to(folder)
        and any(
            fnmatch.fnmatch(path.relative_to(folder).as_posix(), pattern) for pattern in patterns
        )
        for name, folder in folders.items()
        for patterns in [config.get("package-data", {}).get(name, [])]
    )


def test_pyproject_ships_every_file_of_the_package() -> None:
    # pyproject.toml lists the packages by hand (setuptools' discovery cannot add the
    # templates/ folder as ametijuhend_cli.templates): a new subpackage, template or
    # data file left out of the list would pass the tests and be missing from the wheel
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    files = [
        path
        for folder in (PACKAGE, ROOT / "templates")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(fnmatch.fnmatch(path.name, pattern) for pattern in NOT_SHIPPED)
    ]
    assert len(files) > 150
    assert [str(p.relative_to(ROOT)) for p in files if not _shipped_by(config, p)] == []
