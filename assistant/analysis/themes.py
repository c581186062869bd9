"""Themes per stage: a pain-point taxonomy matched sentence by sentence, plus emergent clusters.

Matching works on *units*: the sentences of a record (speaker labels trimmed, agent and
interviewer lines dropped) and the clause after a contrast word, so "love the towels but the
checkout was a nightmare" offers its complaint without the praise. A whole e-mail embeds as a blur
of greeting, order number and sign-off; the one sentence that names the problem matches cleanly
and becomes the verbatim quote.

A unit's score for a theme is its mean cosine similarity to the theme's two closest examples.
Every theme of every stage competes (a record filed under delivery may still be about the
checkout's delivery fee), and so does a "no problem" class of sentences that voice no pain
(thanks, order references, praise, plain questions). A unit joins its best theme when

- it clears the theme's own threshold, derived from its examples by leave-one-out (each example
  scored against the others, x THRESHOLD_FACTOR), and beats "no problem"; or
- it clears FLOOR and beats "no problem" by NONE_MARGIN: customers' sentences are noisier than
  the examples ("cust rang re curtain drop, listing unclear per panel or pair" scores 0.28 for
  sizing, but 0.21 for "no problem"), and the contrast is what tells a complaint from chatter;
- and it is not clearly positive (sentence sentiment <= UNIT_MAX_SENTIMENT): embeddings barely
  see polarity, "arrived a week late" and "arrived the next day" are near neighbours.

A record joins every theme one of its units names (shares need not sum to one), its best unit
being the quote. Every record of the stage is a candidate, positive ones included, since mixed
records carry complaints; records no theme claims and that are not positive overall are grouped
into emergent themes (Louvain communities of a nearest-neighbour graph), labelled by their most
distinctive words.

Measured on the sample base (evals/draft.py; FLOOR, NONE_MARGIN and UNIT_MAX_SENTIMENT picked on a
small grid there, all within a flat optimum): per planted cause, theme membership against the
per-record ground truth went from F1 0.80 to 0.91 on average. Three further steps took planted-cause
recovery from 0.58 to 0.92 and the mean share error from 0.062 to 0.025: records voicing a known
pain point move to that pain point's stage before stages are digested (digest.restage_by_complaint),
an interview counts as one voice however many passages match, and in a record that is positive
overall only a negative unit or the clause after a contrast counts as a complaint. On real clothing
reviews, fit comments ("runs small") still often join the sizing or "not as described" themes while
neutral descriptions mostly do not.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.feature_extraction.text import CountVectorizer

from assistant.analysis.sentences import BOILERPLATE, split_sentences
from assistant.analysis.sentiment import sentiment_score
from assistant.embeddings import Embedder
from assistant.errors import ConfigError
from assistant.models import Citation

TAXONOMIES = Path(__file__).resolve().parents[1] / "taxonomies"
TOP_EXAMPLES = 2
# Per-theme threshold: a unit must score at least THRESHOLD_FACTOR x the theme's own leave-one-out
# example score, clipped to [THRESHOLD_MIN, THRESHOLD_MAX].
THRESHOLD_FACTOR = 0.75
THRESHOLD_MIN = 0.36
THRESHOLD_MAX = 0.50
# Below its theme's threshold, a unit still joins when it clears FLOOR and beats "no problem" by NONE_MARGIN.
FLOOR = 0.25
NONE_MARGIN = 0.08
# A unit more positive than this names no problem, whatever it is about.
UNIT_MAX_SENTIMENT = 0.6
# In a record that is positive overall, a unit must lean negative to count as its complaint.
MIXED_UNIT_MAX_SENTIMENT = -0.05
EMERGENT_MIN_SHARE = 0.04
EMERGENT_MIN_COUNT = 4
QUOTES_PER_THEME = 3
MIN_UNIT_WORDS = 2


class ThemeDef(BaseModel):
    """A known pain point: an id, a readable label, and how customers put it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    opportunity: str | None = None  # the usual remedy, proposed as the map's opportunity
    examples: list[str] = Field(min_length=2)


