"""Content a position gives and its layout has no place for: reported, never dropped."""

from __future__ import annotations

from ametijuhend_cli.errors import Message, Problem, msg
from ametijuhend_cli.layout import Layout, printed
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Position
from ametijuhend_cli.sources.project import LoadedPosition


def unprinted(
    position: LoadedPosition, layout: Layout, name: str, source: str | Message
) -> list[Problem]:
    """Return a problem for each part of ``position`` that documents of ``layout`` leave out."""
    smap = position.source.smap
    model = position.model
    problems = []
    for key, shown in printed(layout).items():
        if key == "approval":
            # the directive that approved it is a record (the last review, what
            # `signed --record` writes), whether or not the document prints it
            continue
        value = getattr(model, key)
        if key == "requirements":
            value = value.model_dump(exclude_defaults=True)
        if not shown and value:
            problems.append(
                smap.problem(
                    (key,),
                    msg("the layout '{name}' does not print {key}", name=name, key=key),
                    hint=msg(
                        "give it a place in {source} ({where}) or leave it out here",
                        source=source,
                        where=_where(key),
                    ),
                )
            )
    if layout.section("requirements") is not None:
        problems += _requirement_rows(position, layout, name, source)
    return problems + _task_parts(position, layout, name, source)


def _where(key: str) -> Message:
    """Return the key of a layout that gives a position's field ``key`` its place."""
    if key == "annex":
        return msg("approval: label, or annex")
    if key in ("subtitle", "position_number"):
        return msg("front.subtitle, or '{key}' in general.fields", key=key)
    if key == "signatures":
        return msg("end.signatures: true")
    if key == "general_paragraphs":
        return msg("'{key}' in sections", key="general")
    if key in ("rights", "responsibilities", "work_tools", "amendment", "requirements", "tasks"):
        return msg("'{key}' in sections", key=key)
    # the fields of the general part (and the purpose): a line there, or a section
    return msg("'{key}' in general.fields, or in sections", key=key)


def _requirement_rows(
    position: LoadedPosition, layout: Layout, name: str, source: str | Message
) -> list[Problem]:
    req = position.model.requirements
    rows = set(layout.requirements.rows)
    return [
        position.source.smap.problem(
            ("requirements", key),
            msg("the layout '{name}' does not print requirements.{key}", name=name, key=key),
            hint=msg(
                "add '{key}' to requirements.rows in {source} or leave it out here",
                key=key,
                source=source,
            ),
        )
        for key in ("education", "experience", "languages", "computer_skills", "other")
        if getattr(req, key) and key not in rows
    ]


def _task_parts(
    position: LoadedPosition, layout: Layout, name: str, source: str | Message
) -> list[Problem]:
    """Return the problem of a task part (results, subtasks …) the layout's tasks leave out."""
    spec = layout.tasks
    model: Position = position.model
    for i, task in enumerate(model.all_tasks()):
        parts = {"results": task.results, "subtasks": task.subtasks, "details": task.details}
        if spec.form == "list" or (spec.form == "table" and "results" in spec.columns):
            continue
        if spec.form == "table":  # a table without a column for the results
            parts = {"results": task.results}
        for key, value in parts.items():
            if value:
                return [
                    position.source.smap.problem(
                        ("tasks",),
                        msg(
                            "the layout '{name}' does not print the {key} of a task (task "
                            "{value}: {task})",
                            name=name,
                            key=key,
                            value=i + 1,
                            task=excerpt(task.task),
                        ),
                        hint=msg("change tasks in {source} or leave them out", source=source),
                    )
                ]
    return []
