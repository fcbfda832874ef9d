"""What a build reports per output file: one vocabulary of event kinds, and the sink for them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ametijuhend_cli.errors import Problem

#: wrote, unchanged, removed, kept: a build; current, stale, missing, orphaned: ``build --check``.
#: kept: a file named like an orphaned output that the tool did not write (or that changed
#: since), so it is left alone.
EventKind = Literal[
    "wrote", "unchanged", "removed", "kept", "current", "stale", "missing", "orphaned"
]
Event = tuple[EventKind, Path]
#: Counted only, never listed: one of these per output of every position built or
#: skipped, so a result of 10,000 positions holds no path of theirs (the caller's
#: callback hears of each but the skipped ones).
COUNTED_KINDS: tuple[EventKind, ...] = ("wrote", "unchanged", "current", "stale", "missing")


@dataclass
class BuildResult:
    """What a build did: the events that need attention, and counts of every kind."""

    positions: int = 0
    rendered: int = 0
    #: outputs of positions that no longer exist, removed or (checking) found, in order
    events: list[Event] = field(default_factory=list)
    #: how many outputs of each kind
    counts: Counter[str] = field(default_factory=Counter)
    #: temporary files of an interrupted earlier build that were removed
    cleaned: list[Path] = field(default_factory=list)
    #: what the templates left out (active content of the reference document)
    warnings: list[Problem] = field(default_factory=list)

    def paths(self, *kinds: EventKind) -> list[Path]:
        """Return the paths of the removed or orphaned outputs (the others are counted)."""
        if set(kinds) & set(COUNTED_KINDS):
            raise ValueError(kinds)  # a bug: these kinds are only counted
        return [path for kind, path in self.events if kind in kinds]


@dataclass
class EventSink:
    """Record events in a result and pass them on to the caller's callback."""

    result: BuildResult
    callback: Callable[[EventKind, Path], None] | None = None

    def quiet(self, kind: EventKind, n: int) -> None:
        """Count ``n`` outputs of a quiet kind (unchanged, current): no path, no callback."""
        self.result.counts[kind] += n

    def __call__(self, kind: EventKind, path: Path) -> None:
        self.result.counts[kind] += 1
        if kind not in COUNTED_KINDS:
            self.result.events.append((kind, path))
        if self.callback is not None:
            self.callback(kind, path)
