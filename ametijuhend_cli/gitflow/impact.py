"""Which positions use a library entry (and change when it is edited)."""

from __future__ import annotations

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.errors import AmetijuhendError
from ametijuhend_cli.messages import close_matches
from ametijuhend_cli.sources.paths import ProjectPaths


def impact(paths: ProjectPaths, entry: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Return the matching entries ("kind/id") and the (id, title) of positions using them."""
    checked = checked_project(paths, views=True)
    project, views = checked.project, checked.views
    known = [f"{kind}/{key}" for kind, texts in project.library.texts.items() for key in texts]
    known += [f"competencies/{key}" for key in project.library.competencies]
    matches = [k for k in known if k == entry or k.split("/", 1)[1] == entry]
    if not matches:
        close = close_matches(entry, known + [k.split("/", 1)[1] for k in known])
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise AmetijuhendError(f"unknown library entry '{entry}'{hint}")
    users = sorted(
        (pid, view.title) for pid, view in views.items() if view.library_refs & set(matches)
    )
    return sorted(matches), users
