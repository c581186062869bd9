"""The language data the profiler reads: header cues and value vocabularies (funnel steps: funnels.steps)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

import yaml

from assistant.errors import ConfigError

_SEPARATORS = re.compile(r"[_\-.\s/:]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[\w']+")


def normalise_header(header: str) -> str:
    """Lower-case a header with `_ - . /` and camelCase boundaries read as spaces."""
    spaced = _CAMEL.sub(" ", header.strip())
    return _SEPARATORS.sub(" ", spaced).strip().lower()


@dataclass(frozen=True)
class ColumnLexicon:
    """Header cues per role and the value vocabularies of one language."""

    missing: frozenset[str]
    cues: dict[str, re.Pattern[str]]
    company_speakers: frozenset[str]
    customer_speakers: frozenset[str]
    flag_pairs: tuple[tuple[str, str], ...]
    likert_scales: tuple[tuple[str, ...], ...]
    separators: tuple[str, ...]
    kind_cues: dict[str, re.Pattern[str]]
    kind_cues_without_text: dict[str, re.Pattern[str]]
    prose_cues: dict[str, re.Pattern[str]]
    file_name_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    first_person: frozenset[str] = frozenset()
    dataset_splits: frozenset[str] = frozenset()
    system_columns: re.Pattern[str] | None = None
    degree_words: tuple[str, ...] = ()
    negating_prefixes: tuple[str, ...] = ()
    scale_middles: frozenset[str] = frozenset()
    frequency_words: frozenset[str] = frozenset()
    unchosen: frozenset[str] = frozenset()
    anchors_high: frozenset[str] = frozenset()
    anchors_low: frozenset[str] = frozenset()
    subheader_plain: frozenset[str] = frozenset()
    subheader_other: frozenset[str] = frozenset()
    catch_all_answers: frozenset[str] = frozenset()
    excess_word: str = ""
    excess_middles: frozenset[str] = frozenset()
    excess_pairs: tuple[tuple[str, str], ...] = ()

    @cached_property
    def answer_words(self) -> frozenset[str]:
        """The words of the yes/no pairs ("yes", "no", "true", …), leaving out digit codes."""
        return frozenset(w for pair in self.flag_pairs for w in pair if w.isalpha())

    @cached_property
    def yes_for_no(self) -> dict[str, str]:
        """Each no word's yes word ("no" -> "yes")."""
        return {no: yes for yes, no in self.flag_pairs}

    def cue(self, role: str, header: str) -> bool:
        """Whether the (normalised) header carries the cue of a role."""
        pattern = self.cues.get(role)
        return bool(pattern and pattern.search(header))

    def system_column(self, raw_header: str) -> bool:
        """Whether a header, as written, names a loader's bookkeeping column."""
        return bool(self.system_columns and self.system_columns.search(raw_header.strip()))

    def speaks_as_self(self, text: str) -> bool:
        """Whether a text uses a first-person word: someone writing about themself."""
        return any(word in self.first_person for word in _WORD.findall(text.lower()))


def read_bundled(name: str) -> dict[str, object]:
    """A YAML mapping shipped in assistant/lexicons; a clear error when it is unreadable."""
    try:
        text = resources.files("assistant.lexicons").joinpath(name).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the bundled lexicon {name}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the bundled lexicon {name} is not a mapping")
    return data


def _words(values: object) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in (values or []))  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def column_lexicon() -> ColumnLexicon:
    """The bundled English column lexicon."""
    data = read_bundled("columns.yaml")
    cues_raw = data.get("header_cues") or {}
    assert isinstance(cues_raw, dict)
    cues = _patterns(cues_raw)
    pairs = tuple((str(a).lower(), str(b).lower()) for a, b in data.get("flag_pairs") or [])  # type: ignore[attr-defined]
    scales = tuple(tuple(str(w).lower() for w in scale) for scale in data.get("likert_scales") or [])  # type: ignore[attr-defined]
    excess = data.get("excess_scale") or {}
    assert isinstance(excess, dict)
    return ColumnLexicon(
        missing=_words(data.get("missing_values")),
        cues=cues,
        company_speakers=_words(data.get("company_speakers")),
        customer_speakers=_words(data.get("customer_speakers")),
        flag_pairs=pairs,
        likert_scales=scales,
        separators=tuple(str(s) for s in data.get("multi_select_separators") or []),  # type: ignore[attr-defined]
        kind_cues=_patterns(data.get("kind_cues") or {}, re.IGNORECASE),
        kind_cues_without_text=_patterns(data.get("kind_cues_without_text") or {}, re.IGNORECASE),
        # Prose cues are case-sensitive: "I" the pronoun, not the letter in a word.
        prose_cues=_patterns(data.get("prose_cues") or {}, 0),
        file_name_cues=_patterns(data.get("file_name_cues") or {}, re.IGNORECASE),
        first_person=_words(data.get("first_person")),
        dataset_splits=_words(data.get("dataset_split_values")),
        system_columns=re.compile(str(data["system_columns"])) if data.get("system_columns") else None,
        degree_words=tuple(str(w).lower() for w in data.get("degree_words") or []),  # type: ignore[attr-defined]
        scale_middles=_words(data.get("scale_middles")),
        frequency_words=_words(data.get("frequency_words")),
        unchosen=_words(data.get("unchosen_values")),
        negating_prefixes=tuple(str(w).lower() for w in data.get("negating_prefixes") or []),  # type: ignore[attr-defined]
        anchors_high=_words((data.get("scale_anchors") or {}).get("high")),  # type: ignore[attr-defined]
        anchors_low=_words((data.get("scale_anchors") or {}).get("low")),  # type: ignore[attr-defined]
        subheader_plain=_words((data.get("subheader_values") or {}).get("plain")),  # type: ignore[attr-defined]
        subheader_other=_words((data.get("subheader_values") or {}).get("other")),  # type: ignore[attr-defined]
        catch_all_answers=_words(data.get("catch_all_answers")),
        excess_word=str(excess.get("word") or "").lower(),
        excess_middles=_words(excess.get("middles")),
        excess_pairs=tuple((str(a).lower(), str(b).lower()) for a, b in excess.get("pairs") or []),
    )


def _patterns(raw: object, flags: int = re.IGNORECASE) -> dict[str, re.Pattern[str]]:
    assert isinstance(raw, dict)
    # YAML folds long patterns over lines into "a|<space>b"; the folding is not part of the pattern.
    return {str(k): re.compile(re.sub(r"\|\s+", "|", str(v)).strip(), flags) for k, v in raw.items()}
