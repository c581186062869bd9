"""The error hierarchy: one base error, a few subclasses, each message naming the fix."""


class JourneyError(Exception):
    """Base of every error Journey Assistant raises on purpose."""


class ConfigError(JourneyError):
    """A setting is missing or invalid; the message names the variable and the fix."""


class IngestError(JourneyError):
    """A file could not be ingested; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(JourneyError):
    """The evidence store could not be reached or written."""


class QueryError(JourneyError):
    """A search or filter request is malformed."""
