"""Worker processes that return results in order, are fed as they go and stop cleanly.

multiprocessing.Pool is not used: its shutdown takes locks that a stopped
worker may hold, so Ctrl-C could hang a build. Here each worker has a
connection of its own; the parent hands it a chunk of items whenever it has
fewer than two, so nothing waits in a pipe that could fill up, however many
items there are. A worker stops between two items, never inside one (an
output being written is finished or removed by its own code): when the parent
asks (an event), when a SIGTERM reaches it, or when its parent is gone (its
connection closes: it holds no other process's end of it).

Workers are forked where the system can (they inherit the function) and
spawned elsewhere (Windows; or with AMETIJUHEND_NO_FORK=1): the function and
the items are then pickled, so both must be picklable.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from ametijuhend_cli.errors import AmetijuhendError, msg

T = TypeVar("T")
R = TypeVar("R")

#: seconds stopped workers get to finish the item at hand, then to unwind a SIGTERM
_GRACE = 5.0
#: chunks handed to a worker before it returns one: the next is there when it is done
_AHEAD = 2
#: Items per chunk: enough to make handing a chunk over negligible, bounded because
#: the results of a chunk come back together (and stay in memory until yielded).
_MIN_CHUNK = 8
_MAX_CHUNK = 32
#: The environment variable that makes the pool spawn workers even where it could
#: fork them, as on Windows (the tests run the parallel cases so).
NO_FORK = "AMETIJUHEND_NO_FORK"


class WorkerError(AmetijuhendError):
    """A worker process died without reporting (killed, out of memory)."""


def start_method() -> str:
    """Return how workers are started here: "fork" where it exists, else "spawn"."""
    if "fork" in multiprocessing.get_all_start_methods() and not os.environ.get(NO_FORK):
        return "fork"
    return "spawn"


def chunk_size(count: int, jobs: int) -> int:
    """Return how many of ``count`` items to hand a worker at a time."""
    return min(_MAX_CHUNK, max(_MIN_CHUNK, count // (jobs * 8)))


def map_in_order(
    func: Callable[[T], R], items: Sequence[T], jobs: int, *, parallel_from: int
) -> Iterator[R]:
    """Yield ``func(item)`` for every item, in order: in ``jobs`` worker processes when
    there are at least ``parallel_from`` items, else in this process."""
    if jobs < 2 or len(items) < parallel_from:
        yield from map(func, items)
        return
    yield from ordered_map(func, items, jobs, chunk_size(len(items), jobs))


# -- the worker's side --------------------------------------------------------

#: The parent's ends of the connections of the workers started so far: a forked
#: worker closes them, so that only the parent holds them and they close with it.
_PARENT_ENDS: list[Connection] = []


@dataclass
class _Worker:
    """What a worker process runs: the function, its connection, when to stop."""

    func: Callable[[Any], Any]
    conn: Connection
    stop: Any  # a multiprocessing Event: the parent asks every worker to stop
    parent: int = field(default_factory=os.getpid)
    #: a SIGTERM came: stop before the next item
    terminated: bool = False

    def serve(self) -> None:
        """Run the chunks that come until there are no more; send back each one's results."""
        self._take_signals()
        for end in _PARENT_ENDS:  # inherited by fork: none may outlive the parent in here
            end.close()
        with contextlib.suppress(EOFError, OSError):  # the parent is gone or stopped us
            while (task := self.conn.recv()) is not None:
                index, chunk = task
                try:
                    done: Any = [self._call(item) for item in chunk]
                except _Stopped:
                    return
                except Exception as exc:  # sent to the parent, raised there
                    done = _portable(exc)
                self.conn.send((index, done))
        self.conn.close()

    def _call(self, item: Any) -> Any:
        # between two items, never inside one: an output is written completely or not at all
        if self.terminated or self.stop.is_set() or os.getppid() != self.parent:
            raise _Stopped
        return self.func(item)

    def _take_signals(self) -> None:
        """Let the parent alone handle Ctrl-C; make SIGTERM stop before the next item.

        Ctrl-C reaches every process of the terminal's group: a worker ignores it
        (no traceback per worker) and the parent stops the workers.
        """
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if hasattr(signal, "SIGTERM"):
            signal.signal(signal.SIGTERM, self._terminate)
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while forked

    def _terminate(self, signum: int, frame: object) -> None:
        self.terminated = True


class _Stopped(Exception):
    """The worker was asked to stop: it ends before the next item."""


def _serve(worker: _Worker) -> None:
    """Run ``worker`` (the target of a worker process; module level, so spawn finds it)."""
    worker.serve()


