"""Reliability report: PII redaction, hostile evidence, uploads, and concurrent sessions under load.

- PII: recall and precision over `evals/datasets/pii_strings.yaml` (spans per kind), and whether any
  redacted value reaches the store after an ingest.
- Hostile evidence: the records of `evals/datasets/hostile_records.yaml` that the steering check
  catches, its false positives on real feedback (1,499 clothing reviews and the sample base), and
  whether any delimiter survives fencing.
- Uploads: crafted files (images named .csv, programs, a zip with traversal, nesting and a bomb).
- Load: 20 concurrent sessions through gradio_client for JOURNEY_LOAD_SECONDS (default 120) on
  loopback: errors, cross-talk (each session must get the answer to its own question), latency.
- Model faults: junk replies (truncated JSON, a refusal, empty, wrong shape) each end in one clear
  error after one corrective round, never a crash (the HTTP cases run in tests/test_llm_chain.py).
- Fuzzing: random bytes through every loader: answered or refused by name, never a crash.
- Crashes: a process saving map versions killed with SIGKILL: versions contiguous, none lost.
"""

from __future__ import annotations

import csv
import os
import socket
import statistics
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import yaml

from assistant.context import Journey
from assistant.ingest.pii import PII_KINDS, redact_pii
from assistant.llm.fence import fence, is_steering
from assistant.settings import load_settings
from assistant.web.uploads import sniff, unpack_zip
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "evals" / "datasets"
REVIEWS = ROOT.parent / "shared" / "datasets" / "womens_clothing_ecommerce_reviews_subset"
SESSIONS = 20
QUESTIONS = [
    "what do customers say about refunds?",
    "what do customers say about delivery times?",
    "what do customers say about assembly?",
    "what do customers say about promo codes?",
    "shipping cost",
    "tracking page",
    "loyalty points",
    "sofa dimensions",
]


