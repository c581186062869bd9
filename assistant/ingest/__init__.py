"""Ingestion: files in, redacted and chunked evidence records out, stored atomically per file."""
