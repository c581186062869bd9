"""What the reviewer checks claims against: a workspace's records, digest, themes and metrics."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from assistant.analysis.digest import AnalysedRecord, Digest, ThemeDigest
from assistant.analysis.lexical_terms import content_stems
from assistant.analysis.sentiment import sentiment_label
from assistant.analysis.themes import Unit, record_units
from assistant.context import Journey
from assistant.evidence.figures import Figure, own_figures
from assistant.evidence.segments import Segment, words_of
from assistant.funnels.steps import bundled_step_table
from assistant.funnels.workspace import SHAPE_ORDER, TableFunnel, funnel_line, step_lines
from assistant.llm.fence import is_steering
from assistant.models import Citation

# How KPI names in a map say each funnel step, in funnel order: data of the bundled steps file
# (`kpi_words` in assistant/lexicons/funnel_steps.yaml), never words written in code.
STEP_WORDS: dict[str, tuple[str, ...]] = dict(bundled_step_table().kpi_words)


@dataclass
class Metric:
    """A figure the data gives, with the record that makes it citable."""

    name: str
    value: float  # a share in [0, 1] for rates, the score itself for NPS
    unit: str  # "share" | "score"
    detail: str
    evidence: list[Citation] = field(default_factory=list)


@dataclass
class RecordMatch:
    """How well one record speaks to a claim: its best unit and that unit's similarity."""

    record: AnalysedRecord
    unit: Unit
    similarity: float
    shared_stems: int


MAX_SEGMENT_VALUES = 50
MIN_SEGMENT_RECORDS = 2


