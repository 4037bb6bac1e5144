"""Login attempts per username and address, counted in memory: slows down password guessing."""

from __future__ import annotations

import threading
import time
from collections import deque


class LoginLimiter:
    """At most `attempts` failed logins per (username, ip) within `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        seen = self._failures.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        return seen

    def blocked(self, username: str, ip: str) -> bool:
        with self._lock:
            return len(self._recent((username.lower(), ip), time.monotonic())) >= self.attempts

    def failed(self, username: str, ip: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((username.lower(), ip), now).append(now)

    def succeeded(self, username: str, ip: str) -> None:
        with self._lock:
            self._failures.pop((username.lower(), ip), None)
