"""Journey Assistant: draft and critique customer journey maps from a company's own evidence."""

__version__ = "0.1.0"