class WorkspaceFacts:
    """Records, digest, retrieval and computed metrics of one workspace, shared by all checks."""

    def __init__(self, journey: Journey, workspace: str, segment: Segment | None = None) -> None:
        self.journey = journey
        self.workspace = workspace
        self.analyzer = journey.analyzer(workspace)
        self.records = {r.id: r for r in self.analyzer.records()}
        self.texts = {rid: r.text for rid, r in self.records.items()}
        self.vectors = self.analyzer.sentence_vectors()
        self.segment = segment  # when set, themes and quotes come from that segment's records only

    @cached_property
    def digest(self) -> Digest:
        """The workspace's digest (themes, stage sentiment, funnel totals), of the segment when set."""
        if self.segment is None:
            return self.analyzer.digest()
        return self.analyzer.digest(record_filter=self.in_segment)

    def in_segment(self, record: AnalysedRecord) -> bool:
        """Whether a record belongs to the segment (every record when none is set)."""
        if self.segment is None:
            return True
        value = record.attributes.get(self.segment.key)
        return isinstance(value, str) and value.lower() == self.segment.value.lower()

    def segment_size(self) -> int | None:
        """Records in the segment (None when no segment is set)."""
        if self.segment is None:
            return None
        return sum(1 for r in self.records.values() if self.in_segment(r))

    def segment_named(self, question: str) -> Segment | None:
        """The attribute value a question names ("mobile" in "and on mobile?"), longest first.

        Only values of grouping attributes count: shared by several records, in an attribute with
        few distinct values — an id or a free-text field is no segment.
        """
        asked = " " + " ".join(words_of(question)) + " "
        values: dict[str, Counter[str]] = {}
        for record in self.records.values():
            for key, value in record.attributes.items():
                if isinstance(value, str) and value.strip():
                    values.setdefault(key, Counter())[value.strip()] += 1
        found: list[Segment] = []
        for key, counts in values.items():
            if len(counts) > MAX_SEGMENT_VALUES:
                continue
            for value, count in counts.items():
                phrase = " ".join(words_of(value.replace("_", " ")))
                if count >= MIN_SEGMENT_RECORDS and len(phrase) >= 3 and f" {phrase} " in asked:
                    found.append(Segment(key, value))
        return max(found, key=lambda s: len(s.value), default=None)

    @cached_property
    def complaint_ids(self) -> frozenset[str]:
        """Records that voice a known pain point (members of a taxonomy theme)."""
        return frozenset(
            rid
            for s in self.digest.stages
            for t in s.themes
            if t.origin == "taxonomy"
            for rid in t.evidence_ids
        )

    def is_negative(self, record: AnalysedRecord) -> bool:
        """Negative in tone, or a complaint told flatly ("my points never showed up" scores 0)."""
        label = sentiment_label(record.sentiment)
        return label == "negative" or (label == "neutral" and record.id in self.complaint_ids)

    def stage_feelings(self, stage_id: str) -> dict[str, int]:
        """Negative, neutral and positive customer records of a stage (see StageDigest.feelings)."""
        stage = self.digest.stage(stage_id)
        return dict(stage.feelings) if stage else {"negative": 0, "neutral": 0, "positive": 0}

    @cached_property
    def figures(self) -> list[Figure]:
        """Computed figures of the workspace's own tables: closed questions, ratings, NPS (research out)."""
        return own_figures(self.texts, self.analyzer.tables())

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every content stem that occurs in some record."""
        seen: set[str] = set()
        for text in self.texts.values():
            seen |= content_stems(text)
        # Metadata speaks too: a platform column saying ios_app is evidence that customers use iOS.
        values = {str(v) for r in self.records.values() for v in r.attributes.values() if isinstance(v, str)}
        for value in values:
            seen |= content_stems(value.replace("_", " "))
        return frozenset(seen)

    def themes(self) -> list[tuple[str, ThemeDigest]]:
        """Every theme of every stage, with its stage id."""
        return [(s.id, t) for s in self.digest.stages for t in s.themes]

    def embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors of texts (cached)."""
        return self.vectors.get(texts)

    def matches(self, claim: str, k: int) -> list[RecordMatch]:
        """The k records retrieval finds for a claim, each with its closest unit, best first."""
        hits = self.journey.retriever.search(self.workspace, claim, k=k)
        claim_vector = self.embed([claim])[0]
        claim_stems = content_stems(claim)
        result = []
        for hit in hits:
            record = self.records.get(hit.evidence.id)
            # A record that talks to the model ("reviewer verdict: supported") supports nothing.
            if record is None or record.kind == "analytics" or is_steering(record.text):
                continue
            found = self.best_unit(record, claim_vector)
            if found is not None:
                unit, similarity = found
                shared = len(claim_stems & content_stems(unit.text))
                result.append(RecordMatch(record, unit, similarity, shared))
        return sorted(result, key=lambda m: -m.similarity)

    def best_unit(self, record: AnalysedRecord, vector: np.ndarray) -> tuple[Unit, float] | None:
        """The record's sentence or clause closest to a (claim) vector, and its similarity."""
        units = record_units(record.id, record.text) or [Unit(record.id, 0, len(record.text), record.text)]
        units = [u for u in units if u.text.strip()]
        if not units:
            return None
        similarities = self.embed([u.text for u in units]) @ vector
        best = int(np.argmax(similarities))
        return units[best], float(similarities[best])

    def units_around(self, record: AnalysedRecord, quote: str, reach: int = 1) -> list[str]:
        """The record's sentences that hold a quote, with `reach` sentences either side."""
        units = record_units(record.id, record.text)
        start = record.text.find(quote.strip())
        if start < 0 or not units:
            return []
        end = start + len(quote.strip())
        inside = [i for i, u in enumerate(units) if u.start < end and u.end > start]
        if not inside:
            return []
        low, high = max(0, min(inside) - reach), min(len(units), max(inside) + reach + 1)
        return [u.text for u in units[low:high]]

    @cached_property
    def funnels(self) -> list[TableFunnel]:
        """Every registered funnel table's funnel (the digest's: one engine, cached while unchanged)."""
        return list(self.digest.funnels)

    def funnel_citation(self, funnel: TableFunnel, *lines: str) -> list[Citation]:
        """Cite a funnel by its table's record: the first of `lines` it states verbatim, else its opening."""
        record = self.table_record(funnel.source)
        if record is None:
            return []
        text = record.text
        quote = next((line for line in lines if line and line in text), None)
        opening = text.strip().splitlines()[0] if text.strip() else ""
        return [Citation(evidence_id=record.id, quote=quote or opening)] if (quote or opening) else []

    def table_record(self, source: str) -> AnalysedRecord | None:
        """The analytics record that describes a registered table (its summary, else one of its figures)."""
        mine = [
            r
            for r in self.records.values()
            if r.kind == "analytics" and str(r.attributes.get("table", "")) == source
        ]
        return next((r for r in mine if "column" not in r.attributes), mine[0] if mine else None)

    @cached_property
    def metrics(self) -> list[Metric]:
        """Figures the data gives: funnel conversions between steps, NPS, repeat-order share."""
        found: list[Metric] = []
        seen: set[str] = set()
        ranked = sorted(
            (f for f in self.funnels if f.result is not None),
            key=lambda f: (SHAPE_ORDER.get(f.shape, 9), -(f.result.steps[0].count if f.result else 0)),
        )
        for funnel in ranked:
            result = funnel.result
            assert result is not None
            steps = [s for s in result.steps if s.step]
            for i, first in enumerate(steps):
                for second in steps[i + 1 :]:
                    name = f"{first.step}->{second.step}"
                    rate = result.rate(first.step or "", second.step or "")
                    if name in seen or rate is None:
                        continue
                    seen.add(name)
                    detail = (
                        f"{second.name} / {first.name} = {second.count:,} / {first.count:,} = {rate:.1%} "
                        f"({funnel.source})"
                    )
                    head = f"{first.name} → {second.name}:"
                    pair = next((ln for ln in step_lines(result) if ln.startswith(head)), "")
                    evidence = self.funnel_citation(funnel, pair, funnel_line(result))
                    found.append(Metric(name, rate, "share", detail, evidence))
        found += self._attribute_metrics()
        return found

    def _attribute_metrics(self) -> list[Metric]:
        by_attribute: dict[str, list[tuple[AnalysedRecord, float]]] = {}
        for record in self.records.values():
            for key, value in record.attributes.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    by_attribute.setdefault(key.lower(), []).append((record, float(value)))
        found = []
        for key, pairs in by_attribute.items():
            values = [v for _, v in pairs]
            if (
                re.fullmatch(r"nps|net_?promoter.*|likelihood_to_recommend|recommend.*", key)
                and max(values) <= 10
            ):
                promoters = sum(v >= 9 for v in values) / len(values)
                detractors = sum(v <= 6 for v in values) / len(values)
                nps = round(100 * (promoters - detractors))
                found.append(
                    Metric(
                        "nps",
                        nps,
                        "score",
                        f"NPS {nps:+d} over {len(values)} answers ({promoters:.1%} promoters, "
                        f"{detractors:.1%} detractors)",
                        _attribute_citations(pairs, key),
                    )
                )
            if re.fullmatch(r"(orders?|purchases?)(_last_\w+|_count|_12m)?", key):
                repeat = sum(v >= 2 for v in values) / len(values)
                found.append(
                    Metric(
                        "repeat",
                        repeat,
                        "share",
                        f"{repeat:.1%} of {len(values)} respondents placed 2+ orders ({key})",
                        _attribute_citations(pairs, key),
                    )
                )
        return found


def _attribute_citations(pairs: list[tuple[AnalysedRecord, float]], key: str) -> list[Citation]:
    # The attribute sits in the record's metadata, not its text; cite a few of the records
    # themselves (their opening words) so the reader can open the rows behind the figure.
    cited = []
    for record, _ in pairs[:3]:
        quote = record.text.strip()[:80]
        if quote:
            cited.append(Citation(evidence_id=record.id, quote=quote))
    return cited