class Taxonomy(BaseModel):
    """Known pain points by stage id, and sentences that voice no problem at all."""

    model_config = ConfigDict(extra="forbid")

    name: str
    themes: dict[str, list[ThemeDef]]
    # The competitor class: thanks, greetings, praise, plain questions. A sentence closer to these
    # than to any theme joins no theme, instead of being absorbed by the nearest one.
    no_problem: list[str] = Field(default_factory=list)


def load_taxonomy(name_or_path: str = "ecommerce") -> Taxonomy:
    """Load a bundled taxonomy by name, or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = TAXONOMIES / f"{name_or_path}.yaml"
    if not path.is_file():
        bundled = ", ".join(sorted(p.stem for p in TAXONOMIES.glob("*.yaml")))
        raise ConfigError(f"no theme taxonomy {name_or_path!r} (bundled: {bundled}; or give a YAML path)")
    try:
        return Taxonomy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"theme taxonomy {path}: {exc}") from exc


@dataclass
class Theme:
    """A group of a stage's evidence about one problem."""

    id: str
    label: str
    stage: str
    origin: str  # "taxonomy" | "emergent"
    record_ids: list[str]
    count: int  # distinct voices: a record, or one interview however many of its passages match
    share: float
    quotes: list[Citation] = field(default_factory=list)
    opportunity: str | None = None


@dataclass
class CandidateRecord:
    """A record that may show a pain point: its id, text and whole-record vector.

    `mixed` marks a record that is positive overall: its complaint sentences and clauses still
    join taxonomy themes ("love the towels but the checkout was a nightmare"), but the record never
    seeds an emergent theme.
    """

    id: str
    text: str
    vector: np.ndarray
    mixed: bool = False
    voice: str = ""  # who speaks: an interview's passages share one voice; "" = the record itself

    @property
    def speaker(self) -> str:
        """The voice counted for this record."""
        return self.voice or self.id


@dataclass(frozen=True)
class Unit:
    """A span of a record matched against the themes: a sentence or the clause after a contrast.

    `text` is `record text[start:end]`, so it is a verbatim quote.
    """

    record_id: str
    start: int
    end: int
    text: str
    after_contrast: bool = False  # the clause after "but", "however"...: what the writer objects to


