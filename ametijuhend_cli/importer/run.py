"""Import job descriptions into position files: read, convert, check, write, report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import dump
from ametijuhend_cli.document.records import read_name_record
from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.resolve import resolve_position
from ametijuhend_cli.errors import (
    AmetijuhendError,
    DataError,
    Message,
    Problem,
    Severity,
    joined,
    msg,
    reason_of,
    verbatim,
)
from ametijuhend_cli.i18n import tr
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.importer.convert import Converted, Converter
from ametijuhend_cli.importer.extract import Item, ReadError, read_document
from ametijuhend_cli.importer.lexicon import Lexicon
from ametijuhend_cli.importer.outline import Kept, ParseError
from ametijuhend_cli.messages import display_path, excerpt
from ametijuhend_cli.models import KIND_NAMES, Position
from ametijuhend_cli.sources.layouts import Layouts, ResolvedLayout
from ametijuhend_cli.sources.paths import (
    ProjectPaths,
    position_files,
    stem,
    writable_source_folder,
)
from ametijuhend_cli.sources.policy import Missing, PolicyCheck
from ametijuhend_cli.sources.project import LoadedPosition, Source, load_shared
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.sources.validation import validate
from ametijuhend_cli.sources.yamlsource import load_text
from ametijuhend_cli.writing import cannot_write, write_atomic


@dataclass
class Outcome:
    """What became of one imported file."""

    source: Path
    target: Path | None = None
    converted: Converted | None = None
    problems: list[Problem] = field(default_factory=list)
    suggest: bool = False
    #: text kept as written where it read as no known part, located in the document
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the position file was written."""
        return not self.problems

    def report(self) -> list[Message]:
        """Return the report lines of a successful import."""
        if self.converted is None or self.target is None:
            return []
        c = self.converted
        lines = [
            msg(
                "imported {source} → {target}",
                source=display_path(self.source),
                target=display_path(self.target),
            )
        ]
        counts: list[Message | str] = [
            msg(
                "{matched}/{total} {kind}", matched=matched, total=total, kind=KIND_NAMES[kind].many
            )
            for kind, (total, matched) in sorted(
                c.counts.items(), key=lambda kv: _ORDER.index(kv[0])
            )
        ]
        if counts:
            lines.append(msg("  library references: {counts}", counts=joined(counts)))
        lines += [joined(["  ", note], "") for note in c.notes]
        if self.suggest and c.suggestions:
            lines.append(
                msg(
                    "  suggested library entries (add them, then replace the inline texts by "
                    "the ids):"
                )
            )
            for kind in _ORDER:
                entries = c.suggestions.get(kind)
                if entries:
                    lines.append(verbatim(f"    library/{kind}.yaml:"))
                    lines += [verbatim("      " + line) for line in dump(entries, []).splitlines()]
        return lines


_ORDER = ("rights", "responsibilities", "work_tools", "computer_skills", "competencies", "clauses")


def _header(source: Path) -> list[str]:
    """Return the comment lines at the head of an imported position file."""
    return [
        tr("Imported from {name} by `ametijuhend import`.", name=source.name),
        tr("Review it against the original, then run `ametijuhend validate`."),
    ]


