"""The cases of a job title, formed by Vabamorf: the genitive ("Autojuhi") and the partitive.

A title is a noun phrase: its last word before a parenthesis or a comma is
the head ("Ekspert (psühhosotsiaalne kriisiabi)", "Ringist välja
koordinaator") and takes the case; an adjective right before it agrees
("Vanem spetsialist" → "Vanemat spetsialisti"); the rest is kept as written.
Where Vabamorf gives two forms ("teenusejuhti" / "teenusejuhtu"), the first,
the common one, is chosen and the other is named.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ametijuhend_cli.errors import Problem, msg
from ametijuhend_cli.estonian import vabamorf
from ametijuhend_cli.messages import excerpt

#: The title's case fields and Vabamorf's names of their cases.
CASES = {"title_genitive": "sg g", "title_partitive": "sg p"}
#: The head of the phrase ends before these.
_TAIL = re.compile(r"\s*[(,].*$", re.DOTALL)


@dataclass(frozen=True)
class Form:
    """A title in one case: the form chosen and the other forms Vabamorf gives."""

    text: str
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class TitleForms:
    """The title's forms by field name (title_genitive, title_partitive)."""

    forms: dict[str, Form] = field(default_factory=dict)


def _nominative(word: str, parts: str) -> tuple[str, str] | None:
    """Return the lemma and part of speech of ``word`` read as a nominative singular."""
    for analysis in vabamorf.analyses(word):
        part = str(analysis.get("partofspeech") or "")
        if analysis.get("form") == "sg n" and part and part in parts:
            return str(analysis["lemma"]), str(analysis["partofspeech"])
    return None


def title_of_genitive(genitive: str) -> str | None:
    """Return the title whose genitive is ``genitive`` ('AUTOJUHI' → 'Autojuht'): its last
    word read as a noun in the genitive singular, the words before it kept, in sentence
    case where it is written in capitals; None without Vabamorf or when it knows no such noun."""
    words = genitive.split()
    if not words or not vabamorf.installed():
        return None
    lemma = next(
        (
            str(a["lemma"])
            for a in vabamorf.analyses(words[-1].lower())
            if a.get("form") == "sg g" and a.get("partofspeech") == "S"
        ),
        None,
    )
    if lemma is None:
        return None
    title = " ".join([*words[:-1], lemma])
    if genitive.isupper():
        return title[:1].upper() + title[1:].lower()
    return title[:1].upper() + title[1:] if genitive[:1].isupper() else title


def _inflect(word: str, case: str, parts: str = "S") -> list[str]:
    """Return ``word`` in ``case`` (the common form first), its capital kept; [] if unknown."""
    found = _nominative(word, parts)
    if found is None:
        return []
    lemma, part = found
    forms = [f for f in vabamorf.synthesize(lemma, case, part) if f]
    if word[:1].isupper():
        forms = [f[:1].upper() + f[1:] for f in forms]
    if word.isupper():
        forms = [f.upper() for f in forms]
    return list(dict.fromkeys(forms))


@functools.lru_cache(maxsize=1024)
def title_form(title: str, case: str) -> Form | None:
    """Return ``title`` in ``case`` ('sg g', 'sg p'), or None when its head is not a known noun."""
    tail_match = _TAIL.search(title)
    head_phrase = title[: tail_match.start()] if tail_match else title
    tail = title[len(head_phrase) :]
    words = head_phrase.split(" ")
    heads = _inflect(words[-1], case)
    if not heads:
        return None
    before = words[:-1]
    if before:
        adjective = _inflect(before[-1], case, "AC")
        if adjective:
            before = before[:-1] + [adjective[0]]
    prefix = " ".join(before) + (" " if before else "")
    texts = [prefix + head + tail for head in heads]
    return Form(texts[0], tuple(texts[1:]))


def title_forms(title: str, fields: tuple[str, ...] = tuple(CASES)) -> dict[str, Form]:
    """Return the title's forms that Vabamorf can make, by field name."""
    out = {}
    for name in fields:
        found = title_form(title, CASES[name])
        if found is not None:
            out[name] = found
    return out


def formed(title: str, name: str) -> str:
    """Return the title's case ``name`` (title_genitive, title_partitive) where the extra keel
    can form it, else '': for the hint of a missing one."""
    if not vabamorf.installed():
        return ""
    found = title_form(title, CASES[name])
    return found.text if found is not None else ""


def formed_partitive(title: str) -> str:
    """Return the title's partitive where the extra keel can form it, else ''."""
    return formed(title, "title_partitive")


def fill_title_forms(data: dict[str, object], known_fields: set[str]) -> list[str]:
    """Add the title's missing case fields to a position's data; return the names added.

    Only fields the position schema has (``known_fields``) are added, after
    the title; nothing is added without the extra keel or for a title
    Vabamorf cannot inflect.
    """
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or not vabamorf.installed():
        return []
    wanted = tuple(n for n in CASES if n in known_fields and not data.get(n))
    forms = title_forms(title, wanted)
    if not forms:
        return []
    ordered: dict[str, object] = {}
    for key, value in data.items():
        ordered[key] = value
        if key == "title":
            ordered.update({name: form.text for name, form in forms.items()})
    data.clear()
    data.update(ordered)
    return list(forms)


def form_problems(title: str, given: dict[str, str | None], locate: object) -> list[Problem]:
    """Return a problem for each case field given that is not a form of the title.

    ``locate(field, message, hint)`` returns the problem located at the field.
    """
    problems = []
    for name, value in given.items():
        if not value:
            continue
        form = title_form(title, CASES[name])
        if form is None or value in (form.text, *form.others):
            continue
        hint = msg("Vabamorf forms {form}", form=excerpt(form.text))
        for other in form.others:
            hint = msg("{hint} (or {other})", hint=hint, other=excerpt(other))
        problems.append(
            locate(  # type: ignore[operator]
                name,
                msg(
                    "{given} is not the genitive of the title {title}",
                    given=excerpt(value),
                    title=excerpt(title),
                )
                if name == "title_genitive"
                else msg(
                    "{given} is not the partitive of the title {title}",
                    given=excerpt(value),
                    title=excerpt(title),
                ),
                hint,
            )
        )
    return problems
