"""Personas from the evidence: segment shares, voiced goals and frustrations, real quotes.

`build_persona` describes one group of records; `propose_personas` finds 2-4 groups of customers
that differ in their segment attributes and in what they say (k-means over one-hot segments and
the records' embeddings, k chosen by silhouette); `select_records` picks a persona's records by
its name or by free text.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from assistant.analysis.digest import AnalysedRecord, Digest, segment_attributes
from assistant.analysis.sentences import split_sentences
from assistant.analysis.sentiment import sentiment_label
from assistant.maps.models import Frequency, Persona, PersonaTrait
from assistant.models import Citation

GOAL = re.compile(
    r"\b(i (just )?(want|wanted|need|needed)|looking for|hoping to|trying to|so that|i'd like)\b", re.I
)
MOTIVATION = re.compile(r"\b(love|like|because|quality|value|price|recommend|favourite|always buy)\b", re.I)
BEHAVIOUR = re.compile(r"\b(usually|always|every time|often|mostly|tend to|i (order|shop|buy|use))\b", re.I)
MAX_SEGMENT_TRAITS = 4
MIN_PERSONA_RECORDS = 25
SEGMENT_WEIGHT = 1.5  # how much segment attributes count against what people say, when clustering


def _cite_sentences(
    records: list[AnalysedRecord], pattern: re.Pattern[str], sentiment: str | None, limit: int
) -> list[Citation]:
    found: list[Citation] = []
    for record in sorted(records, key=lambda r: len(r.text)):
        if sentiment and sentiment_label(record.sentiment) != sentiment:
            continue
        for sentence in split_sentences(record.id, record.text):
            if pattern.search(sentence.text) and 4 <= len(sentence.text.split()) <= 30:
                found.append(Citation(evidence_id=record.id, quote=sentence.text))
                break
        if len(found) == limit:
            break
    return found


def _first_sentence(record: AnalysedRecord) -> Citation:
    sentences = split_sentences(record.id, record.text)
    return Citation(evidence_id=record.id, quote=sentences[0].text if sentences else record.text.strip())


def segment_traits(records: list[AnalysedRecord], everyone: list[AnalysedRecord]) -> list[PersonaTrait]:
    """Demographic traits: each segment's most over-represented value, with its share (cited)."""
    traits = []
    for attribute in segment_attributes(everyone)[:12]:
        having = [r for r in records if attribute in r.attributes]
        if len(having) < 5:
            continue
        counts = Counter(str(r.attributes[attribute]).lower() for r in having)
        overall = Counter(str(r.attributes[attribute]).lower() for r in everyone if attribute in r.attributes)
        total_overall = sum(overall.values())

        lift = {v: (counts[v] / len(having)) / max(overall[v] / total_overall, 1e-9) for v in counts}
        # The most common value, unless another value is both common and clearly over-represented.
        value = max(counts, key=lambda v: (counts[v] / len(having) >= 0.25 and lift[v] >= 1.2, counts[v]))
        share = counts[value] / len(having)
        example = next(r for r in having if str(r.attributes[attribute]).lower() == value)
        traits.append(
            PersonaTrait(
                category="demographic",
                text=f"{attribute.replace('_', ' ')}: {value} "
                f"({share:.0%} of {len(having)} records with a {attribute})",
                basis="data",
                evidence=[_first_sentence(example)],
            )
        )
    traits.sort(key=lambda t: -float(re.search(r"\((\d+)%", t.text).group(1)))  # type: ignore[union-attr]
    return traits[:MAX_SEGMENT_TRAITS]


