"""Match imported texts with the library and the units: exactly, nearly, or not at all."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ametijuhend_cli.errors import Message, msg, verbatim
from ametijuhend_cli.importer.extract import clean
from ametijuhend_cli.models import Competency
from ametijuhend_cli.sources.units import UnitInfo

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
#: A near match may differ in this share of the library text's words (at least one word) …
NEAR_SHARE = 0.15
#: … or in this many letters altogether ("vahetujuhiga" for "vahetu juhiga").
NEAR_LETTERS = 2


def canonical(text: str) -> str:
    """Return ``text`` with whitespace folded and the list punctuation at its end removed."""
    return clean(text).rstrip(" ;,.")


def words(text: str) -> list[str]:
    """Return the words of ``text`` (punctuation left out)."""
    return _WORD.findall(text)


def _folded(items: Iterable[str]) -> list[str]:
    return [w.casefold() for w in items]


def _letter_count(text: str) -> int:
    """Return how many letters the words of ``text`` have, casefolded (as ``diff`` counts)."""
    return sum(len(w.casefold()) for w in words(text))


def levenshtein(a: str, b: str) -> int:
    """Return the edit distance of two short strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Diff:
    """How a document's text differs from a library text."""

    changed: int  # words changed, added or left out
    letters: int  # letters changed within those words
    size: int  # words in the library text
    notes: tuple[Message, ...]  # the differing words, for the report

    @property
    def near(self) -> bool:
        """Return whether the texts are close enough to use the library text."""
        return self.changed <= max(1, round(NEAR_SHARE * self.size)) or (
            self.letters <= NEAR_LETTERS
        )


def diff(document: str, library: str) -> Diff:
    """Return how ``document`` differs from ``library``, word by word."""
    a, b = words(document), words(library)
    matcher = difflib.SequenceMatcher(None, _folded(a), _folded(b), autojunk=False)
    changed = letters = 0
    notes: list[Message] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        changed += max(i2 - i1, j2 - j1)
        left, right = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        letters += levenshtein("".join(a[i1:i2]).casefold(), "".join(b[j1:j2]).casefold())
        if op == "replace":
            notes.append(verbatim(f"'{left}' → '{right}'"))
        elif op == "delete":
            notes.append(msg("'{words}' is not in the library", words=left))
        else:
            notes.append(msg("'{words}' is only in the library", words=right))
    if not notes:
        notes.append(msg("capital letters differ") if a != b else msg("punctuation differs"))
    return Diff(changed, letters, len(b), tuple(notes))


@dataclass(frozen=True)
class Match:
    """A library entry a text matches; ``diff`` is None for an exact match."""

    id: str
    diff: Diff | None = None

    @property
    def exact(self) -> bool:
        """Return whether the texts are the same (up to whitespace and list punctuation)."""
        return self.diff is None


class TextMatcher:
    """Find the library entry of one kind (rights, clauses …) a text matches."""

    def __init__(self, entries: dict[str, str]):
        self.entries = entries
        self.exact = {canonical(text): key for key, text in reversed(entries.items())}

    def match(self, text: str) -> Match | None:
        """Return the best matching entry, or None when none is near."""
        key = self.exact.get(canonical(text))
        if key is not None:
            return Match(key)
        folded = _folded(words(text))
        best: tuple[int, float, str, Diff] | None = None
        for key, entry in self.entries.items():
            matcher = difflib.SequenceMatcher(None, folded, _folded(words(entry)), autojunk=False)
            if matcher.quick_ratio() < 0.5:
                continue
            found = diff(text, entry)
            if not found.near:
                continue
            rank = (found.changed, -matcher.ratio(), key, found)
            if best is None or rank[:3] < best[:3]:
                best = rank
        return Match(best[2], best[3]) if best is not None else None


@dataclass(frozen=True)
class CompetencyMatch:
    """A library competency and the indicators of it a document uses."""

    id: str
    numbers: tuple[int, ...]  # 1-based, in order
    variant: str | None
    all: bool
    diff: Diff | None  # of the indicators' text
    name_diff: Diff | None = None

    def reference(self) -> str | dict[str, object]:
        """Return the position's reference: an id, or an id with a variant or indicators."""
        if self.all:
            return self.id
        if self.variant is not None:
            return {"ref": self.id, "variant": self.variant}
        return {"ref": self.id, "indicators": list(self.numbers)}


