"""LLM eval (opt-in): the real chains against a real model — draft, review and answer.

Skipped unless a model is configured (OPENAI_BASE_URL for a local server, or OPENAI_API_KEY, or
JOURNEY_CHAT_PROVIDER). With the local 1.5B model (`../shared/local-llm/setup --serve`) a run takes
tens of minutes, so it is never part of CI. Measured on the sample base and on real public reviews
(Women's E-Commerce Clothing Reviews, CC0, the first 1,499 rows in ../shared/datasets):

- valid JSON on the first try, and after the corrective round (share of chain runs);
- citation validity of what the model wrote (the stages it drafted and its persona, never an
  offline part): a citation is valid when its id was shown, its quote is verbatim in the record and
  the reviewer's citation check finds the record speaks to the claim;
- share of drafted stages, review batches and answers that fell back to offline, and why;
- prompt and completion tokens and seconds per call.

Set JOURNEY_EVAL_LLM_STAGES to draft only that many of the sample base's largest stages (default:
all), JOURNEY_EVAL_LLM_REAL_STAGES for each real base (default 2), and JOURNEY_EVAL_LLM_BASES to a
comma-separated subset of `sample,real,heldout`. The held-out base (real support threads) was never
used to tune the prompts. Each base's figures are printed as soon as it is done.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

from assistant.ask.service import ask
from assistant.context import Journey
from assistant.evidence.facts import WorkspaceFacts
from assistant.llm.call_log import CallLog
from assistant.maps.drafting import DraftResult
from assistant.models import EvidenceKind
from assistant.review.checks import ClaimChecker
from assistant.review.claims import MapClaim, map_claims
from assistant.review.service import review_map
from assistant.settings import load_settings
from assistant.workflow import draft_map
from evals.runner import REPORTS, EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "datasets" / "womens_clothing_ecommerce_reviews_subset"
# Held out: never used to tune the prompts (the reviews were). Real support threads on Twitter
# (IBM customer-care conversations, Apache-2.0), customers' and agents' turns in one table.
SUPPORT = ROOT.parent / "shared" / "datasets" / "support_twitter_customer_care" / "turns.csv"
HELD_OUT_WORKSPACE = "llm_heldout_support"
HELD_OUT_QUESTION = "why do customers contact support?"
REAL_WORKSPACE = "llm_real_reviews"
SAMPLE_QUESTION = "why do customers drop off at checkout?"
REAL_QUESTION = "what do customers complain about most?"
REAL_STAGES = 2
REPLY_CHARS = 1500
TARGET_VALID_AFTER_CORRECTION = 0.95
TARGET_CITATION_VALIDITY = 0.90
TARGET_STAGE_FALLBACK = 0.20
NO_MODEL = {"openai_api_key": None, "openai_base_url": None, "chat_provider": "openai"}


@dataclass
class Run:
    """What one base (sample or real) gave: the call log and the outcomes of each surface."""

    label: str
    log: CallLog
    stages_tried: int = 0
    stages_fallen_back: int = 0
    citations: int = 0  # cited by the model, in the parts it wrote
    citation_problems: int = 0  # unknown id or quote not verbatim (our drafting checks)
    off_topic: int = 0  # verbatim, but the reviewer finds the record does not speak to the claim
    offline_citations: int = 0  # the offline draft of the same stages, through the same check
    offline_off_topic: int = 0
    batches_fallen_back: int = 0
    answer_engine: str = ""
    engines: dict[str, str] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)


def configured() -> bool:
    """Whether a model is configured for this run (the product's own test, .env included)."""
    return load_settings().llm_configured


def _reason(warning: str) -> str:
    # "stage purchase: the reply … (twice …); used the offline draft" -> the reason's opening words
    body = warning.split(": ", 1)[-1].split(";")[0]
    return " ".join(body.split()[:8])


def model_parts(result: DraftResult) -> list[str]:
    """Path prefixes of the map parts the model wrote: its persona, the stages it drafted."""
    fallen = {w.split(":", 1)[0].removeprefix("stage ") for w in result.warnings if w.startswith("stage ")}
    parts = [] if any(w.startswith("persona:") for w in result.warnings) else ["persona."]
    for index, stage in enumerate(result.journey_map.stages):
        digest = result.digest.stage(stage.name)
        if digest is not None and digest.count and stage.name not in fallen:
            parts.append(f"stages[{index}].")
    return parts


def _by_model(path: str, parts: list[str]) -> bool:
    # Touchpoints, KPIs and the owner of a drafted stage are computed or catalogued, never the model's.
    computed = (".kpis[", ".touchpoints[")
    return (
        path.startswith(tuple(parts)) and not any(c in path for c in computed) and not path.endswith(".owner")
    )


def _claims_by(result: DraftResult, parts: list[str]) -> list[MapClaim]:
    """The claims in the given parts, a long item once (it is checked in parts, each citing alike)."""
    return [
        c
        for c in map_claims(result.journey_map)
        if _by_model(c.path, parts) and (".part[" not in c.path or c.path.endswith(".part[0]"))
    ]


def _off_topic(claims: list[MapClaim], checker: ClaimChecker) -> tuple[int, int]:
    """(citations, those the reviewer's check finds off topic) over claims that are not feelings."""
    cited = off = 0
    for claim in claims:
        if claim.component in ("emotion", "persona") or not claim.citations:
            continue  # an emotion's records speak to a feeling, which the topic check does not read
        findings, _valid = checker.citations(claim)
        cited += len(claim.citations)
        off += len(findings)
    return cited, off


def _count_offline(run: Run, result: DraftResult, checker: ClaimChecker) -> None:
    """The same check on the offline engine's draft of the same stages: what the model is beside."""
    parts = [f"stages[{i}]." for i in range(len(result.journey_map.stages))]
    lanes = ("actions", "thoughts", "pain_points", "opportunities")  # the lanes the model writes
    claims = [c for c in _claims_by(result, parts) if c.component in lanes]
    run.offline_citations, run.offline_off_topic = _off_topic(claims, checker)


def _count_draft(run: Run, result: DraftResult, checker: ClaimChecker) -> None:
    digests = [result.digest.stage(s.name) for s in result.journey_map.stages]
    run.stages_tried += sum(1 for d in digests if d is not None and d.count)  # empty stages are not asked
    stage_warnings = [w for w in result.warnings if w.startswith("stage ")]
    run.stages_fallen_back += len(stage_warnings)
    run.reasons.update(_reason(w) for w in result.warnings)
    parts = model_parts(result)
    problems = [p for p in result.problems if _by_model(p.path, parts)]
    kept = _claims_by(result, parts)
    run.citations += sum(len(c.citations) for c in kept) + len(problems)
    run.citation_problems += len(problems)
    if "persona." in parts:
        run.citations += len(result.journey_map.persona.quotes)
    run.off_topic += _off_topic(kept, checker)[1]
    run.engines["map"] = result.journey_map.engine


def measure(journey: Journey, workspace: str, question: str, stages: list[str] | None, label: str) -> Run:
    """Draft, review and answer through the model on one workspace; log every call."""
    log = CallLog()
    journey.callbacks = [log]
    run = Run(label, log)
    drafted = draft_map(journey, workspace, stages=stages, save=False, review=False, progress=print)
    checker = ClaimChecker(WorkspaceFacts(journey, workspace))
    _count_draft(run, drafted, checker)
    no_model = journey.settings.model_copy(update=NO_MODEL)
    offline = replace(journey, settings=no_model, model=None, callbacks=[])
    _count_offline(run, draft_map(offline, workspace, stages=stages, save=False, review=False), checker)
    review = review_map(journey, workspace, drafted.journey_map, use_llm=True)
    run.batches_fallen_back = sum(1 for w in review.warnings if w.startswith("judge failed"))
    run.reasons.update(_reason(w) for w in review.warnings if w.startswith("judge failed"))
    run.engines["review"] = review.engine
    answer = ask(journey, workspace, question, use_llm=True)
    run.answer_engine = answer.engine
    run.engines["answer"] = answer.engine
    run.reasons.update(_reason(w) for w in answer.warnings if "offline answer" in w)
    return run


def largest_stages(journey: Journey, workspace: str, count: int | None) -> list[str] | None:
    """The `count` stages with the most records (None: all)."""
    if count is None:
        return None
    digest = journey.analyzer(workspace).digest()
    ranked = sorted((s for s in digest.stages if s.count), key=lambda s: -s.count)
    return [s.id for s in ranked[:count]]


def real_journey(journey: Journey, source: Path = REVIEWS, workspace: str = REAL_WORKSPACE) -> bool:
    """Ingest a real data set into its own workspace; False when the dataset is absent.

    No kind is given for the held-out threads: the product reads the kind (and the agents' turns)
    from the table itself, as it would for a user's upload.
    """
    if not source.exists():
        return False
    if journey.store.count(workspace) == 0:
        kind: EvidenceKind | None = "review" if source == REVIEWS else None
        report = journey.ingester(workspace).ingest([source], kind=kind)
        if report.failures:
            raise RuntimeError(f"{source.name} failed to ingest: {report.failures}")
    return True


def metrics_of(run: Run) -> tuple[list[Metric], list[str]]:
    """The figures of one run, named after its base."""
    parses = run.log.parses
    first = [p for p in parses if not p.corrective]
    again = [p for p in parses if p.corrective]
    first_ok = sum(p.ok for p in first)
    valid_after = first_ok + sum(p.ok for p in again)
    calls = run.log.calls
    done = [c for c in calls if c.error is None]
    prompt = [c.prompt_tokens for c in done if c.prompt_tokens is not None]
    completion = [c.completion_tokens for c in done if c.completion_tokens is not None]
    verbatim = 1 - run.citation_problems / run.citations if run.citations else 0.0
    validity = 1 - (run.citation_problems + run.off_topic) / run.citations if run.citations else 0.0
    offline_validity = 1 - run.offline_off_topic / run.offline_citations if run.offline_citations else 0.0
    fallback = run.stages_fallen_back / run.stages_tried if run.stages_tried else 1.0
    name = run.label
    metrics = [
        Metric(f"{name}: valid JSON on the first try", first_ok / len(first) if first else 0.0),
        Metric(
            f"{name}: valid JSON after the corrective round",
            valid_after / len(first) if first else 0.0,
            TARGET_VALID_AFTER_CORRECTION,
        ),
        Metric(f"{name}: model's citations with a known id and a verbatim quote", verbatim),
        Metric(
            f"{name}: citation validity of the model's draft (also on topic)",
            validity,
            TARGET_CITATION_VALIDITY,
        ),
        Metric(f"{name}: the offline draft's citations on topic, same check", offline_validity),
        Metric(
            f"{name}: stages that fell back to offline",
            fallback,
            TARGET_STAGE_FALLBACK,
            higher_is_better=False,
        ),
        Metric(f"{name}: answer written by the model", float(run.answer_engine != "offline")),
        Metric(f"{name}: seconds per call", mean(c.seconds for c in calls) if calls else 0.0),
        Metric(f"{name}: prompt tokens per call", mean(prompt) if prompt else 0.0),
        Metric(f"{name}: completion tokens per call", mean(completion) if completion else 0.0),
    ]
    by_chain = Counter(c.chain for c in calls)
    failed_calls = [c.error for c in calls if c.error]
    notes = [
        f"{name}: {len(calls)} calls ({', '.join(f'{k} {v}' for k, v in sorted(by_chain.items()))}); "
        f"{len(first)} chain runs, {len(again)} corrective rounds; "
        f"stages {run.stages_tried - run.stages_fallen_back}/{run.stages_tried} by the model; "
        f"review batches fallen back {run.batches_fallen_back}; the model's citations {run.citations} "
        f"({run.citation_problems} unknown or not verbatim, {run.off_topic} off topic)",
        f"{name}: engines — " + "; ".join(f"{k}: {v}" for k, v in run.engines.items()),
    ]
    if run.reasons:
        notes.append(
            f"{name}: fallback reasons — " + "; ".join(f"{r} ×{n}" for r, n in run.reasons.most_common(6))
        )
    first_failures = Counter(p.reason[:80] for p in first if not p.ok)
    if first_failures:
        notes.append(
            f"{name}: first-try failures — "
            + "; ".join(f"{r} ×{n}" for r, n in first_failures.most_common(5))
        )
    if failed_calls:
        notes.append(f"{name}: failed calls — {failed_calls[:3]}")
    return metrics, notes


def write_calls(runs: list[Run]) -> Path:
    """Every call of the run as JSON lines (chain, round, tokens, seconds, reply), to read the misses."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-llm-calls.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for run_ in runs:
            for call in run_.log.calls:
                row = {
                    "base": run_.label,
                    "chain": call.chain,
                    "corrective": call.corrective,
                    "seconds": round(call.seconds, 1),
                    "prompt_tokens": call.prompt_tokens,
                    "completion_tokens": call.completion_tokens,
                    "error": call.error,
                    "reply": call.reply[:REPLY_CHARS],
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def run() -> EvalResult:
    """Measure the chains on a real model; skipped without one."""
    if not configured():
        return EvalResult(
            "llm",
            [],
            [
                "skipped: no model configured (set OPENAI_BASE_URL for a local server, e.g. after "
                "`../shared/local-llm/setup --serve`, or OPENAI_API_KEY)"
            ],
        )
    journey = sample_journey()
    bases = os.environ.get("JOURNEY_EVAL_LLM_BASES", "sample,real,heldout").split(",")
    runs: list[Run] = []
    metrics: list[Metric] = []
    notes: list[str] = []

    def add(run_: Run) -> None:
        runs.append(run_)
        found, said = metrics_of(run_)
        metrics.extend(found)
        notes.extend(said)
        for metric in found:  # printed at once: a run on a small local model takes many minutes
            print(f"{metric.name}: {metric.value:.3f}", flush=True)
        for note in said:
            print(note, flush=True)

    if "sample" in bases:
        limit = os.environ.get("JOURNEY_EVAL_LLM_STAGES")
        sample_stages = largest_stages(journey, WORKSPACE, int(limit) if limit else None)
        add(measure(journey, WORKSPACE, SAMPLE_QUESTION, sample_stages, "sample"))
    if "real" in bases and real_journey(journey):
        count = int(os.environ.get("JOURNEY_EVAL_LLM_REAL_STAGES", REAL_STAGES))
        add(
            measure(
                journey,
                REAL_WORKSPACE,
                REAL_QUESTION,
                largest_stages(journey, REAL_WORKSPACE, count),
                "real reviews",
            )
        )
    elif "real" in bases:
        notes.append(f"real data absent ({REVIEWS}); only the sample base was measured")
    if "heldout" in bases and real_journey(journey, SUPPORT, HELD_OUT_WORKSPACE):
        count = int(os.environ.get("JOURNEY_EVAL_LLM_REAL_STAGES", REAL_STAGES))
        stages = largest_stages(journey, HELD_OUT_WORKSPACE, count)
        add(measure(journey, HELD_OUT_WORKSPACE, HELD_OUT_QUESTION, stages, "held-out support threads"))
    notes.insert(0, f"model: {journey.engine}; every call: {write_calls(runs).relative_to(ROOT)}")
    return EvalResult("llm", metrics, notes)
