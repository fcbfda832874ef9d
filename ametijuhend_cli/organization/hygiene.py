"""Library hygiene: entries no position uses, and near-identical texts that drifted apart."""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping

from ametijuhend_cli.errors import Message, Problem, Severity, msg
from ametijuhend_cli.memo import Memo
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


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Return ``text`` as the checks compare it: one case, no punctuation, single spaces
    (remembered: every check folds every entry, and the warnings fold them again)."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def similarity(a: str, b: str) -> float:
    """Return how alike two library texts are (1.0: the same words and letters)."""
    return difflib.SequenceMatcher(None, _fold(a), _fold(b), autojunk=False).ratio()


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """Return the three-letter pieces of ``text`` (the text itself when it is shorter)."""
    if len(text) < 3:
        return frozenset({(text,)})
    return frozenset(zip(text, text[1:], text[2:], strict=False))


#: Texts whose sets of three-letter pieces overlap less than this (Jaccard)
#: are never near-identical: a 10 % edit changes at most about a third of
#: the pieces. The exact (slow) comparison runs only on the rest.
_TRIGRAM_FLOOR = 0.3


#: The pairs found in a library's texts, by the texts: the same library is checked
#: again by every command of a process that reads it more than once (`diff` reads
#: two revisions, a first day and a test suite many projects).
_NEAR: Memo[tuple[tuple[tuple[str, str], ...], float], tuple[tuple[str, str], ...]] = Memo(64)


def near_identical(
    texts: dict[str, str], threshold: float = NEAR_IDENTICAL
) -> list[tuple[str, str]]:
    """Return the pairs (earlier id, later id) of texts at least ``threshold`` alike.

    Only pairs that share two words close together are compared (see
    :func:`_keys`), so a library of 20,000 entries takes seconds, not hours.
    """
    key = (tuple(texts.items()), threshold)
    return list(_NEAR.get(key, lambda: tuple(_near_identical(texts, threshold))))


def _near_identical(texts: dict[str, str], threshold: float) -> list[tuple[str, str]]:
    keys = list(texts)
    folded = [_fold(text) for text in texts.values()]
    lengths = [len(text) for text in folded]
    grams = [_trigrams(text) for text in folded]
    pairs = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for j, earlier_ones in _candidates(folded):
        b, length_b, grams_b = folded[j], lengths[j], grams[j]
        cached = False
        for i in earlier_ones:
            length_a = lengths[i]
            # the ratio cannot exceed 2·min/(len a + len b): skip hopeless pairs cheaply
            if 2 * min(length_a, length_b) < threshold * (length_a + length_b):
                continue
            grams_a = grams[i]
            shared = len(grams_a & grams_b)
            if shared < _TRIGRAM_FLOOR * (len(grams_a) + len(grams_b) - shared):
                continue
            if not cached:  # the cached side: compared with every candidate
                matcher.set_seq2(b)
                cached = True
            matcher.set_seq1(folded[i])
            if matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold:
                pairs.append((keys[i], keys[j]))
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
    """Return the pairs (earlier id, later id) where one text is the other with its end cut off.

    In the texts sorted by their words, those that begin with a text follow it
    at once: each text is compared only with them, so the check grows with the
    library and the pairs found, not with the texts that share an opening
    (real rights do: "teha ettepanekuid …").
    """
    order = {key: i for i, key in enumerate(texts)}
    split = ((tuple(_fold(text).split()), key) for key, text in texts.items())
    words = sorted(item for item in split if len(item[0]) >= _MIN_KEPT_WORDS)
    pairs = []
    for k, (short, key) in enumerate(words):
        for m in range(k + 1, len(words)):
            long, other = words[m]
            if long[: len(short)] != short:
                break
            if len(long) > len(short):
                pairs.append((key, other) if order[key] < order[other] else (other, key))
    return sorted(pairs, key=lambda pair: (order[pair[1]], order[pair[0]]))


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


#: A blocking key shared by more texts than this is an opening many entries share
#: ("teha ettepanekuid"), not a sign of a copy: it pairs no further texts.
_COMMON = 32
#: Each text is also compared with this many of its neighbours in the texts sorted
#: alike (from the start, and from the end): copies that share nothing but a common
#: opening (or ending) and differ in a word or two sort next to each other.
_NEIGHBOURS = 4


def _candidates(folded: list[str]) -> Iterator[tuple[int, list[int]]]:
    """Yield each index j with the earlier indexes that may be a near-identical copy of it.

    Those are the equal texts, the texts that share a blocking key with it (a
    key shared by more than _COMMON texts no longer counts) and its neighbours
    when the texts are sorted from the start and from the end. So the candidates grow with the
    library, not with its square, however many entries open alike: 20,000
    entries take seconds. The fine comparison runs on these candidates only.
    """
    near: list[list[int]] = [[] for _ in folded]
    for ordered in (
        sorted(range(len(folded)), key=folded.__getitem__),
        sorted(range(len(folded)), key=lambda i: folded[i][::-1]),
    ):
        for k, i in enumerate(ordered):
            for other in ordered[k + 1 : k + 1 + _NEIGHBOURS]:
                near[max(i, other)].append(min(i, other))
    index: dict[str, list[int]] = {}
    same: dict[str, list[int]] = {}  # equal texts are always paired, however common
    for j, text in enumerate(folded):
        found = set(near[j])
        near[j] = []
        equal = same.setdefault(text, [])
        found.update(equal)
        equal.append(j)
        for key in _keys(text):
            postings = index.get(key)
            if postings is None:
                index[key] = [j]
            elif len(postings) < _COMMON:
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
