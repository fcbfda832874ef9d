"""The spelling of the Estonian texts of a project, checked by Vabamorf, each unknown word located.

Vabamorf knows inflected and compound forms, so a word is unknown only when no
analysis of it exists ("tingist"). It also accepts a compound that repeats a
part ("projektijuhtjuht" = projekt + juht + juht), which a reader calls a
typo: a word whose every analysis repeats a part is reported too. The
project's word list (one word a line) accepts what is right: acronyms, names,
project terms; a word written there in lower case is accepted in any case, an
acronym also with a case ending after a hyphen ("KLAT" accepts "KLAT-i").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ametijuhend_cli.errors import DataError, Problem, msg
from ametijuhend_cli.estonian import vabamorf
from ametijuhend_cli.messages import display_path, excerpt
from ametijuhend_cli.models import Person
from ametijuhend_cli.sources.decode import decode
from ametijuhend_cli.sources.files import exists, read_project_file
from ametijuhend_cli.sources.yamlsource import Loc, SourceMap, format_loc

#: A word: letters, with hyphens or apostrophes inside ("üle-eestilise", "KLAT-i").
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: A web or e-mail address is not a word.
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+")
#: Suggestions shown per unknown word.
SUGGESTIONS = 5
#: A case ending after an acronym's hyphen ("KLAT-i", "IT-st") is at most this long.
_ENDING = 5
#: The name of the word list in the data folder unless the project names another.
WORD_LIST = "words.txt"
#: Fields whose values are ids, choices or people's names, not Estonian prose:
#: the languages are checked against their own list (estonian.vocabulary).
SKIPPED_FIELDS = frozenset(
    {
        "id",
        "layout",
        "employment",
        "unit",
        "ref",
        "variant",
        "level",
        "style",
        "language_style",
        "section_order",
        "language",
        "languages",
        "preferably",
        "position",
        "number",
        "position_number",
    }
)


@dataclass(frozen=True)
class WordList:
    """The project's accepted words: as written, and those written in lower case."""

    exact: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()

    @classmethod
    def of(cls, words: Iterable[str]) -> WordList:
        """Return the word list of ``words``."""
        listed = [w for w in words if w]
        return cls(frozenset(listed), frozenset(w for w in listed if w == w.lower()))

    def _listed(self, word: str) -> bool:
        return word in self.exact or word.lower() in self.folded

    def knows(self, word: str) -> bool:
        """Return whether the list accepts ``word``."""
        if self._listed(word):
            return True
        head, dash, tail = word.partition("-")
        return bool(dash) and self._listed(head) and tail.islower() and len(tail) <= _ENDING


def read_word_list(path: Path, root: Path) -> WordList:
    """Return the word list in ``path`` (none when the file is missing); raise DataError.

    One word a line; blank lines and lines starting with '#' are left out.
    """
    if not exists(path):
        return WordList()
    text = decode(read_project_file(path, root), display_path(path))
    words = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return WordList.of(words)


@dataclass(frozen=True)
class Finding:
    """An unknown word and what to write instead."""

    word: str
    suggestions: tuple[str, ...]
    #: the part a compound repeats ("juht"), or '' for a word Vabamorf does not know
    repeated: str = ""


@dataclass
class Speller:
    """Vabamorf with the project's word list, remembering every word it was asked about."""

    words: WordList = field(default_factory=WordList)
    #: the word list's file as messages name it
    list_path: str = WORD_LIST
    _known: dict[str, Finding | None] = field(default_factory=dict)

    def findings(self, texts: Iterable[str]) -> dict[str, Finding]:
        """Return the unknown words of ``texts`` by word (each word asked of Vabamorf once)."""
        words = {w for text in texts for w in words_of(text)}
        new = []
        for word in words - self._known.keys():
            if self.words.knows(_shown(word)):
                self._known[word] = None
            else:
                new.append(word)
        if new:
            self._learn(sorted(new))
        return {w: f for w in words if (f := self._known[w]) is not None}

    def _learn(self, words: list[str]) -> None:
        for word in [w for w in words if "-|" in w]:
            self._known[word] = _suspended(word)
        words = [w for w in words if "-|" not in w]
        checked = vabamorf.spell(words, suggestions=False)
        unknown = [s.word for s in checked if not s.correct]
        for spelling in vabamorf.spell(unknown, suggestions=True):
            self._known[spelling.word] = Finding(spelling.word, spelling.suggestions[:SUGGESTIONS])
        for spelling in checked:
            if spelling.correct:
                self._known[spelling.word] = repeated_part(spelling.word)


@functools.lru_cache(maxsize=8192)
def words_of(text: str) -> tuple[str, ...]:
    """Return the words of ``text`` a speller checks (addresses and one-letter words left out).

    The first part of a compound whose second part is written once for two
    ("sise- ja välisklient", "Suhtlemis- ja mõjutamisoskus") is returned with
    its hyphen and the word that completes it: "sise-|välisklient".
    """
    words = []
    if "@" in text or "/" in text or "www." in text:
        text = _ADDRESS.sub(" ", text)
    found = [m for m in WORD.finditer(text) if len(m.group()) > 1]
    for i, match in enumerate(found):
        word = match.group()
        if text[match.end() : match.end() + 1] == "-":
            partner = next(
                (m.group() for m in found[i + 1 :] if m.group().lower() not in _CONJUNCTIONS
                 and text[m.end() : m.end() + 1] != "-"),
                "",
            )  # fmt: skip
            words.append(f"{word}-|{partner}")
        else:
            words.append(word)
    return tuple(words)


#: Words between the parts of "sise- ja välisklient".
_CONJUNCTIONS = frozenset({"ja", "või", "ning", "ega", "ehk", "kui", "ka", "kuni"})


