"""Per-user question limit: a sliding window, so one person cannot flood the bot (or a group through it)."""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Above this many tracked users, idle ones are forgotten, so memory stays bounded in a busy deployment.
_SWEEP_AT = 10_000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_in: float = 0.0
    notify: bool = False  # tell the user once per burst, then stay quiet instead of adding to the noise


class QuestionThrottle:
    """At most `limit` questions per `window` seconds per user; `limit <= 0` turns the limit off."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._asked: dict[int, deque[float]] = {}
        self._told: set[int] = set()

    def check(self, user_id: int) -> Verdict:
        """Count a question from `user_id` if it is within the limit."""
        if self.limit <= 0:
            return Verdict(True)
        now = self._clock()
        if len(self._asked) > _SWEEP_AT:
            self._sweep(now)
        asked = self._asked.setdefault(user_id, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) < self.limit:
            asked.append(now)
            self._told.discard(user_id)
            return Verdict(True)
        notify = user_id not in self._told
        self._told.add(user_id)
        return Verdict(False, retry_in=asked[0] + self.window - now, notify=notify)

    def _sweep(self, now: float) -> None:
        for user_id, asked in list(self._asked.items()):
            if not asked or asked[-1] <= now - self.window:
                del self._asked[user_id]
                self._told.discard(user_id)
