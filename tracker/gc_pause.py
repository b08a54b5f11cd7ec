"""Pause Python's cyclic garbage collector while bulk work builds millions of small objects.

An export reads every table (some 10 million row dicts, lists, strings and UUIDs at scale M);
an import of 100,000 rows stages some 300,000 records with their audit rows. Each time enough
new containers pile up, the collector walks them, and the older generations again and again
as they grow: a third of an export's time, and a quarter of an import's, went there to find
nothing, as rows hold no reference cycles. Reference counting still frees everything as usual;
cycles made meanwhile are collected once the work ends.

The collector is process-wide and a Streamlit server exports from several threads, so the
pause is counted: the collector comes back when the last bulk job running ends, and only if
it was on before the first began.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["gc_paused", "without_gc"]

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_running = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Inside: no cyclic garbage collection (nests, and across threads)."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run ``fn`` inside :func:`gc_paused`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper
