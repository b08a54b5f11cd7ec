"""Record ids: UUIDs that increase in the order they are made (the version 7 layout of
RFC 9562, the time in milliseconds first).

Every table's primary key, and every foreign key and audit ``row_id`` pointing at it, is an
index. Random (version 4) ids land all over those indexes: at 100,000 imported rows SQLite
spent more time finding and splitting index pages than writing rows (300,000 audit rows took
4.5 s of CPU with random ids, 2.0 s with increasing ones). Increasing ids are appended to
each index instead, and records made together sit together in it: a case's charges, the
complainant links of those charges, a table read in id order are neighbouring pages, not a
page each. On demo L, ``indicators --json`` took about a fifth less CPU with these ids than
with random ones, the system's part less than half (benchmarks/results/).

Layout: 48 bits of Unix time in milliseconds, the version (7), 12 random bits drawn once per
process, the variant, a 32-bit counter and 30 random bits. Within one process each id is
larger than every id made before it (the clock is never allowed to go back); two processes
making ids in the same millisecond differ in their random bits. They are as unique as
version 4 ids in practice, and they tell when a record was made, which its ``created_at``
says anyway.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
import time
import uuid

__all__ = ["new_id"]

_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_PROCESS_BITS = int.from_bytes(os.urandom(2)) % 4096 << 64
_lock = threading.Lock()
_counter = itertools.count()
_last_millis = 0


def new_id() -> uuid.UUID:
    """A new record id, larger than every id this process made before."""
    global _last_millis
    # The random module, not os.urandom: uniqueness needs no secrecy, and a system call per
    # id costs more than the rest of it (an import makes hundreds of thousands).
    low = random.getrandbits(30)
    with _lock:
        millis = _last_millis = max(time.time_ns() // 1_000_000, _last_millis)
        count = next(_counter) % (1 << 32)
    return uuid.UUID(
        int=(millis & (1 << 48) - 1) << 80
        | _VERSION_7
        | _PROCESS_BITS
        | _VARIANT
        | count << 30
        | low
    )
