"""A warm pool of parser children, each with a wall-clock and a memory limit.

Children are forked from a server process that has imported the parsers already, so a
document never waits for an interpreter to start. A child is replaced when it crashes, when
it overruns the time limit (it is killed), and after a number of documents, so that leaks in
native parsers cannot build up.
"""

import contextlib
import gc
import multiprocessing
import queue
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from pydantic import ValidationError

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local import child as child_module
from docflow_extract.backends.local.child import ChildReply
from docflow_extract.backends.local.limits import ParserLimits

_JOIN_SECONDS = 5.0


class PoolClosedError(RuntimeError):
    """The pool was closed; no more documents can be parsed with it."""


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection
    documents: int = 0


@dataclass
class _Slot:
    """A place for one child; empty after a failed start, filled again on next use."""

    child: _Child | None = field(default=None)


class ParserPool:
    """Runs requests in child processes; ``run`` may be called from many threads at once."""

    def __init__(
        self,
        limits: ParserLimits,
        *,
        size: int,
        timeout_seconds: float,
        max_documents_per_child: int,
    ) -> None:
        self._limits = limits
        self._timeout = timeout_seconds
        self._max_documents = max_documents_per_child
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([child_module.__name__])
        self._slots: queue.SimpleQueue[_Slot] = queue.SimpleQueue()
        self._all_slots = [_Slot(child=self._start()) for _ in range(size)]
        self._closed = threading.Event()
        for slot in self._all_slots:
            self._slots.put(slot)

    def child_pids(self) -> list[int]:
        """Process ids of the live children (for operators and tests)."""
        children = [slot.child for slot in self._all_slots if slot.child is not None]
        return [child.process.pid for child in children if child.process.pid is not None]

    def run(self, request: ExtractionRequest) -> ChildReply:
        """Parse one request in a child; raises DocumentRejectedError on timeout or crash."""
        if self._closed.is_set():
            raise PoolClosedError("the parser pool is closed")
        slot = self._slots.get()
        try:
            return self._run_in(slot, request)
        finally:
            self._slots.put(slot)

    def close(self) -> None:
        """Stop every child; waits for children busy with a document to finish or time out."""
        if self._closed.is_set():
            return
        self._closed.set()
        for _ in self._all_slots:
            try:
                slot = self._slots.get(timeout=self._timeout + _JOIN_SECONDS)
            except queue.Empty:
                return
            _discard(slot, graceful=True)

    def _run_in(self, slot: _Slot, request: ExtractionRequest) -> ChildReply:
        child = self._ready_child(slot)
        child.conn.send(request)
        if not child.conn.poll(self._timeout):
            self._replace(slot)
            raise DocumentRejectedError(
                f"parsing took longer than the limit of {self._timeout:g} s; "
                "the parser process was stopped"
            )
        try:
            # JSON, never pickle: a child parsing hostile input is not trusted to send code.
            data = child.conn.recv_bytes()
            with _collector_paused():
                reply = ChildReply.model_validate_json(data)
        except (EOFError, OSError):
            reason = _death_reason(child.process)
            self._replace(slot)
            raise DocumentRejectedError(reason) from None
        except ValidationError:
            self._replace(slot)
            raise DocumentRejectedError("the parser process sent a malformed reply") from None
        child.documents += 1
        if reply.outcome == "out_of_memory" or child.documents >= self._max_documents:
            self._replace(slot, graceful=True)
        return reply

    def _ready_child(self, slot: _Slot) -> _Child:
        """The slot's child, started or restarted when it is missing or has died while idle."""
        if slot.child is None or not slot.child.process.is_alive():
            _discard(slot)
            slot.child = self._start()
        return slot.child

    def _replace(self, slot: _Slot, *, graceful: bool = False) -> None:
        _discard(slot, graceful=graceful)
        # On failure the slot stays empty and is started on next use; the pool keeps its size.
        with contextlib.suppress(OSError):
            slot.child = self._start()

    def _start(self) -> _Child:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=child_module.serve,
            args=(child_end, self._limits),
            name="docflow-extract-parser",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Child(process=process, conn=parent_end)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile, unless the process has it off already.

    A reply holds a few objects for every word of the document (hundreds a page), and
    building them set off collections that walked the whole process again and again: they
    took longer than the validation itself, and can free nothing, as validated models hold no
    reference cycles. Counts go on while paused, so the collector runs once afterwards. A
    thread that finds it paused by another leaves it alone; the one that paused resumes it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _death_reason(process: BaseProcess) -> str:
    process.join(_JOIN_SECONDS)
    code = process.exitcode
    if code is not None and code < 0:
        name = _signal_name(-code)
        if -code == signal.SIGKILL:
            return f"the parser process was killed ({name}), most likely for running out of memory"
        return f"the parser process crashed ({name})"
    return f"the parser process exited unexpectedly (exit code {code})"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _discard(slot: _Slot, *, graceful: bool = False) -> None:
    """Empty the slot, stopping its child: asked to finish when ``graceful``, else killed."""
    if slot.child is not None:
        (_stop if graceful else _kill)(slot.child)
        slot.child = None


def _stop(child: _Child) -> None:
    """Ask a child to finish, then make sure it has."""
    with contextlib.suppress(OSError):
        child.conn.send(None)
    child.process.join(_JOIN_SECONDS)
    _kill(child)


def _kill(child: _Child) -> None:
    if child.process.is_alive():
        child.process.kill()
    child.process.join(_JOIN_SECONDS)
    child.conn.close()
