"""Work done once per briefing context: the memo behind :func:`per_context`."""

from __future__ import annotations

import functools
import weakref

import pandas as pd

from ..data.context import BriefingContext

# ---------------------------------------------------------------------------
# Work done once per briefing context
# ---------------------------------------------------------------------------

_MEMO: dict[int, dict[str, pd.DataFrame]] = {}


_PER_CONTEXT: list = []
"""Every :func:`per_context` analysis of the modules imported so far."""


def per_context(fn):
    """Compute ``fn(ctx)`` once per context and hand each caller its own copy.

    A notebook asks for the same window analysis many times (the most senior contact
    feeds the chronology, its key, the key points and the seniority section); at a
    million events each answer costs seconds. A :class:`BriefingContext` is read-only
    once built, so the first answer stands; the memo goes when the context does.
    """

    @functools.wraps(fn)
    def wrapper(ctx: BriefingContext) -> pd.DataFrame:
        key = id(ctx)
        store = _MEMO.get(key)
        if store is None:
            store = _MEMO[key] = {}
            weakref.finalize(ctx, _MEMO.pop, key, None)
        name = f"{fn.__module__}.{fn.__qualname__}"
        if name not in store:
            store[name] = fn(ctx)
        return store[name].copy()

    _PER_CONTEXT.append(wrapper)
    return wrapper


def compute_shared(ctx: BriefingContext) -> None:
    """Compute every :func:`per_context` analysis of ``ctx`` now.

    The build's kernel host calls this before forking the kernels: the notebooks then
    find the answers in memory, shared copy-on-write, instead of each computing them
    again (at a million events each costs seconds and a few hundred MB while it runs).
    """
    for fn in _PER_CONTEXT:
        fn(ctx)
