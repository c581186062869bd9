"""Ingestion into a real embedded store: idempotency, atomicity, PII, recovery, real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED, write

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.ingest import pipeline
from assistant.ingest.pipeline import Ingester
from assistant.settings import Settings

GOOD_TICKETS = (
    "ticket_id,created_at,channel,body\n"
    'T-1,2026-05-01,email,"Delivery cost only appeared on the last page, £7.95, so I gave up"\n'
    "T-2,2026-05-02,chat,The app would not let me check out as a guest which is annoying\n"
    "T-3,2026-05-03,phone,cust rang re refund still not received after 3 weeks\n"
)


def all_texts(journey: Journey, workspace: str = "default") -> list[str]:
    return [text for _, text, _ in journey.store.iter_all(workspace)]


def test_ingest_twice_adds_nothing(journey: Journey, tmp_path: Path) -> None:
    write(tmp_path / "data" / "tickets.csv", GOOD_TICKETS)
    first = journey.ingester().ingest([tmp_path / "data"])
    assert first.ok and first.chunks_added == 3 and first.records == 3
    again = journey.ingester().ingest([tmp_path / "data"])
    assert again.chunks_added == 0 and again.duplicates_skipped == 3
    assert journey.store.count("default") == 3


def test_same_content_same_ids_across_workspaces(journey: Journey, tmp_path: Path) -> None:
    path = write(tmp_path / "tickets.csv", GOOD_TICKETS)
    journey.ingester("alpha").ingest([path])
    journey.ingester("beta").ingest([path])
    ids_a = sorted(i for i, _, _ in journey.store.iter_all("alpha"))
    ids_b = sorted(i for i, _, _ in journey.store.iter_all("beta"))
    assert ids_a == ids_b
    assert journey.store.workspaces() == ["alpha", "beta"]


def test_bad_files_fail_alone_and_leave_nothing(journey: Journey, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder / "tickets.csv", GOOD_TICKETS)
    write(folder / "notes.md", "# Visit notes\n\nPeople loved the new towels but hated the delivery wait.\n")
    write(folder / "photo.txt", b"\x00\x01\x02binary\x00" * 50)
    write(folder / "empty.csv", "")
    write(folder / "ragged.csv", "id,comment\n1,this one is fine and long\n2,this,one,is,not\n")
    report = journey.ingester().ingest([folder])
    failed = {Path(f.file).name: f.reason for f in report.failures}
    assert set(failed) == {"photo.txt", "empty.csv", "ragged.csv"}
    assert "binary" in failed["photo.txt"] and "empty" in failed["empty.csv"]
    assert "ragged" in failed["ragged.csv"]
    assert report.files == 5 and report.files_ingested == 2
    sources = {meta["source"] for _, _, meta in journey.store.iter_all("default")}
    assert sources == {"tickets.csv", "notes.md"}
    hits = journey.retriever.search("default", "delivery cost on the last page", k=3)
    assert hits[0].evidence.source == "tickets.csv" and "£7.95" in hits[0].evidence.text


def test_file_that_fails_while_storing_is_rolled_back(
    journey: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"{i},customer comment number {i} about slow delivery and refunds\n" for i in range(30))
    path = write(tmp_path / "many.csv", "id,comment\n" + rows)
    monkeypatch.setattr(type(journey.store), "max_batch", property(lambda self: 10))
    real_add = journey.store.collection("default").add
    calls = {"n": 0}

    def flaky_add(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch dies after the first landed
            raise RuntimeError("disk full")
        real_add(*args, **kwargs)

    monkeypatch.setattr(journey.store.collection("default"), "add", flaky_add)
    report = journey.ingester().ingest([path])
    assert report.failures and "rolled back" in report.failures[0].reason
    assert "disk full" in report.failures[0].reason
    assert journey.store.count("default") == 0


def test_crash_mid_file_is_rolled_back_on_next_run(journey: Journey, tmp_path: Path) -> None:
    path = write(tmp_path / "tickets.csv", GOOD_TICKETS)
    ingester = journey.ingester()
    ingester.ingest([path])
    ids = [i for i, _, _ in journey.store.iter_all("default")]
    # Simulate a process killed after storing but before marking the file done.
    ingester.journal.begin("tickets.csv", "sha", ids[:2])
    fresh = Ingester(journey.store, "default")
    assert fresh.recover() == 2
    assert journey.store.count("default") == 1
    report = fresh.ingest([path])  # re-running completes the file
    assert report.ok and journey.store.count("default") == 3


def test_pii_is_redacted_before_storage_and_counted(journey: Journey, tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "id,contact,body\n"
        '1,jo@example.com,"Please call me on 07700 900123 or mail jo.bloggs@example.co.uk, card 4111 1111 1111 1111 was charged twice for order LK-20931455"\n',
    )
    report = journey.ingester().ingest([path])
    assert report.pii_redacted["email"] == 2 and report.pii_redacted["phone"] == 1
    assert report.pii_redacted["card"] == 1
    stored = journey.store.get("default", [i for i, _, _ in journey.store.iter_all("default")])[0]
    assert "07700" not in stored.text and "4111" not in stored.text and "@" not in stored.text
    assert "LK-20931455" in stored.text  # an order number is not personal data
    assert stored.attributes["contact"] == "[EMAIL]"


def test_file_size_limit(journey: Journey, tmp_path: Path) -> None:
    small = Journey.open(
        journey.settings.model_copy(update={"max_file_mb": 0.001}), embedder=journey.store.embedder
    )
    path = write(tmp_path / "big.txt", "customer said something long " * 200)
    report = small.ingester().ingest([path])
    assert "too large" in report.failures[0].reason and "JOURNEY_MAX_FILE_MB" in report.failures[0].reason


def test_journeyignore_and_hidden_files(journey: Journey, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    write(folder / ".journeyignore", "README.md\nmaps/\n")
    write(folder / "README.md", "This readme is not evidence at all.")
    write(folder / "maps" / "map.csv", "lane,Awareness\nThoughts,I love ads so much\n")
    write(folder / ".hidden.txt", "secret scratch notes")
    write(folder / "notes.txt", "Customers kept asking about the delivery cost.")
    report = journey.ingester().ingest([folder])
    assert report.files == 1
    assert all_texts(journey) == ["Customers kept asking about the delivery cost."]


def test_tables_are_registered_once(journey: Journey, tmp_path: Path) -> None:
    path = write(tmp_path / "funnel.csv", "week,device,visit,order\n2026-04-06,mobile,100,5\n")
    first = journey.ingester().ingest([path])
    second = journey.ingester().ingest([path])
    assert first.tables[0].new and not second.tables[0].new
    assert journey.ingester().journal.tables()[0]["rows"] == 1
    # The table itself is not embedded; one summary record makes its figures citable.
    (summary,) = [t for _, t, _ in journey.store.iter_all("default")]
    assert summary.startswith("Analytics table funnel.csv: 1 rows")
    assert second.chunks_added == 0


def test_missing_path_is_a_failure(journey: Journey, tmp_path: Path) -> None:
    report = journey.ingester().ingest([tmp_path / "nope"])
    assert report.failures[0].reason == "no such file or folder"


@pytest.mark.slow
def test_real_shared_datasets_ingest_without_error(journey: Journey) -> None:
    folders = ["uci_online_shoppers_intention", "womens_clothing_ecommerce_reviews_subset", "baymard_checkout_abandonment_reference"]
    report = journey.ingester().ingest([SHARED / f for f in folders])
    assert report.ok, report.failures
    assert "online_shoppers_intention.csv" in {t.file for t in report.tables}
    kinds = {r.file: r.kind for r in report.read}
    assert kinds["reasons_for_abandonment_during_checkout.csv"] == "research"
    sources = {meta["source"] for _, _, meta in journey.store.iter_all("default")}
    assert "Womens_Clothing_E-Commerce_Reviews_first1499.csv" in sources
    hits = journey.retriever.search("default", "dress too small, had to size up", k=5, search_filter=None)
    assert any(h.evidence.kind == "review" for h in hits)


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    name = "minilm"

    def __init__(self, inner: MiniLMEmbedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def test_repeated_texts_are_embedded_once_and_stored_every_time(
    settings: Settings, embedder: MiniLMEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 3, so a repeat is found within a batch and across batches (kept, then dropped).
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 3)
    great, slow = "Great dress, I would buy it again", "The page was far too slow to load on my phone"
    answers = [
        great,
        slow,
        great,
        "Checkout kept failing when I entered my card",
        great,
        "The sleeves were much longer than the picture showed",
        slow,
        "Delivery took two weeks and nobody told me why",
        "The fabric feels cheap and it pilled after one wash",
    ]
    rows = "".join(f'R-{i},"{text}"\n' for i, text in enumerate(answers, start=1))
    path = write(tmp_path / "reviews.csv", "review_id,review\n" + rows)
    counting = CountingEmbedder(embedder)
    journey = Journey.open(settings, embedder=counting)
    report = journey.ingester().ingest([path])
    assert report.ok and report.chunks_added == len(answers)
    assert sorted(counting.texts) == sorted(set(answers))
    stored = list(journey.store.iter_with_vectors("default"))
    assert sorted(text for _, text, _, _ in stored) == sorted(answers)
    direct = dict(zip(set(answers), embedder.embed_documents(list(set(answers))), strict=True))
    for _, text, _, vector in stored:
        assert float(vector @ direct[text]) >= 0.9999
