"""Vabamorf, the Estonian morphological analyser, speller and synthesiser, as EstNLTK ships it.

EstNLTK is the optional extra ``keel`` (``pip install 'ametijuhend[keel]'``).
Only its Vabamorf part is loaded: importing the ``estnltk`` package itself
imports pandas, NLTK and every tagger (3 seconds), while Vabamorf alone is a
compiled module and two lexicon files (0.2 seconds). The package is found
without running its ``__init__``; a stand-in module with the package's folder
as its path lets Python import ``estnltk.vabamorf.morf`` alone. Where the
real ``estnltk`` is imported already, it is used as it is.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import types
from dataclasses import dataclass
from typing import Any

from ametijuhend_cli.errors import AmetijuhendError, msg

#: How to install the extra, in every message that needs it.
INSTALL = "pip install 'ametijuhend[keel]'"


class MissingExtraError(AmetijuhendError):
    """The extra ``keel`` (EstNLTK's Vabamorf) is not installed."""


def installed() -> bool:
    """Return whether EstNLTK is installed (without importing it)."""
    try:
        return importlib.util.find_spec("estnltk") is not None
    except (ImportError, ValueError):
        return False


@functools.cache
def _morf() -> Any:
    """Return EstNLTK's module ``estnltk.vabamorf.morf``, its package's heavy imports skipped."""
    if "estnltk" not in sys.modules:
        spec = importlib.util.find_spec("estnltk")
        if spec is None or not spec.submodule_search_locations:
            raise MissingExtraError(
                msg(
                    "checking Estonian needs the extra 'keel' (Vabamorf, through EstNLTK), "
                    "which is not installed; install it with: {command}",
                    command=INSTALL,
                )
            )
        stand_in = types.ModuleType("estnltk")
        stand_in.__path__ = list(spec.submodule_search_locations)
        stand_in.__spec__ = spec
        sys.modules["estnltk"] = stand_in
    import estnltk.vabamorf.morf as morf  # type: ignore[import-not-found,import-untyped,unused-ignore]

    return morf


@dataclass(frozen=True)
class Spelling:
    """What the speller says of one word."""

    word: str
    correct: bool
    suggestions: tuple[str, ...] = ()


def engine() -> Any:
    """Return the process's Vabamorf (one per process: it keeps a global state)."""
    return _morf().Vabamorf.instance()


def spell(words: list[str], *, suggestions: bool) -> list[Spelling]:
    """Return what the speller says of each word, with suggestions for the unknown ones."""
    if not words:
        return []
    found = engine().spellcheck(words, suggestions=suggestions)
    return [Spelling(str(r["text"]), bool(r["spelling"]), tuple(r["suggestions"])) for r in found]


def analyses(word: str) -> list[dict[str, Any]]:
    """Return every analysis Vabamorf gives of ``word`` (no disambiguation, no guessing)."""
    result = engine().analyze([word], disambiguate=False, guess=False, propername=False)
    return list(result[0]["analysis"]) if result else []


def synthesize(lemma: str, form: str, part_of_speech: str = "S") -> list[str]:
    """Return the forms of ``lemma`` in ``form`` ('sg g', 'sg p'), the common one first.

    Never with guessing: a synthesis that guesses leaves Vabamorf guessing for
    good, and its speller then takes every word for right.
    """
    return list(engine().synthesize(lemma, form, part_of_speech, guess=False))
