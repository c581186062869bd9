"""What one browser keeps between page loads: workspace, open map and review, chat and references.

Handlers read and write ordinary session state (`gr.State`, hidden from the API). Each value is
mirrored into the browser's localStorage (`gr.BrowserState`, encrypted with a secret kept in
JOURNEY_HOME) whenever it changes, and copied back at page load, so a reload or a restart of the
app brings back the user's own chat and map and two browsers never see each other's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import TypeAdapter

from assistant.ask.conversation import Conversation
from assistant.maps.models import JourneyMap
from assistant.review.models import Review

STORAGE_PREFIX = "journey-assistant"
SECRET_FILE = "browser-state.secret"
_CONVERSATION = TypeAdapter(Conversation)


def state_secret(home: Path) -> str:
    """The key the browser's copy is encrypted with: made once per JOURNEY_HOME, then reused."""
    path = home / SECRET_FILE
    if path.is_file():
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
    home.mkdir(parents=True, exist_ok=True)
    made = secrets.token_urlsafe(24)
    path.write_text(made, encoding="utf-8")
    path.chmod(0o600)
    return made


FIELDS = ("workspace", "map_json", "review_json", "refs", "history", "conversation")


@dataclass
class Session:
    """The per-browser values every tab reads and writes, and their copies in the browser."""

    workspace: gr.State
    map_json: gr.State
    review_json: gr.State
    refs: gr.State
    history: gr.State
    conversation: gr.State
    kept: dict[str, gr.BrowserState]

    @classmethod
    def make(cls, workspace: str, secret: str) -> Session:
        """Create the state components (inside a Blocks context) and mirror each into the browser."""
        defaults: dict[str, Any] = {"workspace": workspace, "refs": [], "history": []}
        states = {name: gr.State(defaults.get(name)) for name in FIELDS}
        kept = {
            name: gr.BrowserState(defaults.get(name), storage_key=f"{STORAGE_PREFIX}-{name}", secret=secret)
            for name in FIELDS
        }
        for name in FIELDS:
            states[name].change(_same, states[name], kept[name], api_visibility="private", queue=False)
        return cls(**states, kept=kept)

    def states(self) -> list[gr.State]:
        """The session values, in FIELDS order."""
        return [getattr(self, name) for name in FIELDS]

    def browser_copies(self) -> list[gr.BrowserState]:
        """The browser's copies, in FIELDS order."""
        return [self.kept[name] for name in FIELDS]


def _same(value: Any) -> Any:
    return value


def open_map(state: str | None) -> JourneyMap | None:
    """The map a state value holds (None when no map is open or the value no longer reads)."""
    try:
        return JourneyMap.model_validate_json(state) if state else None
    except ValueError:  # a copy kept by an older version of the app: start without it
        return None


def open_review(state: str | None) -> Review | None:
    """The review a state value holds."""
    try:
        return Review.model_validate_json(state) if state else None
    except ValueError:
        return None


def conversation_of(state: Any) -> Conversation:
    """The conversation a state value holds, or a new one."""
    if isinstance(state, Conversation):
        return state
    try:
        return _CONVERSATION.validate_python(state) if state else Conversation()
    except ValueError:
        return Conversation()


def kept_conversation(conversation: Conversation) -> Any:
    """The conversation as a JSON value the browser can keep."""
    return _CONVERSATION.dump_python(conversation, mode="json")