class SentenceVectors:
    """Sentence embeddings, computed once per distinct sentence text."""

    def __init__(self, embedder: Embedder, cache: dict[str, np.ndarray] | None = None) -> None:
        self.embedder = embedder
        self.cache: dict[str, np.ndarray] = cache if cache is not None else {}

    def get(self, texts: list[str]) -> np.ndarray:
        """Return the vectors of the texts, embedding only the ones not seen before."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self.cache[text] = vector
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


# "Customer:", "Agent (Tom):", "[00:03:40] Chloe:", "cust rang:" — who speaks, not what they say.
SPEAKER = re.compile(r"^(?:\[[\d:.]+\]\s*)?(?:[A-Za-z]+(?: [A-Za-z]+)?(?: \([^)]*\))?):\s+")
# Lines spoken by the company's side carry its words, not the customer's pain.
STAFF = re.compile(r"^(?:\[[\d:.]+\]\s*)?(?:agent|advisor|adviser|interviewer|moderator|staff|rep)\b", re.I)
CONTRAST = re.compile(
    r"\b(?:but|however|although|though|except|only (?:issue|problem|gripe) (?:is|was))\b[,:]?\s+", re.I
)


def record_units(record_id: str, text: str) -> list[Unit]:
    """Return the spans of a record worth matching: sentences, and clauses after a contrast word.

    Speaker labels are trimmed off and staff lines dropped. A record with no sentence of three
    words ("slow refund", "sizes not clear") is matched whole. The clause after a contrast word is
    a unit of its own, so "love the towels but the checkout was a nightmare" offers its complaint
    without the praise around it.
    """
    units: list[Unit] = []
    sentences: list[Unit] = [
        Unit(s.record_id, s.start, s.end, s.text) for s in split_sentences(record_id, text)
    ]
    if not sentences:
        stripped = text.strip()
        if stripped and not BOILERPLATE.match(stripped):
            whole = _span(record_id, text, text.index(stripped), text.index(stripped) + len(stripped))
            sentences = [whole] if whole else []
    for sentence in sentences:
        line_start = text.rfind("\n", 0, sentence.start) + 1
        if STAFF.match(text[line_start : sentence.end]):
            continue
        speaker = SPEAKER.match(sentence.text)
        whole = _span(record_id, text, sentence.start + (speaker.end() if speaker else 0), sentence.end)
        if whole is None:
            continue
        units.append(whole)
        match = CONTRAST.search(whole.text)
        if match and match.start() > 0:
            clause = _span(record_id, text, whole.start + match.end(), whole.end)
            if clause is not None:
                units.append(dataclasses.replace(clause, after_contrast=True))
    return units


def _span(record_id: str, text: str, start: int, end: int) -> Unit | None:
    piece = text[start:end]
    stripped = piece.strip()
    if len(stripped.split()) < MIN_UNIT_WORDS:
        return None
    begin = start + piece.index(stripped)
    return Unit(record_id, begin, begin + len(stripped), stripped)


def accept(best: np.ndarray, none: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Which units join their best theme."""
    confident = (best >= threshold) & (best > none)
    contrasted = (best >= FLOOR) & (best - none >= NONE_MARGIN)
    return confident | contrasted


def _top_mean(similarity: np.ndarray, top: int = TOP_EXAMPLES) -> np.ndarray:
    """Mean of each row's `top` largest values."""
    top = min(top, similarity.shape[1])
    return np.sort(similarity, axis=1)[:, -top:].mean(axis=1)


