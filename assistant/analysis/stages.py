"""Journey stages: configurable stage sets (YAML) and a tagger that puts each record in a stage.

A stage set is a YAML file (see `assistant/stagesets/ecommerce.yaml`): per stage an id, a name, a
description from the customer's side, 10-20 example utterances, keywords, the owning department and a
KPI catalogue. `load_stage_set` takes a bundled name (`ecommerce`, the default, or `saas`) or a path to
the user's own file.

`StageTagger` needs no training data of the user's: each stage's description and examples are its
prototypes. A record's stage score is its embedding's similarity to the stage's prototypes (the mean
of the best and the mean of the top three, after removing most of the mean prototype vector from both
sides, so that what all customer feedback shares does not decide) plus a bonus for stemmed keyword
hits (longest phrase wins, so "delivery charge" counts for purchase, not "delivery" for delivery). A built-in
pseudo-stage of off-topic prototypes ("lovely weather today", "why is this survey so long") competes
with the real stages; the tagger abstains (`stage=None`) when it wins, when the best stage is only
weakly similar and no keyword backs it, or when the text has no words. App/software complaints with no
journey step in them ("the app keeps asking me to update") count as off-topic. The record's kind
(ticket, review, ...) may add a small prior (none by default). Confidence is the softmax share of the
chosen class (for an abstention: how sure it is that no stage fits).

With the records' vectors given (unit-normalised, from the same embedder as the prototypes), tagging
is a matrix product plus a keyword scan: about 5,000-13,000 records a second on one CPU core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import ConfigError
from assistant.funnels.steps import StepTable, resolve_step_file, step_table

if TYPE_CHECKING:
    from assistant.embeddings import Embedder

DEFAULT_STAGE_SET = "ecommerce"

# Utterances that belong to no journey stage. They form a competing "none" class, so that a record
# closer to these than to any stage is left untagged. Written by hand, generic across stage sets.
OFF_TOPIC_EXAMPLES: tuple[str, ...] = (
    "Lovely weather today.",
    "Happy new year everyone!",
    "test",
    "n/a",
    "Nothing to add.",
    "No comment.",
    "Why is this survey so long?",
    "Too many questions in this questionnaire.",
    "Who won the football last night?",
    "Do you have any job vacancies?",
    "Is this a real person or a bot?",
    "Please stop sending me these surveys.",
    "I found a lost dog in the park.",
    "What time is it in New York?",
    "The app keeps asking me to update.",
    "The app drains my phone battery.",
    "Can you tell me a joke?",
    "Hello?",
    "Thank you!",
    "Ok thanks.",
    "My neighbour's cat keeps coming into the garden.",
    "I am writing my dissertation and would like to interview your staff.",
    # Praise or wishes with nothing to place them in the journey.
    "Love it",
    "Could be better.",
    "Nice design.",
    "Great app, five stars.",
    "Please add dark mode.",
    "Love the new logo.",
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class KPIDef(_Strict):
    """A KPI in a stage's catalogue; funnel KPIs name the steps they convert between."""

    name: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    funnel_from: str | None = Field(default=None, description="A step id of the stage set's funnel steps.")
    funnel_to: str | None = None


