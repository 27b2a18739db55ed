"""People using the portal while something fails: threads that keep calling it over HTTP and
record every answer (when it started and ended, what it was, its status and body)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass
class Answer:
    label: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all (connection refused, reset, timed out)
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    sent: Any = None  # what the caller sent (e.g. the marker of a write)


# A step: given the thread's session and a counter, send one request; return the response and
# what was sent.
Step = Callable[[requests.Session, int], tuple[requests.Response, Any]]


class Traffic:
    """``add(label, session, step, threads=n)`` then ``start()``, ``stop()``; ``answers``."""

    def __init__(self, pause: float = 0.05) -> None:
        self.pause = pause
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def add(
        self, label: str, make_session: Callable[[], requests.Session], step: Step, threads: int = 1
    ) -> None:
        for index in range(threads):
            thread = threading.Thread(
                target=self._loop,
                args=(f"{label}", make_session(), step, index),
                name=f"{label}-{index}",
                daemon=True,
            )
            self._threads.append(thread)

    def _loop(self, label: str, session: requests.Session, step: Step, index: int) -> None:
        counter = 0
        while not self._stop.is_set():
            counter += 1
            started = time.monotonic()
            sent: Any = None
            try:
                response, sent = step(session, index * 100_000 + counter)
                answer = Answer(
                    label,
                    started,
                    time.monotonic(),
                    response.status_code,
                    response.text,
                    dict(response.headers),
                    sent,
                )
            except requests.RequestException as exc:
                answer = Answer(label, started, time.monotonic(), 0, repr(exc), {}, sent)
            with self._lock:
                self.answers.append(answer)
            time.sleep(self.pause)

    def start(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)
        return sorted(self.answers, key=lambda a: a.started)