def _shown(word: str) -> str:
    """Return the word as it is written in the text ("sise" of "sise-|välisklient")."""
    return word.split("-|", 1)[0]


def _suspended(word: str) -> Finding | None:
    """Return the finding for the first part of a compound completed by a later word, or None.

    "sise-|välisklient" is right when "siseklient" is: the part is joined to
    the last part of the word that completes it.
    """
    part, partner = word.split("-|", 1)
    if not part or part.isupper():
        return None  # an acronym before a hyphen: "IT- ja arendusjuht"
    tails = {str(a["root_tokens"][-1]) for a in vabamorf.analyses(partner) if a.get("root_tokens")}
    joined = [part + tail.lower() for tail in sorted(tails)]
    if any(s.correct for s in vabamorf.spell(joined, suggestions=False)):
        return None
    return Finding(part, ())


def repeated_part(word: str) -> Finding | None:
    """Return the finding for a compound every analysis of which repeats a part, or None."""
    if len(word) < 8:
        return None
    found = vabamorf.analyses(word)
    repeats = [_repeat(a.get("root_tokens") or []) for a in found]
    if not found or not all(repeats):
        return None
    part = repeats[0]
    lowered = word.lower()
    at = lowered.find(part + part)
    fixed = word[:at] + word[at + len(part) :] if at >= 0 else ""
    return Finding(word, (fixed,) if fixed else (), repeated=part)


def _repeat(tokens: list[str]) -> str:
    """Return a part (3 letters or more) that follows itself in ``tokens``, or ''."""
    lowered = [t.lower() for t in tokens]
    for first, second in itertools.pairwise(lowered):
        if first == second and len(first) >= 3:
            return first
    return ""


def model_texts(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Yield every text of a model (a position) with its location: not ids, choices or names."""
    for name in type(model).model_fields:
        if name in SKIPPED_FIELDS or (name == "name" and isinstance(model, Person)):
            continue
        yield from _values(getattr(model, name), loc + (name,))


def _values(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from model_texts(value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values(item, loc + (i,))


def raw_texts(
    value: Any, loc: Loc = (), *, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[Loc, str]]:
    """Yield every text of a YAML value as read (an organization, a library) with its location."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if str(key) not in skip:
                yield from raw_texts(item, loc + (str(key),), skip=skip)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from raw_texts(item, loc + (i,), skip=skip)


class Locator:
    """Finds a word of a value in the file's text: its line and column."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(self, line: int, column: int) -> int:
        """Return the offset of a 1-based line and column."""
        return self.starts[min(line, len(self.starts)) - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of ``offset``."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def find(self, word: str, start: int) -> int | None:
        """Return the offset of ``word`` as a whole word at or after ``start``, or None."""
        pattern = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?!\w|-\w)")
        found = pattern.search(self.text, start)
        return found.start() if found is not None else None


def problems_of(
    speller: Speller, texts: Iterable[tuple[Loc, str]], smap: SourceMap, source: str
) -> list[Problem]:
    """Return a problem for each unknown word of ``texts`` of one file, at its line and column."""
    items = list(texts)
    unknown = speller.findings(text for _, text in items)
    if not unknown:
        return []
    locator = Locator(source)
    problems = []
    for loc, text in items:
        line, column = smap.locate(loc)
        cursor = locator.offset(line, column) if line is not None and column is not None else 0
        for checked in words_of(text):
            finding = unknown.get(checked)
            if finding is None:
                continue
            word = _shown(checked)
            at = locator.find(word, cursor)
            if at is not None:
                cursor = at + len(word)
                line, column = locator.position(at)
            problems.append(
                _problem(finding, speller.list_path, (smap.path, line, column), format_loc(loc))
            )
    return problems


def _problem(
    finding: Finding, word_list: str, at: tuple[str, int | None, int | None], where: str
) -> Problem:
    suggestions = ", ".join(excerpt(s) for s in finding.suggestions)
    if finding.repeated:
        message = msg(
            "{word} repeats the part {part}",
            word=excerpt(finding.word),
            part=excerpt(finding.repeated),
        )
    else:
        message = msg("unknown word {word}", word=excerpt(finding.word))
    hint = msg("if it is right, add it to the word list {file}", file=word_list)
    if suggestions:
        hint = msg("did you mean {words}? {hint}", words=suggestions, hint=hint)
    path, line, column = at
    return Problem(path=path, line=line, column=column, field=where, message=message, hint=hint)


def file_problems(
    speller: Speller, path: Path, root: Path, smap: SourceMap, texts: Iterable[tuple[Loc, str]]
) -> list[Problem]:
    """Return the spelling problems of one file's ``texts`` (its text read again if needed)."""
    source = smap.text
    if source is None:
        try:
            source = decode(read_project_file(path, root), smap.path)
        except DataError as exc:
            return exc.problems
    return problems_of(speller, texts, smap, source)


def shared_problems(speller: Speller, paths: Any) -> list[Problem]:
    """Return the spelling problems of organization.yaml and the library files."""
    from ametijuhend_cli.sources.yamlsource import load_file

    files = [(paths.organization, frozenset[str]())]
    if paths.library.is_dir():
        files += [
            (p, frozenset({"variants"}))
            for p in sorted(paths.library.iterdir())
            if p.suffix in (".yaml", ".yml")
        ]
    problems: list[Problem] = []
    for path, skip in files:
        if not exists(path):
            continue
        try:
            raw, smap = load_file(path, display_path(path), paths.root)
        except DataError:
            continue  # the file's own problems are reported by the loader
        problems += file_problems(speller, path, paths.root, smap, raw_texts(raw, skip=skip))
    return problems