def pii_metrics(journey_home: Path) -> tuple[list[Metric], list[str]]:
    """Span recall and precision; leaks into the store after an ingest."""
    cases = yaml.safe_load((DATASETS / "pii_strings.yaml").read_text(encoding="utf-8"))["cases"]
    tp = fp = fn = 0
    for case in cases:
        found = redact_pii(case["text"]).counts
        for kind in PII_KINDS:
            expected, got = case["expected"].get(kind, 0), found.get(kind, 0)
            tp, fp, fn = (
                tp + min(expected, got),
                fp + got - min(expected, got),
                fn + expected - min(expected, got),
            )
    secrets = ["jo.bloggs@example.com", "07700 900123", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32"]
    folder = journey_home / "pii"
    folder.mkdir(parents=True)
    (folder / "tickets.csv").write_text(
        "id,text\n"
        + "".join(f'{i},"Please call me on {s} or write, thanks"\n' for i, s in enumerate(secrets)),
        encoding="utf-8",
    )
    journey = Journey.open(load_settings(JOURNEY_HOME=str(journey_home / "home")))
    journey.ingester().ingest([folder])
    stored = " ".join(text for _, text, _ in journey.store.iter_all("default"))
    leaks = sum(secret in stored for secret in secrets)
    metrics = [
        Metric("PII recall", tp / max(tp + fn, 1), 0.99),
        Metric("PII precision", tp / max(tp + fp, 1), 0.95),
        Metric("redacted values found in the store", float(leaks), 0.0, higher_is_better=False),
    ]
    return metrics, [f"PII: {len(cases)} labelled strings, {tp + fn} spans"]


def hostile_metrics(journey: Journey) -> tuple[list[Metric], list[str]]:
    """How many attacks the steering check catches; its false positives on real feedback."""
    attacks = yaml.safe_load((DATASETS / "hostile_records.yaml").read_text(encoding="utf-8"))["records"]
    caught = sum(is_steering(a) for a in attacks)
    with (REVIEWS / "Womens_Clothing_E-Commerce_Reviews_first1499.csv").open(encoding="utf-8") as handle:
        real = [row["ReviewText"] or "" for row in csv.DictReader(handle)]
    real += [text for _, text, _ in journey.store.iter_all(WORKSPACE)]
    false = sum(is_steering(text) for text in real)
    escaped = sum("</evidence" in fence(a).lower() or "<system" in fence(a).lower() for a in attacks)
    metrics = [
        Metric("attack records kept out of support", caught / len(attacks), None),
        Metric("real records mistaken for attacks", false / len(real), 0.001, higher_is_better=False),
        Metric("delimiters surviving the fence", float(escaped), 0.0, higher_is_better=False),
    ]
    return metrics, [
        f"hostile: {caught} of {len(attacks)} attacks caught; {false} of {len(real)} real texts flagged"
    ]


def upload_metrics(folder: Path) -> tuple[list[Metric], list[str]]:
    """Crafted uploads: every one refused, with a reason."""
    cases = {
        "image.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
        "program.txt": b"\x7fELF\x02\x01\x01" + b"\x00" * 32,
        "windows.json": b"MZ\x90\x00" + b"\x00" * 32,
        "pdf.csv": b"%PDF-1.7",
        "archive.tar": b"x" * 257 + b"ustar" + b"\x00" * 16,
        "archive.gz": b"\x1f\x8b\x08" + b"\x00" * 16,
    }
    refused = 0
    for name, data in cases.items():
        path = folder / name
        path.write_bytes(data)
        refused += sniff(path) is not None
    bundle = folder / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../escape.txt", b"x")
        archive.writestr("/absolute.txt", b"x")
        archive.writestr("inner.zip", b"PK\x03\x04")
        archive.writestr("bomb.txt", b"0" * 5_000_000)
        archive.writestr("ok.csv", b"id,text\n1,fine\n")
    staged, skipped = unpack_zip(bundle, folder / "out", 50 * 1024 * 1024)
    total = len(cases) + 4
    caught = refused + len(skipped)
    metrics = [Metric("hostile uploads refused", caught / total, 1.0)]
    return metrics, [
        f"uploads: {caught} of {total} hostile files or members refused; {len(staged)} document kept"
    ]


def load_metrics(journey: Journey, seconds: float) -> tuple[list[Metric], list[str]]:
    """20 concurrent sessions asking their own questions through the running app."""
    from gradio_client import Client

    import app as app_module

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = app_module.build_app(journey, WORKSPACE)
    demo.queue(default_concurrency_limit=app_module.CONCURRENT_REQUESTS).launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True
    )
    url = f"http://127.0.0.1:{port}/"
    latencies: list[float] = []
    errors: list[str] = []
    crosstalk = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def session(number: int) -> None:
        nonlocal crosstalk
        try:
            client = Client(url, verbose=False)
        except Exception as exc:  # a session that cannot connect is an error of the run
            with lock:
                errors.append(f"session {number}: {exc}")
            return
        question = QUESTIONS[number % len(QUESTIONS)] + f" (session {number})"
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                history, *_ = client.predict(question, [], api_name="/chat")
            except Exception as exc:
                with lock:
                    errors.append(f"session {number}: {exc}")
                continue
            elapsed = time.perf_counter() - start
            asked = str(history[0]["content"])
            with lock:
                latencies.append(elapsed)
                crosstalk += f"(session {number})" not in asked

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    demo.close()
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    metrics = [
        Metric("load: requests answered", float(len(latencies)), None),
        Metric("load: errors", float(len(errors)), 0.0, higher_is_better=False),
        Metric("load: answers to another session's question", float(crosstalk), 0.0, higher_is_better=False),
        Metric("load: p50 latency (s)", statistics.median(ordered), None),
        Metric("load: p95 latency (s)", p95, None),
    ]
    notes = [f"load: {SESSIONS} sessions for {seconds:.0f} s on loopback; first errors: {errors[:2]}"]
    return metrics, notes


