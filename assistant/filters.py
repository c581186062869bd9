"""Search filters on kind, attributes and dates, for both the dense and the lexical side."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from dateutil import parser as date_parser
from pydantic import BaseModel, Field

from assistant.errors import QueryError
from assistant.models import EVIDENCE_KINDS

ATTRIBUTE_PREFIX = "a."


def attribute_key(name: str) -> str:
    """Return the metadata key under which an attribute is stored for filtering."""
    return ATTRIBUTE_PREFIX + name.strip().lower()


def attribute_value(value: object) -> str:
    """Return the normalised, case-insensitive string form used for equality filters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().lower()


def to_timestamp(moment: datetime) -> int:
    """Return epoch seconds, reading a naive datetime as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


class SearchFilter(BaseModel):
    """Which records a search may return; every condition must hold."""

    kinds: list[str] = Field(default_factory=list, description="Allowed kinds; empty means all.")
    where: dict[str, str] = Field(default_factory=dict, description="Attribute equals value.")
    since: datetime | None = Field(default=None, description="Created on or after.")
    until: datetime | None = Field(default=None, description="Created on or before.")

    @classmethod
    def parse(
        cls,
        kinds: list[str] | None = None,
        where: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> SearchFilter:
        """Build a filter from CLI-style strings, raising QueryError on malformed ones."""
        for kind in kinds or []:
            if kind not in EVIDENCE_KINDS:
                raise QueryError(f"unknown kind {kind!r}; use one of {', '.join(EVIDENCE_KINDS)}")
        conditions: dict[str, str] = {}
        for item in where or []:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise QueryError(f"--where expects key=value, got {item!r}")
            conditions[key.strip()] = value.strip()
        return cls(
            kinds=list(kinds or []),
            where=conditions,
            since=_parse_date(since, "--since", end_of_day=False),
            until=_parse_date(until, "--until", end_of_day=True),
        )

    @property
    def empty(self) -> bool:
        """Whether the filter lets everything through."""
        return not (self.kinds or self.where or self.since or self.until)

    def to_chroma(self) -> dict[str, Any] | None:
        """Return the equivalent Chroma `where` clause, or None when unfiltered."""
        clauses: list[dict[str, Any]] = []
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        for key, value in self.where.items():
            clauses.append({attribute_key(key): attribute_value(value)})
        if self.since is not None:
            clauses.append({"created_ts": {"$gte": to_timestamp(self.since)}})
        if self.until is not None:
            clauses.append({"created_ts": {"$lte": to_timestamp(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, metadata: dict[str, Any]) -> bool:
        """Return whether a stored record's metadata passes (same semantics as `to_chroma`)."""
        if self.kinds and metadata.get("kind") not in self.kinds:
            return False
        for key, value in self.where.items():
            if metadata.get(attribute_key(key)) != attribute_value(value):
                return False
        if self.since is not None or self.until is not None:
            stamp = metadata.get("created_ts")
            if stamp is None:
                return False
            if self.since is not None and stamp < to_timestamp(self.since):
                return False
            if self.until is not None and stamp > to_timestamp(self.until):
                return False
        return True


def _parse_date(value: str | None, option: str, end_of_day: bool) -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        parsed = date_parser.parse(value, dayfirst=False)
    except (ValueError, OverflowError) as exc:
        raise QueryError(f"{option} expects a date such as 2026-06-30, got {value!r}") from exc
    # A bare date as an upper bound means "through the end of that day".
    if end_of_day and parsed.time() == time(0, 0) and len(value.strip()) <= 10:
        parsed = datetime.combine(parsed.date(), time(23, 59, 59), parsed.tzinfo)
    return parsed
