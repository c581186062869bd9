"""Themes per stage: a pain-point taxonomy matched sentence by sentence, plus emergent clusters.

Each record of a stage that is not clearly positive is split into sentences; a sentence's score
for a theme is its mean similarity to the theme's two closest examples, and a record joins the
theme its best sentence matches, when that score clears a threshold. Matching sentences rather
than whole records matters: an e-mail's greeting, order number and sign-off dilute a whole-record
embedding, while the one sentence that names the problem matches cleanly — and becomes the quote.
Records no taxonomy theme claims are grouped into emergent themes (Louvain communities of a
nearest-neighbour graph), labelled by their most distinctive words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from sklearn.feature_extraction.text import CountVectorizer

from assistant.analysis.sentences import Sentence, split_sentences
from assistant.embeddings import Embedder
from assistant.errors import ConfigError
from assistant.models import Citation

TAXONOMIES = Path(__file__).resolve().parents[1] / "taxonomies"
MATCH_THRESHOLD = 0.40  # chosen on the sample base; see evals/draft.py for the measured effect
TOP_EXAMPLES = 2
EMERGENT_MIN_SHARE = 0.04
EMERGENT_MIN_COUNT = 4
QUOTES_PER_THEME = 3


class ThemeDef(BaseModel):
    """A known pain point: an id, a readable label, and how customers put it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    opportunity: str | None = None  # the usual remedy, proposed as the map's opportunity
    examples: list[str]


class Taxonomy(BaseModel):
    """Known pain points by stage id."""

    model_config = ConfigDict(extra="forbid")

    name: str
    themes: dict[str, list[ThemeDef]]


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
    share: float
    quotes: list[Citation] = field(default_factory=list)
    opportunity: str | None = None

    @property
    def count(self) -> int:
        """How many records show the theme."""
        return len(self.record_ids)


@dataclass
class CandidateRecord:
    """A record that may show a pain point: its id, text and whole-record vector."""

    id: str
    text: str
    vector: np.ndarray


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


class ThemeFinder:
    """Finds a stage's themes among its candidate records."""

    def __init__(self, taxonomy: Taxonomy, vectors: SentenceVectors, threshold: float = MATCH_THRESHOLD) -> None:
        self.taxonomy = taxonomy
        self.vectors = vectors
        self.threshold = threshold

    def find(self, stage: str, stage_total: int, candidates: list[CandidateRecord]) -> list[Theme]:
        """Return the stage's themes, largest first; shares are of all `stage_total` records."""
        if not candidates or stage_total <= 0:
            return []
        themes, claimed = self._taxonomy_themes(stage, stage_total, candidates)
        rest = [c for c in candidates if c.id not in claimed]
        themes += emergent_themes(stage, stage_total, rest)
        return sorted(themes, key=lambda t: -t.count)

    def _taxonomy_themes(
        self, stage: str, stage_total: int, candidates: list[CandidateRecord]
    ) -> tuple[list[Theme], set[str]]:
        definitions = self.taxonomy.themes.get(stage, [])
        if not definitions:
            return [], set()
        sentences = [s for c in candidates for s in split_sentences(c.id, c.text)]
        if not sentences:
            return [], set()
        matrix = self.vectors.get([s.text for s in sentences])
        # sentence x theme score: mean similarity to the theme's closest examples.
        scores = np.stack(
            [
                np.sort(matrix @ self.vectors.get(d.examples).T, axis=1)[:, -TOP_EXAMPLES:].mean(axis=1)
                for d in definitions
            ],
            axis=1,
        )
        best_by_record: dict[str, tuple[float, int, Sentence]] = {}
        for sentence, row in zip(sentences, scores, strict=True):
            theme_index = int(row.argmax())
            score = float(row[theme_index])
            current = best_by_record.get(sentence.record_id)
            if current is None or score > current[0]:
                best_by_record[sentence.record_id] = (score, theme_index, sentence)
        members: dict[int, list[tuple[float, Sentence]]] = defaultdict(list)
        for score, theme_index, sentence in best_by_record.values():
            if score >= self.threshold:
                members[theme_index].append((score, sentence))
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
                    record_ids=[s.record_id for _, s in matched],
                    share=len(matched) / stage_total,
                    quotes=[Citation(evidence_id=s.record_id, quote=s.text) for _, s in matched[:QUOTES_PER_THEME]],
                    opportunity=definition.opportunity,
                )
            )
        claimed = {rid for theme in themes for rid in theme.record_ids}
        return themes, claimed


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
        sorted(c) for c in nx.community.louvain_communities(graph, weight="weight", seed=0) if len(c) >= minimum
    ]
    labels = distinctive_words([[records[i].text for i in c] for c in communities])
    themes = []
    for number, (community, words) in enumerate(zip(communities, labels, strict=True), start=1):
        centre = matrix[community].mean(axis=0)
        closest = sorted(community, key=lambda i: -float(matrix[i] @ centre))
        quotes = []
        for i in closest[:QUOTES_PER_THEME]:
            sentences = split_sentences(records[i].id, records[i].text)
            if sentences:
                quotes.append(Citation(evidence_id=records[i].id, quote=sentences[0].text))
        themes.append(
            Theme(
                id=f"emergent_{stage}_{number}",
                label="Other: " + ", ".join(words) if words else f"Other {stage} issues",
                stage=stage,
                origin="emergent",
                record_ids=[records[i].id for i in community],
                share=len(community) / stage_total,
                quotes=quotes,
            )
        )
    return themes


def distinctive_words(groups: list[list[str]], top: int = 3) -> list[list[str]]:
    """Return each group's most distinctive words (class-based TF-IDF over the groups)."""
    if not groups:
        return []
    documents = [" ".join(g) for g in groups]
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1, token_pattern=r"(?u)\b[a-zA-Z]{3,}\b")
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