def build_persona(
    records: list[AnalysedRecord], everyone: list[AnalysedRecord], digest: Digest, name: str | None = None
) -> Persona:
    """Describe a group of records as a persona; traits the data does not voice are assumptions."""
    demographics = segment_traits(records, everyone)
    traits = list(demographics)
    for category, pattern, sentiment, fallback in (
        ("goal", GOAL, None, "Get the right product delivered without surprises"),
        ("motivation", MOTIVATION, "positive", "Values quality home goods at a fair price"),
        ("behaviour", BEHAVIOUR, None, "Shops online, mostly on one device"),
    ):
        cited = _cite_sentences(records, pattern, sentiment, 2)
        if cited:
            traits += [
                PersonaTrait(category=category, text=f"Says: “{c.quote}”", basis="data", evidence=[c])  # type: ignore[arg-type]
                for c in cited
            ]
        else:
            traits.append(
                PersonaTrait(
                    category=category,  # type: ignore[arg-type]
                    text=f"{fallback} (not voiced in the evidence: an assumption)",
                    basis="assumption",
                )
            )
    themes = sorted((t for s in digest.stages for t in s.themes), key=lambda t: -t.count)[:3]
    for theme in themes:
        traits.append(
            PersonaTrait(
                category="frustration",
                text=f"{theme.label} ({theme.count} records)",
                basis="data",
                evidence=theme.quotes[:1],
            )
        )
    label = name or _name_from(demographics)
    summary_parts = [t.text.split(" records with")[0] + ")" for t in demographics[:3]]
    summary = f"Built from {len(records)} of {len(everyone)} evidence records" + (
        ": " + "; ".join(summary_parts) + "." if summary_parts else "."
    )
    quotes = _cite_sentences(records, re.compile(r"\w"), "negative", 2) + _cite_sentences(
        records, re.compile(r"\w"), "positive", 1
    )
    return Persona(
        name=label,
        summary=summary,
        size=Frequency(count=len(records), share=round(len(records) / max(len(everyone), 1), 4)),
        traits=traits,
        quotes=quotes,
    )


def _name_from(demographics: list[PersonaTrait]) -> str:
    values = [t.text.split(": ", 1)[1].split(" (")[0] for t in demographics[:2]]
    return ("Customer: " + ", ".join(values)) if values else "All customers"


def _features(records: list[AnalysedRecord], attributes: list[str]) -> np.ndarray:
    columns = [
        (a, v)
        for a in attributes
        for v in sorted({str(r.attributes[a]).lower() for r in records if a in r.attributes})
    ]
    onehot = np.array(
        [[1.0 if str(r.attributes.get(a, "")).lower() == v else 0.0 for a, v in columns] for r in records]
    )
    if onehot.size:
        onehot *= SEGMENT_WEIGHT / np.sqrt(max(len(attributes), 1))
    vectors = np.stack([r.vector for r in records])
    return np.hstack([onehot, vectors]) if onehot.size else vectors


def propose_personas(
    records: list[AnalysedRecord], max_personas: int = 4
) -> list[tuple[str, list[AnalysedRecord]]]:
    """Group customers into 2-4 personas; return (name, records) pairs, largest first."""
    attributes = segment_attributes(records)
    people = [r for r in records if any(a in r.attributes for a in attributes)] or records
    if len(people) < 2 * MIN_PERSONA_RECORDS:
        return [("All customers", records)]
    features = _features(people, attributes)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, max_personas + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(features)
        if min(Counter(labels).values()) < MIN_PERSONA_RECORDS:
            continue
        score = float(silhouette_score(features, labels, sample_size=min(2000, len(people)), random_state=0))
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        return [("All customers", records)]
    groups: dict[int, list[AnalysedRecord]] = {}
    for record, label in zip(people, best[1], strict=True):
        groups.setdefault(int(label), []).append(record)
    named = []
    for group in sorted(groups.values(), key=len, reverse=True):
        named.append((_name_from(segment_traits(group, records)), group))
    return named


def select_records(
    records: list[AnalysedRecord], query: str, query_vector: np.ndarray, keep: float = 0.3
) -> list[AnalysedRecord]:
    """Pick the records a free-text persona describes: attribute values it names, else similar records."""
    words = {w.lower() for w in re.findall(r"[\w-]+", query)}
    attributes = segment_attributes(records)
    wanted: dict[str, set[str]] = {}
    for attribute in attributes:
        values = {str(r.attributes[attribute]).lower() for r in records if attribute in r.attributes}
        hits = {v for v in values if v in words or v.replace("_", "-") in words or f"{v}-first" in words}
        if hits:
            wanted[attribute] = hits
    if wanted:
        chosen = [
            r for r in records if all(str(r.attributes.get(a, "")).lower() in v for a, v in wanted.items())
        ]
        if len(chosen) >= MIN_PERSONA_RECORDS:
            return chosen
    scores = np.stack([r.vector for r in records]) @ query_vector
    cutoff = np.quantile(scores, 1 - keep)
    return [r for r, s in zip(records, scores, strict=True) if s >= cutoff]
