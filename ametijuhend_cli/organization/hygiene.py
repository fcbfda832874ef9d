"""Library hygiene: entries no position uses, and near-identical texts that drifted apart."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping

from ametijuhend_cli.errors import Message, Problem, Severity, msg
from ametijuhend_cli.models import KIND_NAMES, LIBRARY_FILES
from ametijuhend_cli.organization.summary import PositionSummary
from ametijuhend_cli.sources.project import Project

#: Two texts at least this similar (difflib ratio, 0..1, after folding case,
#: punctuation and spaces) are one text copied and edited: "ja" for "ning",
#: a comma for a word. Different rights of one pool stay well below it.
NEAR_IDENTICAL = 0.9

_NOT_WORD = re.compile(r"[\W_]+")


def library_usage(positions: Mapping[str, PositionSummary]) -> dict[str, dict[str, list[str]]]:
    """Return, for each library kind and entry id, the ids of the positions using it."""
    usage: dict[str, dict[str, list[str]]] = {kind: {} for kind in LIBRARY_FILES}
    for pid, position in sorted(positions.items()):
        for kind, ref in position.library_refs:
            usage[kind].setdefault(ref, []).append(pid)
    return usage


def _entries(project: Project, kind: str) -> dict[str, str]:
    """Return the comparable text of every entry of one library."""
    if kind == "competencies":
        return {
            cid: " ".join([comp.name, *comp.indicators])
            for cid, comp in project.library.competencies.items()
        }
    return dict(project.library.texts.get(kind, {}))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def similarity(a: str, b: str) -> float:
    """Return how alike two library texts are (1.0: the same words and letters)."""
    return difflib.SequenceMatcher(None, _fold(a), _fold(b), autojunk=False).ratio()


def _trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(max(len(text) - 2, 1)))


#: Texts whose sets of three-letter pieces overlap less than this (Jaccard)
#: are never near-identical: a 10 % edit changes at most about a third of
#: the pieces. The exact (slow) comparison runs only on the rest.
_TRIGRAM_FLOOR = 0.3


def near_identical(
    texts: dict[str, str], threshold: float = NEAR_IDENTICAL
) -> list[tuple[str, str]]:
    """Return the pairs (earlier id, later id) of texts at least ``threshold`` alike.

    Only pairs that share two words close together are compared (see
    :func:`_keys`), so a library of 20,000 entries takes seconds, not hours.
    """
    folded = [(key, _fold(text)) for key, text in texts.items()]
    grams: dict[int, frozenset[str]] = {}  # made only for the texts that are compared

    def pieces(i: int) -> frozenset[str]:
        if i not in grams:
            grams[i] = _trigrams(folded[i][1])
        return grams[i]

    pairs = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for j, earlier_ones in _candidates([text for _, text in folded]):
        later, b = folded[j]
        cached = False
        for i in earlier_ones:
            earlier, a = folded[i]
            # the ratio cannot exceed 2·min/(len a + len b): skip hopeless pairs cheaply
            if 2 * min(len(a), len(b)) < threshold * (len(a) + len(b)):
                continue
            shared = len(pieces(i) & pieces(j))
            if shared < _TRIGRAM_FLOOR * (len(pieces(i)) + len(pieces(j)) - shared):
                continue
            if not cached:  # the cached side: compared with every candidate
                matcher.set_seq2(b)
                cached = True
            matcher.set_seq1(a)
            if matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold:
                pairs.append((earlier, later))
    return pairs


#: A text cut off at the end is drift only when what is left says something:
#: at least this many words ("teha kaugtööd" is no cut "teha kaugtööd …").
_MIN_KEPT_WORDS = 4


def reordered(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Return the pairs (earlier id, later id) of texts with the same words in another order."""
    seen: dict[tuple[str, ...], str] = {}
    pairs = []
    for key, text in texts.items():
        words = _fold(text).split()
        bag = tuple(sorted(words))
        if len(words) < 2:
            continue
        earlier = seen.setdefault(bag, key)
        if earlier != key and _fold(texts[earlier]) != _fold(text):
            pairs.append((earlier, key))
    return pairs