def _portable(exc: Exception) -> Exception:
    """Return ``exc`` when it survives pickling, else a RuntimeError that says what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


# -- the parent's side ------------------------------------------------------------


class _Running(Generic[T]):
    """The workers of one map: their connections, the chunks each one holds."""

    def __init__(self, chunks: list[Sequence[T]], jobs: int):
        self.chunks = chunks
        # typed as the base class, which lacks Process
        self.context: Any = multiprocessing.get_context(start_method())
        self.stop = self.context.Event()
        self.processes: list[Any] = []
        #: the chunk numbers each worker (by its connection) was handed and has not returned
        self.held: dict[Connection, list[int]] = {}
        self.following = 0  # the next chunk to hand out
        self.jobs = min(jobs, len(chunks))

    def start(self, func: Callable[[T], Any]) -> None:
        """Start the workers."""
        # Ctrl-C while the workers are forked is held back, not lost: each
        # worker starts with it blocked and ignores it before letting it in,
        # and here it arrives once they are all started (and stops them)
        mask = getattr(signal, "pthread_sigmask", None)
        held = mask(signal.SIG_BLOCK, {signal.SIGINT}) if mask is not None else None
        try:
            for _ in range(self.jobs):
                mine, theirs = self.context.Pipe(duplex=True)
                worker = _Worker(func, theirs, self.stop)
                process = self.context.Process(target=_serve, args=(worker,), daemon=True)
                _PARENT_ENDS.append(mine)
                try:
                    process.start()
                except BaseException:
                    _PARENT_ENDS.remove(mine)
                    mine.close()
                    raise
                finally:
                    theirs.close()
                self.held[mine] = []
                self.processes.append(process)
        finally:
            if mask is not None and held is not None:
                mask(signal.SIG_SETMASK, held)

    def results(self) -> Iterator[Any]:
        """Yield the results of every chunk in order, handing out chunks as workers finish."""
        waiting: dict[int, Any] = {}
        ready = 0
        while ready < len(self.chunks):
            if ready in waiting:
                yield from waiting.pop(ready)
                ready += 1
                continue
            self._hand_out(ready)
            busy = [conn for conn, held in self.held.items() if held]
            for conn in wait(busy):
                assert isinstance(conn, Connection)
                index, done = self._receive(conn)
                if isinstance(done, Exception):
                    raise done
                waiting[index] = done
                self.held[conn].remove(index)

    def _hand_out(self, ready: int) -> None:
        """Give each worker chunks until it holds two, staying a bounded way ahead of
        ``ready`` (the chunk yielded next): one slow chunk does not let the others'
        results pile up in memory."""
        ahead = self.jobs * (_AHEAD + 1)
        for conn, held in self.held.items():
            while (
                len(held) < _AHEAD
                and self.following < len(self.chunks)
                and self.following - ready < ahead
            ):
                try:
                    conn.send((self.following, self.chunks[self.following]))
                except OSError:
                    raise self._died(conn) from None
                held.append(self.following)
                self.following += 1

    def _receive(self, conn: Connection) -> tuple[int, Any]:
        try:
            received: tuple[int, Any] = conn.recv()
        except (EOFError, OSError):
            raise self._died(conn) from None
        return received

    def _died(self, conn: Connection) -> WorkerError:
        """Return the error of the worker on ``conn``, which ended without its work done."""
        process = self.processes[list(self.held).index(conn)]
        process.join(_GRACE)
        return WorkerError(
            msg(
                "a worker process ended with exit code {code} without finishing its work",
                code=str(process.exitcode),
            )
        )

    def close(self) -> None:
        """Stop the workers after the item at hand and wait for them; kill what hangs."""
        self.stop.set()
        for conn in self.held:  # a worker's next send or receive fails: it ends
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
            with contextlib.suppress(ValueError):
                _PARENT_ENDS.remove(conn)
        for process in self.processes:
            process.join(_GRACE)
            if process.is_alive():
                process.terminate()  # a SIGTERM: it stops before its next item
                process.join(_GRACE)
            if process.is_alive():
                process.kill()
                process.join()


def ordered_map(func: Callable[[T], R], items: Sequence[T], jobs: int, chunk: int) -> Iterator[R]:
    """Yield ``func(item)`` for every item, in order, computed in ``jobs`` worker processes.

    An exception in a worker is raised here; when the caller stops (an
    exception, Ctrl-C, closing the generator), every worker is stopped and
    joined before this returns.
    """
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    if not chunks:
        return
    running: _Running[T] = _Running(chunks, jobs)
    try:
        running.start(func)
        yield from running.results()
    finally:
        running.close()