class ThemeFinder:
    """Finds a stage's themes among its candidate records."""

    def __init__(self, taxonomy: Taxonomy, vectors: SentenceVectors) -> None:
        self.taxonomy = taxonomy
        self.vectors = vectors
        self._thresholds: dict[str, float] = {}

    def threshold(self, definition: ThemeDef) -> float:
        """The score a unit needs to join a theme, derived from how alike the theme's examples are.

        Leave-one-out: each example is scored against the theme's other examples, as a customer's
        sentence would be; a tight theme (all examples say nearly the same) gets a higher bar than a
        broad one, instead of one global number that suits neither.
        """
        key = definition.id
        if key not in self._thresholds:
            matrix = self.vectors.get(definition.examples)
            similarity = matrix @ matrix.T
            np.fill_diagonal(similarity, -np.inf)
            loo = float(np.median(_top_mean(similarity)))
            self._thresholds[key] = float(np.clip(THRESHOLD_FACTOR * loo, THRESHOLD_MIN, THRESHOLD_MAX))
        return self._thresholds[key]

    def find(self, stage: str, stage_total: int, candidates: list[CandidateRecord]) -> list[Theme]:
        """Return the stage's themes, largest first; shares are of `stage_total` voices."""
        if not candidates or stage_total <= 0:
            return []
        themes, claimed = self._taxonomy_themes(stage, stage_total, candidates)
        rest = [c for c in candidates if c.id not in claimed and not c.mixed]
        themes += emergent_themes(stage, stage_total, rest)
        return sorted(themes, key=lambda t: (-t.count, t.id))

    def _taxonomy_themes(
        self, stage: str, stage_total: int, candidates: list[CandidateRecord]
    ) -> tuple[list[Theme], set[str]]:
        if not self.taxonomy.themes.get(stage):
            return [], set()
        # Every theme of every stage competes for a unit, the stage's own listed first: a record
        # the stage tagger placed here may still voice another stage's problem ("delivery cost only
        # shown at checkout" filed under delivery), and it should not be forced into the nearest
        # of this stage's themes.
        definitions = list(self.taxonomy.themes[stage])
        definitions += [d for s, ds in self.taxonomy.themes.items() if s != stage for d in ds]
        home = len(self.taxonomy.themes[stage])
        chosen = self._match(candidates, definitions)
        if not chosen:
            return [], set()
        members: dict[int, list[tuple[float, Unit]]] = defaultdict(list)
        for (theme_index, _), match in chosen.items():
            members[theme_index].append(match)
        # Another stage's theme is reported here only when as many records voice it as an emergent
        # theme needs; stray matches are left to emergent clustering, which may find what they share.
        foreign_minimum = max(EMERGENT_MIN_COUNT, int(EMERGENT_MIN_SHARE * stage_total))
        members = {i: m for i, m in members.items() if i < home or len(m) >= foreign_minimum}
        claimed = {u.record_id for matched in members.values() for _, u in matched}
        speaker = {c.id: c.speaker for c in candidates}
        themes = []
        for theme_index, matched in members.items():
            definition = definitions[theme_index]
            matched.sort(key=lambda m: -m[0])
            themes.append(
                Theme(
                    id=definition.id,
                    label=definition.label,
                    stage=stage,
                    origin="taxonomy",
                    record_ids=[u.record_id for _, u in matched],
                    count=len(voices := {speaker[u.record_id] for _, u in matched}),
                    share=len(voices) / stage_total,
                    quotes=[
                        Citation(evidence_id=u.record_id, quote=u.text) for _, u in matched[:QUOTES_PER_THEME]
                    ],
                    opportunity=definition.opportunity,
                )
            )
        return themes, claimed

    def _match(
        self, candidates: list[CandidateRecord], definitions: list[ThemeDef]
    ) -> dict[tuple[int, str], tuple[float, Unit]]:
        """Match every unit of the candidates against the definitions.

        Returns, per (definition index, record id), the best accepted unit and its score.
        """
        units = [u for c in candidates for u in record_units(c.id, c.text)]
        if not units or not definitions:
            return {}
        matrix = self.vectors.get([u.text for u in units])
        scores = np.stack([_top_mean(matrix @ self.vectors.get(d.examples).T) for d in definitions], axis=1)
        if self.taxonomy.no_problem:
            none = _top_mean(matrix @ self.vectors.get(self.taxonomy.no_problem).T)
        else:
            none = np.full(len(units), -1.0)
        thresholds = np.array([self.threshold(d) for d in definitions])
        best = scores.argmax(axis=1)
        best_score = scores[np.arange(len(units)), best]
        keep = accept(best_score, none, thresholds[best])
        # Polarity, which sentence embeddings hardly see ("arrived a week late" and "arrived the
        # next day" are close neighbours): a clearly positive unit names no problem.
        # In a record that is positive overall, only a negative unit or the clause after a contrast
        # is a complaint ("arrived the next day. Impressed." is praise however close "arrived" sits
        # to "arrived late"; "love the towels but the points weren't added" objects to the points).
        mixed = {c.id for c in candidates if c.mixed}
        for index in np.flatnonzero(keep):
            unit = units[index]
            polarity = sentiment_score(unit.text)
            strict = unit.record_id in mixed and not unit.after_contrast
            ceiling = MIXED_UNIT_MAX_SENTIMENT if strict else UNIT_MAX_SENTIMENT
            if polarity > ceiling:
                keep[index] = False
        # A record joins every theme one of its units names; the best unit becomes its quote.
        chosen: dict[tuple[int, str], tuple[float, Unit]] = {}
        for unit, theme_index, score, ok in zip(units, best, best_score, keep, strict=True):
            if not ok:
                continue
            key = (int(theme_index), unit.record_id)
            if key not in chosen or score > chosen[key][0]:
                chosen[key] = (float(score), unit)
        return chosen

    def complaint_stages(self, candidates: list[CandidateRecord]) -> dict[str, str]:
        """The stage of each record's main complaint, for records that voice a known pain point.

        A known pain point belongs to one stage: an irrelevant ad is an awareness problem even when
        the customer writes about it in a review of the app. The main complaint is the theme of
        the record's best-scoring unit.
        """
        pairs = [(stage, d) for stage, ds in self.taxonomy.themes.items() for d in ds]
        chosen = self._match(candidates, [d for _, d in pairs])
        best: dict[str, tuple[float, str]] = {}
        for (theme_index, record_id), (score, _) in chosen.items():
            if record_id not in best or score > best[record_id][0]:
                best[record_id] = (score, pairs[theme_index][0])
        return {record_id: stage for record_id, (_, stage) in best.items()}