class CompetencyMatcher:
    """Find the library competency, and which of its indicators, a document's text is."""

    def __init__(self, entries: dict[str, Competency]):
        self.entries = entries
        self.names = TextMatcher({key: c.name for key, c in entries.items()})

    def match(self, name: str, indicators: list[str]) -> CompetencyMatch | None:
        """Return the competency ``name`` with ``indicators``, or None when nothing fits."""
        named = self.names.match(name)
        if named is None:
            return None
        entry = self.entries[named.id]
        text = " ".join(indicators)
        every = tuple(range(1, len(entry.indicators) + 1))
        options: list[tuple[tuple[int, ...], str | None]] = [(every, None)]
        options += [(tuple(numbers), variant) for variant, numbers in entry.variants.items()]
        options.append((self._contained(entry, text), None))
        options.append((self._one_by_one(entry, indicators), None))
        best: tuple[int, int, tuple[int, ...], str | None, Diff | None] | None = None
        for rank, (numbers, variant) in enumerate(options):
            if not numbers:
                continue
            library = " ".join(entry.indicators[n - 1] for n in numbers)
            found = None if canonical(library) == canonical(text) else diff(text, library)
            if found is not None and not found.near:
                continue
            key = (found.changed if found else -1, rank, numbers, variant, found)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            return None
        _, _, numbers, variant, found = best
        if variant is None:
            variant = next((v for v, n in entry.variants.items() if tuple(n) == numbers), None)
        return CompetencyMatch(named.id, numbers, variant, numbers == every, found, named.diff)

    @staticmethod
    def _contained(entry: Competency, text: str) -> tuple[int, ...]:
        """Return the indicators whose words all occur, in order, in ``text``."""
        haystack = " " + " ".join(_folded(words(text))) + " "
        return tuple(
            n
            for n, indicator in enumerate(entry.indicators, 1)
            if " " + " ".join(_folded(words(indicator))) + " " in haystack
        )

    @staticmethod
    def _one_by_one(entry: Competency, indicators: list[str]) -> tuple[int, ...]:
        """Return, for each of the document's indicators, the library one it nearly is."""
        matcher = TextMatcher({str(n): t for n, t in enumerate(entry.indicators, 1)})
        found = [matcher.match(text) for text in indicators]
        numbers = [int(m.id) for m in found if m is not None]
        return tuple(numbers) if len(numbers) == len(indicators) else ()


@dataclass(frozen=True)
class UnitMatch:
    """The unit a document's 'Struktuuriüksus' names."""

    id: str
    letters: int  # letters that differ (0: the same words)
    name: str  # the unit's path as the documents print it
    diff: Diff

    @property
    def exact(self) -> bool:
        """Return whether the document names the unit in the same words."""
        return self.diff.changed == 0


class UnitMatcher:
    """Find the unit of organization.yaml a document names.

    The document may give the unit with or without the units above it, with other
    punctuation ("ennetustalitus (… tiim)") and with a typo or a case ending
    ("tingist", "järelevalveosakonna"), but not another word: two units differ
    in one word ("Arendustalitus", "Kvaliteeditalitus").
    """

    def __init__(self, units: dict[str, UnitInfo], separator: str):
        #: (unit id, a name of it, its full name, the name's letters casefolded)
        self.candidates: list[tuple[str, str, str, int]] = []
        for uid, info in units.items():
            names = info.path
            full = separator.join(names)
            for start in range(len(names)):
                name = separator.join(names[start:])
                self.candidates.append((uid, name, full, _letter_count(name)))

    def match(self, text: str) -> UnitMatch | None:
        """Return the best matching unit, or None when no unit is close."""
        if not words(text):
            return None
        size = _letter_count(text)
        best: tuple[tuple[int, int], UnitMatch] | None = None
        for uid, candidate, full, letters in self.candidates:
            # the words that differ differ in at least as many letters as the texts'
            # lengths do (equal words are equally long): no need to compare further
            if abs(size - letters) > NEAR_LETTERS:
                continue
            found = diff(text, candidate)
            if found.letters > NEAR_LETTERS:
                continue
            rank = (found.letters, -len(words(candidate)))
            if best is None or rank < best[0]:
                best = (rank, UnitMatch(uid, found.letters, full, found))
        return best[1] if best is not None else None
