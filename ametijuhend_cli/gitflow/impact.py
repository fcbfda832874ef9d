"""Which positions use a library entry (and change when it is edited)."""

from __future__ import annotations

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.errors import AmetijuhendError, msg
from ametijuhend_cli.messages import maybe_meant
from ametijuhend_cli.sources.paths import ProjectPaths


def impact(paths: ProjectPaths, entry: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Return the matching entries ("kind/id") and the (id, title) of positions using them."""
    checked = checked_project(paths, views=True)
    project, views = checked.project, checked.views
    known = [f"{kind}/{key}" for kind, texts in project.library.texts.items() for key in texts]
    known += [f"competencies/{key}" for key in project.library.competencies]
    matches = [k for k in known if k == entry or k.split("/", 1)[1] == entry]
    if not matches:
        said = msg("unknown library entry {entry}", entry=f"'{entry}'")
        choices = known + [k.split("/", 1)[1] for k in known]
        raise AmetijuhendError(maybe_meant(said, entry, choices))
    users = sorted(
        (pid, view.title) for pid, view in views.items() if view.library_refs & set(matches)
    )
    return sorted(matches), users
