"""Closed vocabularies: languages and education levels, checked against a list, in the right case.

A language is written as the adjective a sentence needs ("Valdab eesti keelt"):
"eesti", "Eesti", "Eesti keel" and "EESTI KEELT" all print "eesti"; a name
not on the list is an error with the closest ones ("inglsie": did you mean
'inglise'?). Education levels are those the Estonian law names (the
Education Act and the higher education and vocational acts: põhiharidus,
keskharidus, kutseharidus, kõrgharidus and its degrees); a requirement that
names another "…haridus" is reported the same way. A project adds its own
names in ametijuhend.yaml (``vocabulary: {languages: […], education: […]}``).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.messages import close_matches, either, excerpt

#: Languages as the adjective before "keel" ("inglise keel"), lower case as Estonian writes them.
LANGUAGES = (
    "eesti", "inglise", "vene", "soome", "saksa", "prantsuse", "rootsi", "norra", "taani",
    "islandi", "läti", "leedu", "poola", "ukraina", "valgevene", "tšehhi", "slovaki",
    "sloveeni", "horvaadi", "serbia", "bosnia", "bulgaaria", "rumeenia", "moldova", "ungari",
    "kreeka", "türgi", "itaalia", "hispaania", "portugali", "hollandi", "flaami", "iiri",
    "kõmri", "malta", "albaania", "makedoonia", "gruusia", "armeenia", "aserbaidžaani",
    "kasahhi", "usbeki", "heebrea", "araabia", "pärsia", "hindi", "hiina", "jaapani",
    "korea", "vietnami", "tai", "indoneesia", "ladina", "jidiši", "võru", "seto", "liivi",
    "karjala", "ersa", "mokša", "udmurdi", "komi", "mari",
)  # fmt: skip

#: Education levels as the law names them (Haridusseadus § 16–19; kõrgharidusseadus;
#: kutseõppeasutuse seadus), and the older "keskeriharidus" still printed in documents.
EDUCATION = (
    "põhiharidus", "keskharidus", "üldkeskharidus", "kutsekeskharidus", "kutseharidus",
    "keskeriharidus", "kõrgharidus", "rakenduskõrgharidus", "bakalaureusekraad",
    "magistrikraad", "doktorikraad", "erialane kõrgharidus",
)  # fmt: skip

#: "Eesti keel", "eesti keelt", "Eesti keele": the word "keel" after the name is dropped.
_LANGUAGE_WORD = re.compile(r"\s+keel(?:t|e|es)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """The languages and education levels known: the built-in lists and the project's own."""

    languages: frozenset[str] = frozenset(LANGUAGES)
    education: frozenset[str] = frozenset(EDUCATION)

    @classmethod
    def with_project(
        cls, languages: Iterable[str] = (), education: Iterable[str] = ()
    ) -> Vocabulary:
        """Return the built-in vocabulary with the project's own names added."""
        return cls(
            frozenset(LANGUAGES) | {_language_key(n) for n in languages},
            frozenset(EDUCATION) | {n.strip().lower() for n in education},
        )

    def language(self, name: str) -> tuple[str, tuple[Message, Message] | None]:
        """Return the language as printed and, when it is not known, what to say about it."""
        key = _language_key(name)
        if key in self.languages:
            return key, None
        matches = close_matches(key, sorted(self.languages))
        hint = msg("did you mean {names}?", names=either([excerpt(m) for m in matches]))
        if not matches:
            hint = msg(
                "write the language as in 'Valdab eesti keelt': eesti, inglise, vene …; "
                "a language the list lacks goes into vocabulary.languages of ametijuhend.yaml"
            )
        return name, (msg("unknown language {name}", name=excerpt(name)), hint)

    def education_problem(self, text: str) -> tuple[Message, Message] | None:
        """Return (message, hint) when ``text`` names an education level the law does not."""
        for written in _WORD.findall(text):
            word = _level_word(written.lower())
            # "kesk-eriharidus" is written so too: the level with its parts joined
            if not word or {word, word.replace("-", "")} & (self.education | _STEMS):
                continue
            matches = close_matches(word, sorted(self.education))
            hint = (
                msg("did you mean {names}?", names=either([excerpt(m) for m in matches]))
                if matches
                else msg(
                    "the levels the law names: {names}; another goes into "
                    "vocabulary.education of ametijuhend.yaml",
                    names=", ".join(EDUCATION[:5]),
                )
            )
            return msg("unknown education level {word}", word=excerpt(written)), hint
        return self._misspelt_level(text)

    def _misspelt_level(self, text: str) -> tuple[Message, Message] | None:
        """Return (message, hint) for a word that is nearly a level ("Kõrgaridus"), or None."""
        for word in _WORD.findall(text):
            lowered = word.lower()
            if _level_word(lowered):
                return None  # a level, known or reported by the caller
            matches = difflib.get_close_matches(lowered, sorted(self.education), n=3, cutoff=0.85)
            if matches:
                names = either([excerpt(m) for m in matches])
                return (
                    msg("unknown education level {word}", word=excerpt(word)),
                    msg("did you mean {names}?", names=names),
                )
        return None


_STEMS = frozenset({"haridus", "kraad"})
#: A word, its hyphenated parts together ("kesk-eriharidus" is one level, not "eriharidus").
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _level_word(word: str) -> str:
    """Return a word naming an education level without its case ending, or ''."""
    for stem in ("haridus", "kraad"):
        at = word.rfind(stem)
        if at >= 0:
            return word[: at + len(stem)]
    return ""


def _language_key(name: str) -> str:
    """Return the language name as the list holds it: lower case, without "keel"."""
    return " ".join(_LANGUAGE_WORD.sub("", name.strip()).lower().split())


def sentence_case(text: str) -> str:
    """Return ``text`` with a capital first letter where it is written all in capitals or small."""
    if text.isupper() or text.islower():
        return text[:1].upper() + text[1:].lower()
    return text


@functools.cache
def _vocabulary(languages: tuple[str, ...], education: tuple[str, ...]) -> Vocabulary:
    return Vocabulary.with_project(languages, education)


def vocabulary_of(paths: Any) -> Vocabulary:
    """Return the vocabulary of a project: the built-in lists and its ametijuhend.yaml's."""
    return _vocabulary(
        tuple(getattr(paths, "vocabulary_languages", ())),
        tuple(getattr(paths, "vocabulary_education", ())),
    )
