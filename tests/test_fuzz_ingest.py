"""Property-based tests over ingestion: whatever bytes arrive, loaders answer or refuse by name.

Loaders are exercised directly for speed; a bounded number of cases goes through the whole
pipeline and the store, where a failed file must leave nothing behind and a re-ingest add nothing.
Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.context import Journey
from assistant.errors import IngestError
from assistant.ingest.loaders import pick_loader

SUFFIXES = [".txt", ".md", ".csv", ".tsv", ".json", ".jsonl", ".pdf", ".docx", ""]
FAST = settings(max_examples=150, deadline=None, derandomize=True)
SLOW = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def load(name: str, data: bytes) -> int:
    """Records a loader returns, or -1 when it refuses with an IngestError (anything else fails)."""
    try:
        loaded = pick_loader(Path(name), data)(data, name, None, None)
    except IngestError:
        return -1
    return len(getattr(loaded, "records", []) or [])


@FAST
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_a_loader(data: bytes, suffix: str) -> None:
    load(f"upload{suffix}", data)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(
    header=st.lists(cells, min_size=1, max_size=8),
    rows=st.lists(st.lists(cells, min_size=0, max_size=10), max_size=20),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quote_all=st.booleans(),
)
def test_csv_shapes_never_crash(
    header: list[str], rows: list[list[str]], delimiter: str, quote_all: bool
) -> None:
    def line(values: list[str]) -> str:
        if quote_all:
            return delimiter.join('"' + v.replace('"', '""') + '"' for v in values)
        return delimiter.join(values)

    text = "\n".join([line(header), *[line(r) for r in rows]])
    load("table.csv", text.encode("utf-8"))


@FAST
@given(
    text=st.text(max_size=300),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"]),
)
def test_encodings_never_crash(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    load("notes.txt", data)
    load("table.csv", b"id,text\n1," + data)


def test_a_huge_field_and_deep_json_are_answered() -> None:
    assert load("big.csv", b"id,text\n1," + b"the parcel was late again " * 80_000 + b"\n") >= 1
    deep = "[" * 5000 + "]" * 5000
    assert load("deep.json", deep.encode()) in (-1, 0)
    nested = {"text": "a record"}
    for _ in range(400):
        nested = {"child": nested}
    assert load("nested.json", json.dumps([nested]).encode()) >= -1


@SLOW
@given(data=st.binary(min_size=1, max_size=2048), suffix=st.sampled_from([".csv", ".txt", ".json", ".pdf"]))
def test_a_failed_file_leaves_nothing_and_a_rerun_adds_nothing(
    journey: Journey, tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    before = journey.store.count("default")
    report = journey.ingester().ingest([path])
    stored = sum(1 for _, _, meta in journey.store.iter_all("default") if meta.get("source") == path.name)
    if report.failures:
        assert journey.store.count("default") == before and stored == 0
    again = journey.ingester().ingest([path])
    assert again.chunks_added == 0
