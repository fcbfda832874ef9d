"""Align two sequences of texts: kept, moved, reworded, removed and added items."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Two texts at least this similar (by words) are one text reworded, not one removed and one added.
REWORDED = 0.6
#: Beyond this many candidate pairs in one changed block, items pair by position only.
_MAX_PAIRS = 40_000
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Pair:
    """One step of an alignment; ``old``/``new`` index the sequences (None: absent)."""

    kind: str  # equal, moved, reworded, removed, added
    old: int | None
    new: int | None


def similarity(a: str, b: str) -> float:
    """Return how alike two texts are by their words, 0..1."""
    matcher = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < REWORDED or matcher.quick_ratio() < REWORDED:
        return 0.0
    return matcher.ratio()


Similar = Callable[[str, str], float]


def _pair_block(
    old: Sequence[str],
    new: Sequence[str],
    olds: list[int],
    news: list[int],
    similar: Similar = similarity,
) -> list[Pair]:
    """Return a monotone pairing of a changed block that keeps the most similarity."""
    n, m = len(olds), len(news)
    if n * m > _MAX_PAIRS:
        sim = [[0.0] * m for _ in range(n)]
    else:
        sim = [[similar(old[i], new[j]) for j in news] for i in olds]
    # best[i][j]: the most similarity pairing olds[i:] with news[j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sim[i][j] if sim[i][j] >= REWORDED else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    out: list[Pair] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= REWORDED and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            out.append(Pair("reworded", olds[i], news[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append(Pair("removed", olds[i], None))
            i += 1
        else:
            out.append(Pair("added", None, news[j]))
            j += 1
    out += [Pair("removed", k, None) for k in olds[i:]]
    out += [Pair("added", None, k) for k in news[j:]]
    return out


def align(
    old: Sequence[str], new: Sequence[str], *, moves: bool = True, similar: Similar = similarity
) -> list[Pair]:
    """Return the alignment of ``old`` with ``new``, in document order.

    Equal texts in the same order are kept; with ``moves``, a text that only
    changed its place is one move (not a removal and an addition); the most
    similar of the remaining texts pair as rewordings, in order.
    """
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    blocks = matcher.get_opcodes()
    moved_old: dict[int, int] = {}
    if moves:
        free_new: dict[str, list[int]] = {}
        for op, _, _, b0, b1 in blocks:
            if op != "equal":
                for j in range(b0, b1):
                    free_new.setdefault(new[j], []).append(j)
        for op, a0, a1, _, _ in blocks:
            if op != "equal":
                for i in range(a0, a1):
                    if free_new.get(old[i]):
                        moved_old[i] = free_new[old[i]].pop(0)
    moved_new = {j: i for i, j in moved_old.items()}
    out: list[Pair] = []
    for op, a0, a1, b0, b1 in blocks:
        if op == "equal":
            out += [Pair("equal", a0 + k, b0 + k) for k in range(a1 - a0)]
            continue
        olds = [i for i in range(a0, a1) if i not in moved_old]
        news = [j for j in range(b0, b1) if j not in moved_new]
        out += _pair_block(old, new, olds, news, similar)
        out += [Pair("moved", moved_new[j], j) for j in range(b0, b1) if j in moved_new]
    return _reworded_elsewhere(out, old, new, similar) if moves else out


def _reworded_elsewhere(
    pairs: list[Pair], old: Sequence[str], new: Sequence[str], similar: Similar
) -> list[Pair]:
    """Return ``pairs`` with a text removed in one place and added reworded in another paired."""
    removed = [p.old for p in pairs if p.kind == "removed" and p.old is not None]
    added = [p.new for p in pairs if p.kind == "added" and p.new is not None]
    if not removed or not added or len(removed) * len(added) > _MAX_PAIRS:
        return pairs
    scored = sorted(
        ((similar(old[i], new[j]), i, j) for i in removed for j in added),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    taken_old: dict[int, int] = {}
    taken_new: set[int] = set()
    for score, i, j in scored:
        if score < REWORDED:
            break
        if i not in taken_old and j not in taken_new:
            taken_old[i] = j
            taken_new.add(j)
    out = [p for p in pairs if p.old not in taken_old or p.kind != "removed"]
    out = [p for p in out if p.new not in taken_new or p.kind != "added"]
    return out + [Pair("reworded", i, j) for i, j in taken_old.items()]


def tokens(text: str) -> list[str]:
    """Return ``text`` as words, spaces and punctuation (joined, they give it back)."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Word:
    """A stretch of a changed text: ``op`` is '=' (kept), '+' (inserted) or '-' (deleted)."""

    op: str
    text: str


def word_changes(old: str, new: str) -> list[Word]:
    """Return ``new`` as kept, inserted and deleted stretches against ``old``, word by word.

    The spaces between two changed words go with the change, so that a
    reworded phrase reads as one deleted and one inserted stretch.
    """
    a, b = tokens(old), tokens(new)
    out: list[Word] = []

    def add(op: str, text: str) -> None:
        if text:
            if out and out[-1].op == op:
                out[-1] = Word(op, out[-1].text + text)
            else:
                out.append(Word(op, text))

    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    spans: list[tuple[bool, int, int, int, int]] = []  # (changed, a0, a1, b0, b1)
    for i, (op, a0, a1, b0, b1) in enumerate(ops):
        blank = op == "equal" and not "".join(a[a0:a1]).strip() and 0 < i < len(ops) - 1
        changed = op != "equal" or blank
        if changed and spans and spans[-1][0]:
            spans[-1] = (True, spans[-1][1], a1, spans[-1][3], b1)
        else:
            spans.append((changed, a0, a1, b0, b1))
    for changed, a0, a1, b0, b1 in spans:
        if changed:
            add("-", "".join(a[a0:a1]))
            add("+", "".join(b[b0:b1]))
        else:
            add("=", "".join(b[b0:b1]))
    return out
