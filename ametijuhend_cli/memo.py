"""What a process made from file contents, kept by those contents for the next time.

A command that starts its templates again (a first day does for every document
it reads) and a process that builds many projects (a test suite, an editor's
server) read the same layout, wording and template files again and again. What
is made from them is kept here, keyed by what it was made from (the bytes,
never a path or a time), so that a changed file is always read anew. Only
values are kept: a failure (a problem in the file) is raised again each time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded map from what a value is made of to the value: the least used goes first.

    The values are shared by every caller, so they must be treated as read-only.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """Return the value kept for ``key``, or make it (an exception is not kept)."""
        try:
            value = self._items[key]
        except KeyError:
            value = make()
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
            return value
        self._items.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._items)