class Importer:
    """Imports documents into one project."""

    def __init__(self, paths: ProjectPaths, *, adopt: bool = False, layout: str | None = None):
        self.paths = paths
        # the organization and the library, not the positions: a broken library or
        # organization stops an import, broken position files do not
        project = load_shared(paths)
        if project.problems or project.organization is None:
            raise DataError(project.problems)
        self.project = project
        templates = TemplateSet.of(paths)
        self.wording = templates.wording
        self.layouts = templates.layouts
        if layout is not None and not self.layouts.known(layout):
            raise DataError(
                [
                    Problem(
                        path="--layout",
                        message=msg("unknown layout {layout}", layout=excerpt(layout)),
                        hint=self.layouts.unknown_hint(layout),
                    )
                ]
            )
        self.adopt = adopt
        self._converters: dict[str, Converter] = {}
        #: the layout the imported positions are written for (None: the project's)
        self.layout = layout if layout != self.layouts.default_name else None
        #: a layout of their own for some of the files (a first day's documents of another)
        self.layout_of: dict[Path, str] = {}
        self.converter = self.converter_for(layout)
        # the other positions are read (three keys each) only if an import refers to one
        self.names = PositionNames.deferred(
            lambda: {
                stem(p.name): read_name_record(p, paths.root)
                for p in position_files(paths.positions)
            },
            project.units,
            self.wording.position_with_unit,
        )

    def converter_for(self, layout: str | None) -> Converter:
        """Return the converter that reads documents of ``layout`` (None: the project's)."""
        resolved = self.layouts.get(layout)
        if resolved.name not in self._converters:
            lexicon = lexicon_for(self.layouts, resolved)
            self._converters[resolved.name] = Converter(
                self.project, lexicon, resolved, adopt=self.adopt
            )
        return self._converters[resolved.name]

    def _check(self, converted: Converted, text: str, display: str) -> list[Problem]:
        """Return what is wrong with the written YAML (nothing, unless the importer has a bug).

        What the layout's policy requires and the document does not give is no
        reason to refuse it: the document is imported as it is, and the report
        says what is missing (validate reports it until it is added).
        """
        raw, smap = load_text(text, display)
        model, problems = validate(Position, raw, smap)
        if model is None:
            return problems
        if isinstance(raw, dict):
            converted.notes += _policy_notes(PolicyCheck(self.layouts)(raw, smap))
        loaded = LoadedPosition(converted.id, model, Source(display, smap))
        _, found = resolve_position(self.project, self.layouts, loaded, self.names)
        return [p for p in found if converted.unit_known or p.field != "unit"]

    def run(
        self,
        files: Iterable[Path],
        *,
        output: Path | None = None,
        to: Path | None = None,
        force: bool = False,
        suggest: bool = False,
    ) -> list[Outcome]:
        """Import ``files``; return one outcome per file (a failed file writes nothing)."""
        outcomes = []
        taken: set[Path] = set()
        for source in files:
            outcome = Outcome(source, suggest=suggest)
            outcomes.append(outcome)
            # each file on its own: one that cannot be imported stops no other
            try:
                self._one(outcome, output, to, force, taken)
            except DataError as exc:
                outcome.problems += [_at_source(p, source) for p in exc.problems]
            except AmetijuhendError as exc:
                outcome.problems.append(Problem(path=display_path(source), message=exc.message))
            except (RecursionError, MemoryError) as exc:
                # a document nested or sized beyond what this process can hold; any
                # other exception is a bug, and is called one
                outcome.problems.append(
                    Problem(
                        path=display_path(source),
                        message=msg(
                            "could not be read ({error}: {detail})",
                            error=type(exc).__name__,
                            detail=str(exc)[:200],
                        ),
                        hint=msg(
                            "open it in Word or LibreOffice and save it again as .docx; "
                            "if that does not help, please report it"
                        ),
                    )
                )
            except Exception as exc:  # a bug: said so, and the other files are imported
                outcome.problems.append(
                    Problem(
                        path=display_path(source),
                        message=msg(
                            "ametijuhend failed on this file ({error}: {detail}); "
                            "this is a bug in ametijuhend",
                            error=type(exc).__name__,
                            detail=str(exc)[:200],
                        ),
                        hint=msg("please report it, with the file if you can share it"),
                    )
                )
            if outcome.problems:  # the report of a failed file is its problems alone
                outcome.target = outcome.converted = None
        return outcomes

    def _one(
        self, outcome: Outcome, output: Path | None, to: Path | None, force: bool, taken: set[Path]
    ) -> None:
        """Import one file into ``outcome``: written, or its problems (nothing written)."""
        source = outcome.source
        display = display_path(source)
        own = self.layout_of.get(source)
        converter = self.converter_for(own) if own else self.converter
        try:
            converted = converter.convert(read_document(source))
        except ReadError as exc:
            outcome.problems.append(Problem(path=display, message=exc.message))
            return
        except ParseError as exc:
            outcome.problems.append(_parse_problem(exc, source))
            return
        target = self._target(converted, output, to, taken)
        if output is not None:
            try:
                converted.id = check_slug(output.stem)
            except ValueError as exc:
                outcome.problems.append(Problem(path=display_path(output), message=reason_of(exc)))
                return
        layout = own or self.layout
        if layout is not None and layout != self.layouts.default_name:
            converted.data = {"layout": layout, **converted.data}
        text = dump(converted.data, _header(source))
        problems = self._check(converted, text, display_path(target))
        if problems:  # located in the document, not in YAML that was never written
            outcome.problems += [_at_source(p, source) for p in problems]
            if any(_not_printed(p) for p in problems):
                outcome.problems.append(self._other_layout(converted, source))
            return
        if target.exists() and not force:
            outcome.problems.append(
                Problem(
                    path=display,
                    message=msg(
                        "{target} already exists; nothing was written", target=display_path(target)
                    ),
                    hint=msg("use --force to overwrite it, or -o/--to to write elsewhere"),
                )
            )
            return
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as exc:
            outcome.problems.append(
                Problem(path=display, message=cannot_write(target, exc).message)
            )
            return
        taken.add(target.resolve())
        outcome.target, outcome.converted = target, converted
        if converted.reading is not None:
            outcome.warnings = [_kept_warning(k, source) for k in converted.reading.kept]

    def _other_layout(self, converted: Converted, source: Path) -> Problem:
        """Return the problem naming the layout a document reads as, when its own is another."""
        from ametijuhend_cli.importer.learn import fitting_layout

        name, agree, features = fitting_layout(self.layouts, converted)
        return Problem(
            path=display_path(source),
            message=msg(
                "the document reads as one of the layout '{name}' ({agree} of {features} "
                "features), not of the layout '{name2}'",
                name=name,
                agree=agree,
                features=features,
                name2=self.converter.layout.name,
            ),
            hint=msg(
                "import it with --layout {name}; a new project learns its layout from its "
                "documents (init --from-docx)",
                name=name,
            ),
        )

    def _target(
        self, converted: Converted, output: Path | None, to: Path | None, taken: set[Path]
    ) -> Path:
        if output is not None:
            return output
        folder = writable_source_folder(
            self.paths, to if to is not None else self.paths.positions, given=to is not None
        )
        base, n = converted.id, 2
        while (folder / f"{converted.id}.yaml").resolve() in taken:
            converted.id, n = f"{base}-{n}", n + 1
        return folder / f"{converted.id}.yaml"