class StageDef(_Strict):
    """One journey stage: what happens in it, typical utterances, keywords, owner and KPIs."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    examples: list[str] = Field(min_length=1)
    keywords: list[str] = Field(default_factory=list)
    owner: str = Field(min_length=1)
    kpis: list[KPIDef] = Field(default_factory=list)

    @field_validator("examples", "keywords")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("entries must not be blank")
        return values


class StageSet(_Strict):
    """A named, ordered list of journey stages with unique ids."""

    name: str = Field(min_length=1)
    stages: list[StageDef] = Field(min_length=1)
    funnel_steps: str | dict[str, Any] | None = Field(
        default=None,
        description="The funnel steps file (bundled name or path beside the stage set) or its mapping; "
        "KPIs' funnel_from / funnel_to name its step ids.",
    )

    @field_validator("stages")
    @classmethod
    def _unique_ids(cls, stages: list[StageDef]) -> list[StageDef]:
        seen: set[str] = set()
        for stage in stages:
            if stage.id in seen:
                raise ValueError(f"duplicate stage id {stage.id!r}")
            seen.add(stage.id)
        return stages

    @model_validator(mode="after")
    def _known_steps(self) -> StageSet:
        try:
            table = self.step_table()
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        for i, stage in enumerate(self.stages):
            for j, kpi in enumerate(stage.kpis):
                for key, value in (("funnel_from", kpi.funnel_from), ("funnel_to", kpi.funnel_to)):
                    if value is not None and not table.known(value):
                        raise ValueError(
                            f"stages[{i}].kpis[{j}].{key}: unknown funnel step {value!r}; "
                            f"use one of {', '.join(table.steps)} (funnel steps: {table.origin})"
                        )
                ends = kpi.funnel_from, kpi.funnel_to
                if ends[0] and ends[1] and table.order(ends[0]) >= table.order(ends[1]):
                    raise ValueError(
                        f"stages[{i}].kpis[{j}]: funnel_from {kpi.funnel_from!r} "
                        f"must come before funnel_to {kpi.funnel_to!r}"
                    )
        return self

    def step_table(self) -> StepTable:
        """The funnel steps this stage set's KPIs name, with the names analytics tools give them."""
        return step_table(self.funnel_steps)

    @property
    def ids(self) -> list[str]:
        """Stage ids in journey order."""
        return [s.id for s in self.stages]

    def get(self, stage_id: str) -> StageDef:
        """Return the stage with this id (KeyError if none)."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


def bundled_stage_sets() -> list[str]:
    """Names of the stage sets shipped with the package."""
    folder = resources.files("assistant.stagesets")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _format_loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def load_stage_set(name_or_path: str | Path = DEFAULT_STAGE_SET) -> StageSet:
    """Load a bundled stage set by name or a user's stage set YAML by path.

    Raises:
        ConfigError: the file is missing, is not YAML, or a field is missing or invalid; the message
            names the file and the field (e.g. `stages[2].examples`).
    """
    text: str
    where: str
    candidate = Path(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in bundled_stage_sets():
        resource = resources.files("assistant.stagesets") / f"{name_or_path}.yaml"
        text, where = resource.read_text(encoding="utf-8"), f"bundled stage set {name_or_path!r}"
    elif candidate.suffix.lower() in {".yaml", ".yml"} or candidate.exists():
        if not candidate.is_file():
            raise ConfigError(
                f"stage set file {candidate} not found — give a YAML path or one of "
                f"{', '.join(bundled_stage_sets())}"
            )
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"stage set file {candidate} could not be read: {exc}") from exc
        where = f"stage set file {candidate}"
    else:
        raise ConfigError(
            f"unknown stage set {str(name_or_path)!r} — use one of "
            f"{', '.join(bundled_stage_sets())} or a path to a .yaml file"
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with `name` and `stages`, got {type(data).__name__}")
    if isinstance(data.get("funnel_steps"), str):
        # A steps file named by the stage set is found beside it, then among the bundled lexicons.
        folder = None if where.startswith("bundled") else candidate.resolve().parent
        data["funnel_steps"] = resolve_step_file(data["funnel_steps"], folder)
    try:
        return StageSet.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_format_loc(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{where}: {problems}") from exc


@dataclass
class StageAssignment:
    """The stage given to one record; `stage=None` means no stage (off-topic or too vague)."""

    stage: str | None
    confidence: float


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def stem_tokens(text: str) -> list[str]:
    """Lower-case, split into words (apostrophes dropped) and stem them."""
    return [_stem(w.replace("'", "").replace("’", "")) for w in _WORD.findall(text.lower())]


class _KeywordIndex:
    """Leftmost-longest matching of stemmed keyword phrases; a phrase of n words scores n."""

    def __init__(self, keywords_by_class: Sequence[Sequence[str]]) -> None:
        self.n_classes = len(keywords_by_class)
        self._phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, keywords in enumerate(keywords_by_class):
            for keyword in keywords:
                stems = tuple(stem_tokens(keyword))
                if stems:
                    self._phrases.setdefault(stems[0], []).append((stems, index))
        for candidates in self._phrases.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def hits(self, tokens: list[str]) -> np.ndarray:
        """Keyword weight per class found in a stemmed token list."""
        out = np.zeros(self.n_classes, dtype=np.float32)
        i = 0
        while i < len(tokens):
            best = 0
            for stems, index in self._phrases.get(tokens[i], ()):
                size = len(stems)
                if size < best:
                    break
                if tuple(tokens[i : i + size]) == stems:
                    best = size
                    out[index] += size
            i += best or 1
        return out


# A prior by record kind, added to the stage score (cosine units), e.g. {"ticket": {"support": 0.02}}.
# Empty by default: a ticket or a review can be about any stage, and the text should decide.
DEFAULT_KIND_PRIOR: dict[str, dict[str, float]] = {}

_PROTOTYPE_CACHE: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}


class StageTagger:
    """Assigns each record a stage of a stage set by prototype similarity plus keyword evidence.

    Args:
        stage_set: the stages to choose from.
        embedder: embeds the prototypes, and the records when no vectors are given. Pass the store's
            embedder so that prototypes and stored vectors share one space (MiniLM by default).
        keyword_weight: bonus per stage for `log1p(keyword hits)`, in cosine units.
        top_k: prototype score = mean of the best similarity and the mean of the top k.
        centre: share of the mean prototype vector removed from records and prototypes before the
            cosine; it takes out what all customer feedback has in common, so the stage-specific
            part decides.
        min_similarity: below this best-stage score, and with no keyword hit, the tagger abstains.
        temperature: softmax temperature for the confidence.
        kind_prior: per record kind, a bonus per stage id (small; breaks near-ties only).
    """

    def __init__(
        self,
        stage_set: StageSet,
        embedder: Embedder | None = None,
        *,
        keyword_weight: float = 0.06,
        top_k: int = 3,
        centre: float = 0.8,
        min_similarity: float = 0.2,
        temperature: float = 0.05,
        kind_prior: dict[str, dict[str, float]] | None = None,
    ) -> None:
        self.stage_set = stage_set
        self._embedder = embedder
        self.keyword_weight = keyword_weight
        self.top_k = top_k
        self.centre = centre
        self.min_similarity = min_similarity
        self.temperature = temperature
        self.kind_prior = DEFAULT_KIND_PRIOR if kind_prior is None else kind_prior
        self.ids = stage_set.ids
        # Prototype texts per class; the last class is the off-topic pseudo-stage.
        self._texts: list[list[str]] = [[s.description, *s.examples] for s in stage_set.stages]
        self._texts.append(list(OFF_TOPIC_EXAMPLES))
        self._owner = np.concatenate([np.full(len(t), i) for i, t in enumerate(self._texts)])
        self._keywords = _KeywordIndex([s.keywords for s in stage_set.stages])
        self._prototypes: np.ndarray | None = None
        self._mean: np.ndarray | None = None

    @property
    def embedder(self) -> Embedder:
        """The embedder for prototypes and for records given without vectors (MiniLM by default)."""
        if self._embedder is None:
            from assistant.embeddings import MiniLMEmbedder

            self._embedder = MiniLMEmbedder()
        return self._embedder

    def prepare(self) -> None:
        """Embed the prototypes now (about a second) rather than on the first `tag` call."""
        self._prepare()

    def _prepare(self) -> tuple[np.ndarray, np.ndarray]:
        if self._prototypes is None or self._mean is None:
            flat = tuple(t for texts in self._texts for t in texts)
            key = (getattr(self.embedder, "name", type(self.embedder).__name__), flat)
            if key not in _PROTOTYPE_CACHE:
                embedded = self.embedder.embed_documents(list(flat))
                _PROTOTYPE_CACHE[key] = np.asarray(embedded, dtype=np.float32)
            raw = _PROTOTYPE_CACHE[key]
            self._mean = (self.centre * raw.mean(axis=0)).astype(np.float32)
            self._prototypes = _unit(raw - self._mean)
        return self._prototypes, self._mean

    def similarity(self, vectors: np.ndarray) -> np.ndarray:
        """Prototype score per class (stages, then off-topic), shape (records, stages + 1)."""
        prototypes, mean = self._prepare()
        sims = _unit(np.asarray(vectors, dtype=np.float32) - mean) @ prototypes.T
        out = np.empty((sims.shape[0], len(self._texts)), dtype=np.float32)
        for index in range(len(self._texts)):
            block = sims[:, self._owner == index]
            k = min(self.top_k, block.shape[1])
            top = -np.partition(-block, k - 1, axis=1)[:, :k]
            out[:, index] = 0.5 * top.max(axis=1) + 0.5 * top.mean(axis=1)
        return out

    def keyword_hits(self, texts: list[str]) -> np.ndarray:
        """Weighted keyword hits per stage, one row per text."""
        out = np.zeros((len(texts), len(self.ids)), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._keywords.hits(stem_tokens(text))
        return out

    def _vectors(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        if vectors is not None:
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2 or len(vectors) != len(texts):
                raise ValueError(f"expected one vector per text ({len(texts)}), got shape {vectors.shape}")
            return vectors
        dim = self._prepare()[0].shape[1]
        out = np.zeros((len(texts), dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if _WORD.search(t)]
        if todo:
            out[todo] = self.embedder.embed_documents([texts[i] for i in todo])
        return out

    def scores(
        self, texts: list[str], vectors: np.ndarray | None = None, kinds: list[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Combined score per class (last column: off-topic) and the keyword hits per stage."""
        scores = self.similarity(self._vectors(texts, vectors))
        hits = self.keyword_hits(texts)
        scores[:, :-1] += self.keyword_weight * np.log1p(hits)
        for row, kind in enumerate(kinds or []):
            for stage_id, bonus in self.kind_prior.get(kind, {}).items():
                if stage_id in self.ids:
                    scores[row, self.ids.index(stage_id)] += bonus
        return scores, hits

    def tag(
        self, texts: list[str], vectors: np.ndarray | None = None, kinds: list[str] | None = None
    ) -> list[StageAssignment]:
        """Tag each text with a stage id, or None when it is off-topic or too vague.

        Args:
            texts: the records' texts.
            vectors: their unit-normalised embeddings from the same embedder, if the caller has them;
                then the texts are not embedded again (they are still scanned for keywords).
            kinds: the records' kinds (ticket, review, ...), for the optional kind prior.
        """
        if not texts:
            return []
        if kinds is not None and len(kinds) != len(texts):
            raise ValueError(f"got {len(kinds)} kinds for {len(texts)} texts")
        scores, hits = self.scores(texts, vectors, kinds)
        logits = scores / self.temperature
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        none = len(self.ids)
        best = scores[:, :none].argmax(axis=1)
        best_score = scores[np.arange(len(texts)), best]
        weak = (best_score < self.min_similarity) & (hits.sum(axis=1) == 0)
        off_topic = scores[:, none] >= best_score
        out: list[StageAssignment] = []
        for row, text in enumerate(texts):
            if not _WORD.search(text):
                out.append(StageAssignment(None, 1.0))
            elif weak[row] or off_topic[row]:
                certainty = max(probs[row, none], 1 - probs[row, best[row]])
                out.append(StageAssignment(None, round(float(certainty), 4)))
            else:
                out.append(StageAssignment(self.ids[best[row]], round(float(probs[row, best[row]]), 4)))
        return out


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
