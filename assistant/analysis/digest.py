"""The evidence digest: stage, sentiment, themes, segments, touchpoints and funnels.

The drafting chains (offline and LLM) read this digest rather than raw retrieved chunks: it is
small, every figure in it is computed, and every quote carries its evidence id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from assistant.analysis.sentiment import score_many, sentiment_label
from assistant.analysis.stages import StageSet, StageTagger
from assistant.analysis.themes import CandidateRecord, SentenceVectors, Taxonomy, ThemeFinder
from assistant.analysis.touchpoints import channels_of
from assistant.funnels.workspace import TableFunnel, workspace_funnels
from assistant.models import Citation
from assistant.store import EvidenceStore, from_stored

# Segment attributes: few distinct values, present on a good part of the records.
SEGMENT_MAX_VALUES = 12
SEGMENT_MIN_COVERAGE = 0.2
SEGMENT_EXCLUDE = {"title", "subject", "category", "app_version", "participant", "interviewer", "date"}
# Every feedback record of a stage is a theme candidate, positive ones too: mixed records carry
# complaints ("love the towels but the checkout was a nightmare"), and themes.py matches sentence by
# sentence, skipping clearly positive ones. Above this sentiment a record is "mixed": it never seeds
# an emergent theme (a cluster of happy records is not a pain point).
CANDIDATE_MAX_SENTIMENT = 0.3
# Themes count customers' own words: a research summary or an analytics table restates them, so
# these kinds are neither counted in a theme nor in the base of its share.
THEME_EXCLUDED_KINDS = {"research", "analytics"}
QUOTES_PER_STAGE = 5
# An interview is one participant cut into passages: counting each passage would let one talkative
# participant outweigh dozens of tickets, so a theme counts an interview once.
PER_SOURCE_VOICE_KINDS = {"interview"}


@dataclass
class AnalysedRecord:
    """A stored record with its vector and what analysis derived."""

    id: str
    text: str
    kind: str
    source: str
    created_at: datetime | None
    attributes: dict[str, Any]
    vector: np.ndarray
    stage: str | None = None
    stage_confidence: float = 0.0
    sentiment: float = 0.0
    person: str = ""  # source and row of a table record: its columns and chunks are one respondent


class ThemeDigest(BaseModel):
    """A theme of a stage, with its size and quotes."""

    id: str
    label: str
    origin: str
    count: int
    share: float = Field(description="count / the stage's records, research and analytics excluded")
    evidence_ids: list[str]
    quotes: list[Citation]
    opportunity: str | None = None


class ValueShare(BaseModel):
    """One value of a segment attribute: how many records have it, and their share."""

    value: str
    count: int
    share: float


class ChannelShare(BaseModel):
    """A touchpoint channel seen in a stage."""

    channel: str
    count: int
    share: float
    evidence_ids: list[str]


class StageDigest(BaseModel):
    """Everything computed about one stage."""

    id: str
    name: str
    owner: str
    count: int
    share_of_records: float
    sentiment_mean: float
    sentiment_counts: dict[str, int]
    feelings: dict[str, int] = Field(
        default_factory=dict,
        description="Customer records by tone, a complaint told flatly counted negative (interviews out).",
    )
    themes: list[ThemeDigest]
    touchpoints: list[ChannelShare]
    segments: dict[str, list[ValueShare]]
    negative_quotes: list[Citation]
    positive_quotes: list[Citation]
    neutral_quotes: list[Citation]
    evidence_ids: list[str]


class Digest(BaseModel):
    """The evidence digest of a workspace (or of one persona's records in it)."""

    workspace: str
    scope: str = ""
    stage_set: str
    records: int
    untagged: int
    sources: dict[str, int]
    first: datetime | None
    last: datetime | None
    segments: dict[str, list[ValueShare]]
    stages: list[StageDigest]
    funnels: list[TableFunnel] = Field(
        default_factory=list, description="Every registered funnel table's funnel (or why it has none)."
    )

    def stage(self, stage_id: str) -> StageDigest | None:
        """Return one stage's digest."""
        return next((s for s in self.stages if s.id == stage_id), None)


class SentenceCache:
    """Sentence vectors kept on disk per workspace, so re-analysis embeds only new sentences."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                keys = [str(k) for k in data["keys"]]
                self.vectors = dict(zip(keys, data["vectors"], strict=True))
        self._saved = len(self.vectors)

    def save(self) -> None:
        """Write the cache if it grew (atomically: a crash leaves the old file)."""
        if len(self.vectors) == self._saved:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".part.npz")
        np.savez(partial, keys=np.array(list(self.vectors)), vectors=np.stack(list(self.vectors.values())))
        partial.replace(self.path)
        self._saved = len(self.vectors)


def _person(source: str, row: int | None) -> str:
    return f"{source}#{row}" if row is not None else ""


def load_records(store: EvidenceStore, workspace: str) -> list[AnalysedRecord]:
    """Read every record of a workspace with its stored vector; company-written text is left out.

    Agent replies and other company text are kept in the store as context (search shows them,
    labelled), but nothing the company wrote may count as what its customers say.
    """
    records = []
    for rid, text, meta, vector in store.iter_with_vectors(workspace):
        evidence = from_stored(rid, text, meta)
        if evidence.voice == "company":
            continue
        records.append(
            AnalysedRecord(
                id=rid,
                text=text,
                kind=evidence.kind,
                source=evidence.source,
                created_at=evidence.created_at,
                attributes=evidence.attributes,
                vector=vector,
                person=_person(evidence.source, evidence.locator.row),
            )
        )
    return records


def tag_records(records: list[AnalysedRecord], tagger: StageTagger) -> None:
    """Set stage and sentiment on every record (in place)."""
    if not records:
        return
    vectors = np.stack([r.vector for r in records])
    assignments = tagger.tag([r.text for r in records], vectors=vectors, kinds=[r.kind for r in records])
    sentiments = score_many([r.text for r in records])
    for record, assignment, sentiment in zip(records, assignments, sentiments, strict=True):
        record.stage = assignment.stage
        record.stage_confidence = assignment.confidence
        record.sentiment = sentiment


def restage_by_complaint(
    records: list[AnalysedRecord], taxonomy: Taxonomy, vectors: SentenceVectors, stage_ids: set[str]
) -> int:
    """Move records that voice a known pain point to that pain point's stage (in place).

    The stage tagger reads what a record is about overall; a complaint's stage is the complaint's
    ("the ads you show me are for things I already bought", in an app review about browsing, is an
    awareness problem). Without this a theme's share is taken over the wrong base: on the sample
    base 3 of 12 ad complaints were filed under other stages and the awareness base was a third too
    large. Returns how many records moved.
    """
    finder = ThemeFinder(taxonomy, vectors)
    candidates = [
        CandidateRecord(r.id, r.text, r.vector, mixed=r.sentiment > CANDIDATE_MAX_SENTIMENT)
        for r in records
        if r.kind not in THEME_EXCLUDED_KINDS
    ]
    stages = finder.complaint_stages(candidates)
    moved = 0
    for record in records:
        stage = stages.get(record.id)
        if stage in stage_ids and stage != record.stage:
            record.stage = stage
            moved += 1
    return moved


def segment_attributes(records: list[AnalysedRecord]) -> list[str]:
    """Return attributes that work as segments: few values, on enough records."""
    values: dict[str, set[str]] = defaultdict(set)
    present: Counter[str] = Counter()
    for record in records:
        for key, value in record.attributes.items():
            if key.lower() in SEGMENT_EXCLUDE or isinstance(value, float):
                continue
            values[key].add(str(value).lower())
            present[key] += 1
    return sorted(
        key
        for key, seen in values.items()
        if 2 <= len(seen) <= SEGMENT_MAX_VALUES and present[key] >= SEGMENT_MIN_COVERAGE * len(records)
    )


def value_shares(records: list[AnalysedRecord], attribute: str) -> list[ValueShare]:
    """Shares of an attribute's values among the records that have it."""
    counts = Counter(str(r.attributes[attribute]).lower() for r in records if attribute in r.attributes)
    total = sum(counts.values())
    return [ValueShare(value=v, count=c, share=c / total) for v, c in counts.most_common()] if total else []


def _quotes(records: list[AnalysedRecord], limit: int) -> list[Citation]:
    # Short records make the best quotes; the quote is the record's first sentence-sized span.
    chosen = sorted(records, key=lambda r: (len(r.text) > 280, -abs(r.sentiment)))[:limit]
    return [Citation(evidence_id=r.id, quote=_quote_span(r.text)) for r in chosen]


def _quote_span(text: str, limit: int = 240) -> str:
    stripped = text.strip()
    if len(stripped) <= limit:
        return stripped
    cut = stripped[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def digest_stage(
    stage_id: str,
    name: str,
    owner: str,
    records: list[AnalysedRecord],
    total: int,
    finder: ThemeFinder,
    segments: list[str],
) -> StageDigest:
    """Compute one stage's digest from its records."""
    labels = Counter(sentiment_label(r.sentiment) for r in records)
    candidates = [
        CandidateRecord(
            r.id,
            r.text,
            r.vector,
            mixed=r.sentiment > CANDIDATE_MAX_SENTIMENT,
            voice=r.source if r.kind in PER_SOURCE_VOICE_KINDS else r.person,
        )
        for r in records
        if r.kind not in THEME_EXCLUDED_KINDS
    ]
    # Shares are of the voices that could show a theme: the stage's customer feedback, an
    # interview counted once however many of its passages fall in the stage.
    themes = finder.find(stage_id, len({c.speaker for c in candidates}), candidates)
    # "My points never showed up" scores neutral, but it is a complaint: members of a known pain
    # point count as negative when weighing how the stage feels.
    complaints = {rid for t in themes if t.origin == "taxonomy" for rid in t.record_ids}
    feelings = {"negative": 0, "neutral": 0, "positive": 0}
    for record in records:
        if record.kind in THEME_EXCLUDED_KINDS or record.kind in PER_SOURCE_VOICE_KINDS:
            continue
        label = sentiment_label(record.sentiment)
        feelings["negative" if label == "neutral" and record.id in complaints else label] += 1
    channels: dict[str, list[str]] = defaultdict(list)
    for record in records:
        for channel in channels_of(record.text, record.attributes):
            channels[channel].append(record.id)
    by_label: dict[str, list[AnalysedRecord]] = defaultdict(list)
    for record in records:
        by_label[sentiment_label(record.sentiment)].append(record)
    return StageDigest(
        id=stage_id,
        name=name,
        owner=owner,
        count=len(records),
        share_of_records=len(records) / total if total else 0.0,
        sentiment_mean=float(np.mean([r.sentiment for r in records])) if records else 0.0,
        sentiment_counts={k: labels.get(k, 0) for k in ("negative", "neutral", "positive")},
        feelings=feelings,
        themes=[
            ThemeDigest(
                id=t.id,
                label=t.label,
                origin=t.origin,
                count=t.count,
                share=t.share,
                evidence_ids=t.record_ids,
                quotes=t.quotes,
                opportunity=t.opportunity,
            )
            for t in themes
        ],
        touchpoints=sorted(
            (
                ChannelShare(channel=c, count=len(ids), share=len(ids) / len(records), evidence_ids=ids[:20])
                for c, ids in channels.items()
            ),
            key=lambda c: -c.count,
        ),
        segments={a: value_shares(records, a) for a in segments},
        negative_quotes=_quotes(by_label["negative"], QUOTES_PER_STAGE),
        positive_quotes=_quotes(by_label["positive"], QUOTES_PER_STAGE),
        neutral_quotes=_quotes(by_label["neutral"], QUOTES_PER_STAGE),
        evidence_ids=[r.id for r in records],
    )


ProgressFn = Callable[[str], None]


def build_digest(
    workspace: str,
    records: list[AnalysedRecord],
    stage_set: StageSet,
    taxonomy: Taxonomy,
    sentence_vectors: SentenceVectors,
    funnel_tables: list[Path] | None = None,
    scope: str = "",
    progress: ProgressFn | None = None,
) -> Digest:
    """Digest already-tagged records into per-stage facts."""
    tick = progress or (lambda _m: None)
    finder = ThemeFinder(taxonomy, sentence_vectors)
    segments = segment_attributes(records)
    by_stage: dict[str, list[AnalysedRecord]] = defaultdict(list)
    for record in records:
        if record.stage is not None:
            by_stage[record.stage].append(record)
    stages = []
    for definition in stage_set.stages:
        tick(f"themes of {definition.id}")
        stages.append(
            digest_stage(
                definition.id,
                definition.name,
                definition.owner,
                by_stage.get(definition.id, []),
                len(records),
                finder,
                segments,
            )
        )
    dates = [r.created_at for r in records if r.created_at is not None]
    # The funnel engine's figures, read through each table's saved profile (cached while unchanged).
    funnels = workspace_funnels(funnel_tables or [], stage_set.step_table())
    return Digest(
        workspace=workspace,
        scope=scope,
        stage_set=stage_set.name,
        records=len(records),
        untagged=sum(1 for r in records if r.stage is None),
        sources=dict(Counter(r.kind for r in records)),
        first=min(dates, key=_naive) if dates else None,
        last=max(dates, key=_naive) if dates else None,
        segments={a: value_shares(records, a) for a in segments},
        stages=stages,
        funnels=funnels,
    )


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
