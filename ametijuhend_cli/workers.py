"""Forked worker processes that return results in order and can be stopped at any moment.

multiprocessing.Pool is not used: its shutdown takes locks that a worker
stopped by a signal may hold, so Ctrl-C could hang a build. Here each worker
has a pipe of its own for results, and stopping means SIGTERM to each worker
(which unwinds it, removing a temporary file being written) and a join.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar, cast

from ametijuhend_cli.errors import AmetijuhendError

T = TypeVar("T")
R = TypeVar("R")

#: seconds a stopped worker gets to unwind before it is killed
_GRACE = 5.0


class WorkerError(AmetijuhendError):
    """A worker process died without reporting (killed, out of memory)."""


def _worker_signals() -> None:
    """Set how a worker takes signals: the parent alone handles Ctrl-C.

    Ctrl-C reaches every process of the terminal's group; a worker ignores it
    (no traceback per worker) and the parent stops the workers. SIGTERM ends a
    worker quietly, unwinding first, so that a temporary file is removed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _quit)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while forked


def _quit(signum: int, frame: object) -> None:
    # once: a second SIGTERM must not cut the unwinding short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


class _Job(Generic[T, R]):
    """What the workers inherit by fork: the function and the chunks of items."""

    def __init__(self, func: Callable[[T], R], chunks: Sequence[Sequence[T]]):
        self.func = func
        self.chunks = chunks
        self.parent = os.getpid()

    def _call(self, item: T) -> R:
        if os.getppid() != self.parent:  # the build was killed (SIGKILL): write no more
            os._exit(1)
        return self.func(item)

    def serve(self, tasks: Any, results: Connection) -> None:
        """Run the chunks whose numbers come from ``tasks`` until a None; send the results."""
        _worker_signals()
        while (index := tasks.get()) is not None:
            try:
                done: Any = [self._call(item) for item in self.chunks[index]]
            except Exception as exc:  # sent to the parent, raised there
                done = _portable(exc)
            results.send((index, done))
        results.close()


def _portable(exc: Exception) -> Exception:
    """Return ``exc`` when it survives pickling, else a RuntimeError that says what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


#: Items per task handed to a worker: enough to make handing a task over negligible,
#: bounded because the results of a chunk come back together (and stay in memory).
_MIN_CHUNK = 8
_MAX_CHUNK = 32
#: ordered_map puts every chunk's index into a pipe before the workers start:
#: more chunks than this would fill the pipe (a huge project gets larger chunks).
_MAX_CHUNKS = 4096


def can_fork() -> bool:
    """Return whether worker processes can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def chunk_size(count: int, jobs: int) -> int:
    """Return how many of ``count`` items to hand a worker at a time."""
    return max(min(_MAX_CHUNK, max(_MIN_CHUNK, count // (jobs * 8))), -(-count // _MAX_CHUNKS))


def map_in_order(
    func: Callable[[T], R], items: Sequence[T], jobs: int, *, parallel_from: int
) -> Iterator[R]:
    """Yield ``func(item)`` for every item, in order: in ``jobs`` forked processes when
    there are at least ``parallel_from`` items (and processes can be forked), else here."""
    if jobs < 2 or len(items) < parallel_from or not can_fork():
        yield from map(func, items)
        return
    yield from ordered_map(func, items, jobs, chunk_size(len(items), jobs))


def ordered_map(func: Callable[[T], R], items: Sequence[T], jobs: int, chunk: int) -> Iterator[R]:
    """Yield ``func(item)`` for every item, in order, computed in ``jobs`` forked processes.

    An exception in a worker is raised here; when the caller stops (an
    exception, Ctrl-C, closing the generator), every worker is stopped and
    joined before this returns.
    """
    context = multiprocessing.get_context("fork")
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    job = _Job(func, chunks)
    tasks = context.SimpleQueue()
    for index in range(len(chunks)):  # a few dozen small ints: the pipe holds them all
        tasks.put(index)
    workers: list[Any] = []
    pipes: dict[Connection, Any] = {}
    try:
        # Ctrl-C while the workers are forked is held back, not lost: each
        # worker starts with it blocked and ignores it before letting it in,
        # and here it arrives once they are all started (and stops them)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for _ in range(min(jobs, len(chunks))):
                tasks.put(None)
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=job.serve, args=(tasks, writer), daemon=True)
                process.start()
                writer.close()
                workers.append(process)
                pipes[reader] = process
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield from _collect(pipes, len(chunks))
    finally:
        _stop(workers)
        for reader in pipes:
            reader.close()
        tasks.close()


def _collect(pipes: dict[Connection, Any], count: int) -> Iterator[Any]:
    """Yield the results of chunks 0 … count-1 in order, as the workers send them."""
    waiting: dict[int, Any] = {}
    following = 0
    open_pipes = dict(pipes)
    while following < count:
        if following in waiting:
            yield from waiting.pop(following)
            following += 1
            continue
        if not open_pipes:
            raise WorkerError("a worker process ended without finishing its work")
        for ready in wait(list(open_pipes)):
            reader = cast(Connection, ready)
            try:
                index, done = reader.recv()
            except EOFError:
                process = open_pipes.pop(reader)
                process.join()
                if process.exitcode != 0:
                    raise WorkerError(
                        f"a worker process ended with exit code {process.exitcode}"
                    ) from None
                continue
            if isinstance(done, Exception):
                raise done
            waiting[index] = done


def _stop(workers: list[Any]) -> None:
    """Stop and join every worker still running (SIGTERM, then SIGKILL after a grace)."""
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(_GRACE)
        if process.is_alive():
            process.kill()
            process.join()