def emergent_themes(stage: str, stage_total: int, records: list[CandidateRecord]) -> list[Theme]:
    """Group unclaimed records into communities of similar complaints, labelled by their words."""
    minimum = max(EMERGENT_MIN_COUNT, int(EMERGENT_MIN_SHARE * stage_total))
    if len(records) < minimum:
        return []
    matrix = np.stack([r.vector for r in records])
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -1.0)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(records)))
    neighbours = min(8, len(records) - 1)
    for a in range(len(records)):
        for b in np.argsort(-similarity[a])[:neighbours]:
            if similarity[a, b] > 0.35:
                graph.add_edge(a, int(b), weight=float(similarity[a, b]))
    communities = [
        sorted(c)
        for c in nx.community.louvain_communities(graph, weight="weight", seed=0)
        if len(c) >= minimum
    ]
    labels = distinctive_words([[records[i].text for i in c] for c in communities])
    themes = []
    for number, (community, words) in enumerate(zip(communities, labels, strict=True), start=1):
        centre = matrix[community].mean(axis=0)
        closest = sorted(community, key=lambda i: -float(matrix[i] @ centre))
        quotes = []
        for i in closest:
            units = record_units(records[i].id, records[i].text)
            if units:
                quotes.append(Citation(evidence_id=records[i].id, quote=units[0].text))
            if len(quotes) == QUOTES_PER_THEME:
                break
        if not quotes:
            continue  # a theme nobody can be quoted on (one-word titles) is not shown as data
        themes.append(
            Theme(
                id=f"emergent_{stage}_{number}",
                label="Other: " + ", ".join(words) if words else f"Other {stage} issues",
                stage=stage,
                origin="emergent",
                record_ids=[records[i].id for i in community],
                count=len(voices := {records[i].speaker for i in community}),
                share=len(voices) / stage_total,
                quotes=quotes,
            )
        )
    return themes


def distinctive_words(groups: list[list[str]], top: int = 3) -> list[list[str]]:
    """Return each group's most distinctive words (class-based TF-IDF over the groups)."""
    if not groups:
        return []
    documents = [" ".join(g) for g in groups]
    vectorizer = CountVectorizer(
        stop_words="english", ngram_range=(1, 2), min_df=1, token_pattern=r"(?u)\b[a-zA-Z]{3,}\b"
    )
    try:
        counts = vectorizer.fit_transform(documents).toarray().astype(float)
    except ValueError:  # nothing but stop words
        return [[] for _ in groups]
    terms = vectorizer.get_feature_names_out()
    frequency = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    idf = np.log(1 + counts.sum() / np.maximum(counts.sum(axis=0), 1.0))
    weights = frequency * idf
    result = []
    for row in weights:
        chosen: list[str] = []
        for index in np.argsort(-row):
            term = str(terms[index])
            if row[index] <= 0 or len(chosen) == top:
                break
            if not any(term in c or c in term for c in chosen):
                chosen.append(term)
        result.append(chosen)
    return result
