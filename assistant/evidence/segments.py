"""A segment of the records: those whose attribute holds one value ("device = mobile")."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[\w'-]+")


@dataclass(frozen=True)
class Segment:
    """Records whose attribute `key` holds `value`."""

    key: str
    value: str

    @property
    def label(self) -> str:
        """How the segment is shown."""
        return f"{self.key} = {self.value}"


def words_of(text: str) -> list[str]:
    """Lower-cased words of a text."""
    return [w.lower() for w in WORD.findall(text)]
