"""How model calls are made; a plain value so the offline path never imports LangChain for it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_ATTEMPTS = 3  # 429, 5xx and dropped connections
MAX_BACKOFF_S = 20.0


@dataclass(frozen=True)
class CallPolicy:
    """Attempts and waits on transient faults, JSON mode and schema, and the timeout (for its message)."""

    attempts: int = MAX_ATTEMPTS
    max_backoff: float = MAX_BACKOFF_S
    sleep: Callable[[float], None] = time.sleep
    json_mode: bool = True
    json_schema: bool = True  # send the reply's JSON Schema to servers that constrain output to it
    timeout: float | None = None
