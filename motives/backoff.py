"""The one back-off of the app: wrong join codes on a page, wrong trainer passwords on the server."""

from __future__ import annotations


def backoff_seconds(failures: int, free: int, longest: float) -> float:
    """How long to wait after ``failures`` failed tries: nothing before the ``free``-th, then 2, 4, 8 …
    seconds, doubling with each failure, never longer than ``longest``."""
    if failures < free:
        return 0.0
    return min(longest, 2.0 ** (failures - free + 1))
