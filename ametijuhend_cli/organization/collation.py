"""Estonian alphabetical order: a sort key that puts š z ž after s and õ ä ö ü after w."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

#: The Estonian alphabet in its order; letters outside it (c, q, x, y and the
#: foreign ones) take the places the Estonian Language Institute gives them:
#: š z ž follow s, õ ä ö ü follow w, x y come last.
ALPHABET = "abcdefghijklmnopqrsšzžtuvwõäöüxy"
_LETTERS = {letter: i for i, letter in enumerate(ALPHABET)}
# Primary weights: separators, then digits, then letters, then everything else.
_SPACE, _PUNCT, _DIGIT, _LETTER, _OTHER = 0, 1, 100, 200, 1000


def _weight(char: str) -> tuple[int, int]:
    """Return the primary weight of one lowercase character and its accent weight."""
    if char in _LETTERS:
        return (_LETTER + _LETTERS[char], 0)
    if char.isdigit():
        return (_DIGIT + unicodedata.digit(char, 0), 0)
    if char.isspace():
        return (_SPACE, 0)
    # an accented foreign letter (é, ñ) sorts with its base letter, after it
    base = unicodedata.normalize("NFD", char)
    if len(base) > 1 and base[0] in _LETTERS:
        return (_LETTER + _LETTERS[base[0]], ord(base[1]))
    if unicodedata.category(char).startswith(("P", "S")):
        return (_PUNCT, ord(char))
    return (_OTHER + ord(char), 0)


def estonian_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """Return a key that sorts ``text`` in Estonian alphabetical order.

    Letters compare first (case and accents aside), then accents, then case
    (lowercase first), then the text itself, so the order is total and stable.
    """
    text = unicodedata.normalize("NFC", text)
    primary: list[int] = []
    accents: list[int] = []
    cases: list[int] = []
    for char in text:
        lower = char.lower()
        weight, accent = _weight(lower[0] if lower else char)
        if weight == _PUNCT:
            # punctuation counts only where the letters are equal, as in dictionaries
            accents.append(accent)
            continue
        primary.append(weight)
        accents.append(accent)
        cases.append(0 if char == lower else 1)
    return (tuple(primary), tuple(accents), tuple(cases), text)


def sorted_estonian(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Return ``items`` sorted by ``key`` in Estonian alphabetical order."""
    return sorted(items, key=lambda item: estonian_key(key(item)))
