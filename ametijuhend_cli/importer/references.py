"""Library references for imported texts: exact matches become ids, near ones are reported."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow, FlowMap
from ametijuhend_cli.errors import Message, joined, msg, verbatim
from ametijuhend_cli.importer.body import RawCompetency
from ametijuhend_cli.importer.lexicon import norm
from ametijuhend_cli.importer.match import CompetencyMatcher, Diff, TextMatcher, words
from ametijuhend_cli.models import KIND_NAMES
from ametijuhend_cli.sources.project import Project


def slugify(text: str, limit: int = 80) -> str:
    """Return an id made of ``text``: 'Ekspert (kriisiabi)' → 'ekspert-kriisiabi'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "ametikoht"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Report:
    """What one conversion says and counts: notes, references made, near matches, proposals."""

    notes: list[Message] = field(default_factory=list)
    #: library kind → (texts, of them references)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: library kind → proposed new entries (for --suggest-library)
    suggestions: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: texts that nearly match a library entry
    near: int = 0


class Library:
    """The library of a project, matched against the texts of documents."""

    def __init__(self, project: Project, *, adopt: bool = False):
        #: a near match to the library takes the library's wording (else the document's)
        self.adopt = adopt
        self.project = project
        library = project.library
        self.texts = {kind: TextMatcher(entries) for kind, entries in library.texts.items()}
        self.competencies = CompetencyMatcher(library.competencies)
        self.names = {norm(c.name) for c in library.competencies.values()}
        vocabulary: set[str] = set()
        for texts in library.texts.values():
            for text in texts.values():
                vocabulary.update(words(text))
        for comp in library.competencies.values():
            vocabulary.update(words(" ".join([comp.name, *comp.indicators])))
        self.vocabulary = vocabulary

    def ref(self, kind: str, text: str, out: Report, index: int | None = None) -> Any:
        """Return a library id for ``text`` (an exact match), else the text itself."""
        where = str(KIND_NAMES[kind].many) + (f"[{index}]" if index is not None else "")
        total, matched = out.counts.get(kind, (0, 0))
        found = self.texts[kind].match(text) if kind in self.texts else None
        if found is not None and found.diff is not None:
            self._near(verbatim(f"{where} '{_short(text)}'"), found.id, found.diff, out)
            if not self.adopt:  # the signed wording stays as it was signed
                found = None
        out.counts[kind] = (total + 1, matched + (found is not None))
        if found is None:
            self._suggest(kind, text, out)
            return {"text": text}
        return found.id

    def _near(self, where: Message, uid: str, difference: Diff, out: Report) -> None:
        """Report a near match: the words that differ, and whose wording was taken."""
        taken = (
            msg("the library's wording is used")
            if self.adopt
            else msg("the document's wording is kept")
        )
        out.notes.append(
            msg(
                "near match: {where} → {uid}: {notes}; {taken}",
                where=where,
                uid=uid,
                notes=joined(difference.notes, "; "),
                taken=taken,
            )
        )
        out.near += 1

    def refs(self, kind: str, texts: list[str], out: Report) -> list[Any]:
        """Return the references (or texts) of ``texts``."""
        return [self.ref(kind, text, out, i) for i, text in enumerate(texts)]

    def competency_refs(self, items: list[RawCompetency], out: Report, which: str) -> list[Any]:
        """Return the competencies as library references where they match."""
        refs: list[Any] = []
        total, matched = out.counts.get("competencies", (0, 0))
        for i, comp in enumerate(items):
            found = self.competencies.match(comp.name, comp.indicators)
            where = f"{which} competencies[{i}] '{comp.name}'"
            if found is None:
                self._suggest_competency(comp, out)
                if norm(comp.name) in self.names:
                    out.notes.append(
                        msg(
                            "{where}: the library's text differs too much; kept inline",
                            where=where,
                        )
                    )
                refs.append({"name": comp.name, "text": " ".join(comp.indicators)})
                continue
            for d, what in ((found.name_diff, msg("name")), (found.diff, msg("text"))):
                if d is not None:
                    self._near(msg("{where} ({what})", where=where, what=what), found.id, d, out)
            if not self.adopt and (found.name_diff is not None or found.diff is not None):
                refs.append({"name": comp.name, "text": " ".join(comp.indicators)})
                continue
            matched += 1
            ref = found.reference()
            refs.append(
                FlowMap({k: Flow(v) if isinstance(v, list) else v for k, v in ref.items()})
                if isinstance(ref, dict)
                else ref
            )
        out.counts["competencies"] = (total + len(items), matched)
        return Flow(refs) if all(isinstance(r, str) for r in refs) else refs

    def _new_id(self, kind: str, text: str, out: Report) -> str:
        known = set(self.project.library.texts.get(kind, {})) | set(
            self.project.library.competencies
        )
        known |= set(out.suggestions.get(kind, {}))
        base = slugify(" ".join(words(text)[:4]), 40)
        uid, n = base, 2
        while uid in known:
            uid, n = f"{base}-{n}", n + 1
        return uid

    def _suggest(self, kind: str, text: str, out: Report) -> None:
        out.suggestions.setdefault(kind, {})[self._new_id(kind, text, out)] = text

    def _suggest_competency(self, comp: RawCompetency, out: Report) -> None:
        uid = self._new_id("competencies", comp.name, out)
        entry = {"name": comp.name, "indicators": list(comp.indicators)}
        out.suggestions.setdefault("competencies", {})[uid] = entry