def truncated(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Return the pairs (earlier id, later id) where one text is the other with its end cut off."""
    by_start: dict[tuple[str, ...], list[str]] = {}
    for key, text in texts.items():
        words = _fold(text).split()
        if len(words) >= _MIN_KEPT_WORDS:
            by_start.setdefault(tuple(words[:_MIN_KEPT_WORDS]), []).append(key)
    pairs = []
    for keys in by_start.values():  # only texts that start alike can be cut from each other
        for j, later in enumerate(keys):
            b = _fold(texts[later]).split()
            for earlier in keys[:j]:
                a = _fold(texts[earlier]).split()
                short, long = (a, b) if len(a) < len(b) else (b, a)
                if len(short) < len(long) and long[: len(short)] == short:
                    pairs.append((earlier, later))
    return pairs


def differing_words(a: str, b: str) -> str:
    """Return the words in which two texts differ, as '«a words» / «b words»'."""
    wa, wb = _fold(a).split(), _fold(b).split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not blocks:
        return ""
    first, last = blocks[0], blocks[-1]
    left = " ".join(wa[first[1] : last[2]])
    right = " ".join(wb[first[3] : last[4]])
    return " / ".join(f"'{side}'" if side else "(none)" for side in (left, right))


def _drift(texts: dict[str, str]) -> dict[tuple[str, str], str]:
    """Return the reordered and truncated pairs, each with the reason shown in the warning."""
    out: dict[tuple[str, str], str] = {}
    for pair in truncated(texts):
        out[pair] = "truncated"
    for pair in reordered(texts):
        out[pair] = "order"
    return out


def _what(reason: str, kind: str, earlier: str, later: str, texts: dict[str, str]) -> Message:
    """Return how the later entry relates to the earlier one, for the warning."""
    name = KIND_NAMES[kind].one
    if reason == "name":
        return msg(
            "the {name} '{later}' has the same name as '{earlier}'",
            name=name,
            earlier=earlier,
            later=later,
        )
    if reason == "order":
        return msg(
            "the {name} '{later}' has the words of '{earlier}' in another order",
            name=name,
            earlier=earlier,
            later=later,
        )
    if reason == "truncated":
        if len(_fold(texts[later])) > len(_fold(texts[earlier])):
            return msg(
                "the {name} '{later}' is, with words added at the end, '{earlier}'",
                name=name,
                earlier=earlier,
                later=later,
            )
        return msg(
            "the {name} '{later}' is, with its end cut off, '{earlier}'",
            name=name,
            earlier=earlier,
            later=later,
        )
    if _fold(texts[earlier]) == _fold(texts[later]):
        return msg(
            "the {name} '{later}' is the same text as '{earlier}'",
            name=name,
            earlier=earlier,
            later=later,
        )
    return msg(
        "the {name} '{later}' is nearly identical to '{earlier}'",
        name=name,
        earlier=earlier,
        later=later,
    )


#: Texts of at most this many words are also paired up by a single shared word.
_SHORT = 5


def _keys(text: str) -> set[str]:
    """Return the blocking keys of a folded text: pairs of words one or two apart.

    A copy edited into a drift keeps most of its words in place, so it keeps
    some such pair; only a text changed at nearly every word loses them all,
    and that is a rewrite, not a drift. Short texts are also keyed by each word.
    """
    words = text.split()
    keys = {f"{x} {y}" for x, y in itertools.pairwise(words)}
    keys |= {f"{x} _ {y}" for x, y in zip(words, words[2:], strict=False)}
    if len(words) <= _SHORT:
        keys |= set(words) or {""}
    return keys


def _candidates(folded: list[str]) -> Iterator[tuple[int, list[int]]]:
    """Yield each index j with the earlier indexes that share a blocking key with it.

    The index makes the check grow with the library, not with its square:
    a library of 20,000 entries takes seconds. The fine comparison runs on
    these candidates only.
    """
    index: dict[str, list[int]] = {}
    for j, text in enumerate(folded):
        found: set[int] = set()
        for key in _keys(text):
            postings = index.get(key)
            if postings is None:
                index[key] = [j]
                continue
            found.update(postings)
            postings.append(j)
        yield j, sorted(found)


def library_problems(project: Project, positions: Mapping[str, PositionSummary]) -> list[Problem]:
    """Return warnings about library entries no position uses and near-identical entries."""
    usage = library_usage(positions)
    problems: list[Problem] = []
    for kind in LIBRARY_FILES:
        source = project.library.sources.get(kind)
        if source is None:
            continue
        smap = source.smap
        name = KIND_NAMES[kind].one
        texts = _entries(project, kind)
        order = {entry: i for i, entry in enumerate(texts)}
        for entry in texts:
            if entry not in usage[kind]:
                problems.append(
                    smap.problem(
                        (entry,),
                        msg("no position uses the {name} '{entry}'", name=name, entry=entry),
                        hint=msg("remove it, or use it in a position"),
                        key=True,
                        severity=Severity.WARNING,
                    )
                )
        reasons = {pair: "" for pair in near_identical(texts)}
        reasons.update(_drift(texts))
        if kind == "competencies":
            # the drift of the reference documents: an abridged copy under the same name
            names = {cid: comp.name for cid, comp in project.library.competencies.items()}
            for pair in near_identical(names):
                reasons.setdefault(pair, "name")
        for (earlier, later), reason in sorted(reasons.items(), key=lambda kv: order[kv[0][1]]):
            line = smap.locate((earlier,), key=True)[0]
            message = _what(reason, kind, earlier, later, texts)
            if line:
                message = msg("{message} (line {line})", message=message, line=line)
            words = differing_words(texts[earlier], texts[later]) if reason != "name" else ""
            if words:
                message = msg("{message}; differing words: {words}", message=message, words=words)
            # signed documents keep their wording until they are revised
            hint = msg(
                "use one wording for new and revised documents: '{earlier}' or '{later}'; "
                "documents already signed keep theirs until they are revised",
                earlier=earlier,
                later=later,
            )
            if kind == "competencies":
                hint = msg(
                    "{hint}; an abridged form is a variant of the full one (variants: …)", hint=hint
                )
            problems.append(
                smap.problem((later,), message, hint=hint, key=True, severity=Severity.WARNING)
            )
    return problems