def _not_printed(problem: Problem) -> bool:
    """Return whether ``problem`` says the layout does not print what the document gives."""
    return "does not print" in problem.message.id


def _policy_notes(missing: Missing) -> list[Message]:
    """Return report lines for the fields the layout's policy requires and the document lacks."""
    names = [name for names in missing.by_parent.values() for name in names]
    notes: list[Message] = []
    if names:
        notes.append(
            msg(
                "the document gives no {names}: {because}; validate reports it until it is added",
                names=", ".join(names),
                because=missing.because(names) or "",
            )
        )
    notes += [msg("{field}: {message}", field=p.field, message=p.message) for p in missing.problems]
    return notes


def lexicon_for(layouts: Layouts, chosen: ResolvedLayout) -> Lexicon:
    """Return what the importer recognizes: the chosen layout's words first, then those of
    every other layout the project knows (a document of another layout is read too)."""
    others: list[ResolvedLayout] = []
    for name in layouts.names():
        if name == chosen.name:
            continue
        try:
            others.append(layouts.get(name))
        except DataError:  # a broken layout file of the project: validate reports it
            continue
    return Lexicon(
        chosen.wording,
        [o.wording for o in others],
        [chosen.layout, *(o.layout for o in others)],
    )


def _located(message: Message, item: Item | None, source: Path) -> tuple[Message, int | None]:
    """Return ``message`` and the line it is about: a text file's line number, or none
    for a DOCX, whose paragraph the message then names (a DOCX has no lines)."""
    where = item.number if item is not None else None
    if where is not None and source.suffix.lower() == ".docx":
        return msg("{message} (paragraph {n})", message=message, n=where), None
    return message, where


def _parse_problem(exc: ParseError, source: Path) -> Problem:
    """Return the problem of a document whose layout could not be read, located in it."""
    message, line = _located(exc.message, exc.item, source)
    return Problem(
        path=display_path(source), line=line, field=exc.where, message=message, hint=exc.hint
    )


def _kept_warning(kept: Kept, source: Path) -> Problem:
    """Return the warning that says where text was kept as written, and why."""
    message, line = _located(kept.message, kept.item, source)
    return Problem(
        path=display_path(source),
        line=line,
        message=message,
        hint=msg("check it against the original; it is printed where it stood, as written"),
        severity=Severity.WARNING,
    )


def _at_source(problem: Problem, source: Path) -> Problem:
    """Return ``problem`` (found in the converted YAML, never written) located at ``source``."""
    return Problem(
        path=display_path(source),
        field=problem.field,
        message=msg(
            "{message} (in the text imported from it; nothing was written)", message=problem.message
        ),
        hint=problem.hint,
        severity=problem.severity,
    )


def import_files(
    paths: ProjectPaths,
    files: Iterable[Path],
    *,
    adopt: bool = False,
    layout: str | None = None,
    layout_of: dict[Path, str] | None = None,
    **options: Any,
) -> list[Outcome]:
    """Return the outcome of importing each of ``files`` into the project at ``paths``.

    With ``adopt``, a text that nearly matches a library entry takes the
    library's wording; otherwise the document's own is kept. ``layout`` names
    the layout the positions are written for (default: the project's),
    ``layout_of`` a layout of their own for some of the files.
    """
    importer = Importer(paths, adopt=adopt, layout=layout)
    importer.layout_of = dict(layout_of or {})
    return importer.run(files, **options)
