"""Handing freed memory back to the system.

glibc's allocator keeps freed memory for reuse, and Arrow (on the system allocator, see
:mod:`helpers.cli`) allocates through it. A process that has just dropped a few hundred
MB (a validated million-row package, a kernel's finished cell) would otherwise go on
holding them while other processes of the build need memory.
"""

from __future__ import annotations

import ctypes
import functools
import gc


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: freed memory is only kept longer
        return None


def trim_heap() -> None:
    """Return the C heap's free pages to the system (glibc ``malloc_trim``)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def release_memory() -> None:
    """Collect garbage, then give what was freed back: Arrow's pool, then the C heap."""
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except ImportError:
        pass
    trim_heap()