def fault_metrics() -> tuple[list[Metric], list[str]]:
    """Each junk reply gives one clear LLMOutputError after exactly one corrective round."""
    from itertools import repeat

    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage
    from pydantic import BaseModel

    from assistant.llm.call_log import CallLog
    from assistant.llm.chains import structured_chain
    from assistant.llm.errors import LLMOutputError
    from assistant.llm.parsing import ReplyParser
    from assistant.prompts import PromptSpec

    class Shape(BaseModel):
        answer: str

    spec = PromptSpec(name="junk", description="junk", system="s", user="{q}", variables=["q"], max_tokens=50)
    replies = {
        "truncated JSON": '{"answer": "the delivery',
        "refusal": "I'm sorry, but I can't help with that.",
        "empty": "",
        "wrong shape": '{"reply": 42}',
        "JSON in prose": "Sure! Here you go: [1, 2, 3]",
    }
    clear = 0
    for reply in replies.values():
        model = GenericFakeChatModel(messages=repeat(AIMessage(reply)))
        log = CallLog()
        try:
            structured_chain(spec, model, ReplyParser(schema_=Shape)).invoke({"q": "q"}, {"callbacks": [log]})
        except LLMOutputError:
            clear += len(log.calls) == 2
    return [Metric("junk model replies ending in one clear error", clear / len(replies), 1.0)], [
        f"model faults: {clear} of {len(replies)} junk replies handled ({', '.join(replies)})"
    ]


def fuzz_metrics(examples: int = 2000) -> tuple[list[Metric], list[str]]:
    """Random bytes with every supported extension: loaders answer or refuse, never crash."""
    import random

    from assistant.errors import IngestError
    from assistant.ingest.loaders import pick_loader

    rng = random.Random(7)
    crashes = 0
    for number in range(examples):
        suffix = rng.choice([".txt", ".md", ".csv", ".tsv", ".json", ".jsonl", ".pdf", ".docx"])
        data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 512)))
        if number % 3 == 0:  # mostly-text inputs reach deeper into the parsers
            data = bytes(b % 96 + 32 for b in data).replace(b"~", b"\n").replace(b"|", b",")
        try:
            pick_loader(Path(f"fuzz{suffix}"), data)(data, f"fuzz{suffix}", None, None)
        except IngestError:
            pass
        except Exception:  # any other exception is a crash
            crashes += 1
    return [Metric("loader crashes on random input", float(crashes), 0.0, higher_is_better=False)], [
        f"fuzzing: {examples} random inputs across 8 formats, {crashes} crashes"
    ]


def crash_metrics(folder: Path) -> tuple[list[Metric], list[str]]:
    """SIGKILL a process saving map versions; count what the database kept."""
    import signal
    import sqlite3
    import subprocess
    import sys

    from assistant.maps.store import MapStore

    worker = ROOT / "tests" / "crash_worker.py"
    process = subprocess.Popen(
        [sys.executable, str(worker), "maps", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    reported = []
    while len(reported) < 300 and process.stdout is not None:
        line = process.stdout.readline()
        if not line:
            break
        reported.append(int(line.split()[1]))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    database = folder / "maps.sqlite"
    with sqlite3.connect(database) as connection:
        intact = connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    versions = [i.version for i in MapStore(database).list() if i.map_id == "crash"]
    contiguous = versions == list(range(1, len(versions) + 1))
    lost = sum(v not in set(versions) for v in reported)
    metrics = [
        Metric("map versions lost after kill -9", float(lost), 0.0, higher_is_better=False),
        Metric("map database intact and contiguous after kill -9", float(intact and contiguous), 1.0),
    ]
    return metrics, [f"crash: killed after {len(reported)} reported saves; {len(versions)} versions stored"]


def run() -> EvalResult:
    """Every reliability figure we measure so far."""
    journey = sample_journey()
    metrics: list[Metric] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for part in (
            pii_metrics(Path(folder)),
            hostile_metrics(journey),
            upload_metrics(Path(folder)),
            fault_metrics(),
            fuzz_metrics(),
            crash_metrics(Path(folder)),
            load_metrics(journey, float(os.environ.get("JOURNEY_LOAD_SECONDS", "120"))),
        ):
            metrics += part[0]
            notes += part[1]
    return EvalResult("reliability", metrics, notes)
