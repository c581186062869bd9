"""The LLM drafting chain: persona first, then stage by stage, fed the digest rather than raw chunks.

Records are shown to the model under short aliases (`poor-product-1`, named from the theme or channel
they are shown under, or E1, E2 …) by their quotes — sentences cut
verbatim from them — inside delimited evidence blocks, not as whole chunks: that is what keeps the
prompts small. The model cites aliases, which are mapped back to evidence ids and checked.
A reply citing an alias the prompt never showed, or handing back the prompt's shape, is refused
(a corrective round, then the offline fallback); quotes not verbatim in their record get one
repair round, and what still fails becomes an assumption. A stage the model cannot draft (junk
twice, or no answer after retries) falls back to the offline draft of that stage, and the result
says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from assistant.analysis.digest import Digest, StageDigest
from assistant.analysis.stages import StageSet
from assistant.llm.call_log import CallLog
from assistant.llm.chains import render_messages, structured_chain, with_offline
from assistant.llm.chat import model_label
from assistant.llm.errors import LLMError
from assistant.llm.fence import fence
from assistant.llm.parsing import ReplyParser
from assistant.llm.policy import CallPolicy
from assistant.llm.shape import ShapeOptions, shape_of
from assistant.maps.citations import check_citation
from assistant.maps.models import Frequency, JourneyMap, PainPoint, Persona, Stage
from assistant.maps.offline import MIN_PAIN_COUNT, MIN_PAIN_SHARE, OfflineDrafter
from assistant.models import Citation, Claim
from assistant.prompts import load_prompt

T = TypeVar("T", Stage, Persona)
EXCERPT_CHARS = 400
# Digest budget per stage prompt: enough for the model to write every lane with citations.
MAX_THEMES = 5
QUOTES_PER_THEME = 2
MAX_SEGMENTS = 3
MAX_PERSONA_SEGMENTS = 6
# The lanes the model writes. Touchpoints (channel counts from the records' metadata), KPIs and the
# owner are computed or catalogued, never written by it: it only copied the channel counts shown.
STAGE_LANES = ["actions", "thoughts", "emotion", "pain_points", "opportunities"]
PERSONA_FIELDS = ["name", "summary", "traits", "quotes"]
# A claim's basis is derived from its citations, never written by the model (see _resolve_citations).
# A citation is written as the id of a record shown; it takes the quote the prompt showed for that
# record: copying quotes cost a small model most of its reply, and its copies were rarely verbatim.
CITATION_SHAPE = "<id shown>"
CITATION_LISTS = frozenset({"evidence", "quotes"})  # the fields whose items are citations
# The limits match the prompts' rules ("at most 3 items per lane, each under 15 words").
LANE_ITEMS = 3
PERSONA_ITEMS = 5
ITEM_CHARS = 100
CITATIONS_PER_ITEM = 2
# A pain point's frequency is computed (the theme its citations belong to), never written: the model
# copied the digest's "15.9%" as a share of 15.9.
MODEL_SHAPE = ShapeOptions(
    omit=frozenset({"basis", "frequency", "author"}),
    require=frozenset({"emotion"}),
    inline=((Citation, CITATION_SHAPE),),
    labels=(("score", "-1 … +1"),),
    max_items=LANE_ITEMS,
    max_chars=ITEM_CHARS,
    # Asked for up to 3, the small model added ids that did not say what the item says.
    list_limits=(("evidence", CITATIONS_PER_ITEM),),
)
PERSONA_SHAPE = replace(MODEL_SHAPE, max_items=PERSONA_ITEMS)
COMPUTED_FIELDS = frozenset({"frequency"})  # dropped from a reply whose model wrote them anyway
# A record cited but shown without a quote (a touchpoint's example) is quoted by its opening words.
OPENING_CHARS = 160
# An alias: `E3`, or a named one such as `quality-2` (see Aliases.alias).
ALIAS = r"(?:[^\W_]+-)*[^\W_]*\d+"
ALIAS_ONLY = re.compile(rf"\[?({ALIAS})\]?")
# A citation written inline: `E3: words`, `[E3] "words"`, `E3 - words` (quotes around the words optional).
INLINE_CITATION = re.compile(rf"""\s*\[?({ALIAS})\]?\s*[:\-–]?\s*["“']?(.*?)["”']?\s*$""", re.DOTALL)
HINT_WORDS = re.compile(r"[^\W\d_]{3,}")  # the words of a theme label or channel that name an alias
HINT_CHARS = 10


@dataclass
class Aliases:
    """Short names for evidence ids in prompts, and the way back."""

    texts: Mapping[str, str]
    to_alias: dict[str, str] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)  # quotes already in the prompt (lowercased)
    quotes: dict[str, str] = field(default_factory=dict)  # alias -> the quote the prompt gave it

    def alias(self, evidence_id: str, hint: str | None = None) -> str:
        """Return (assigning if new) the alias of an evidence id.

        With a hint (the theme label or channel the record is shown under) the alias is named from
        its first words, e.g. `poor-product-1`: a small model numbered E1, E2 … down its reply
        whatever the records said, and picks a named id whose words match what it just wrote.
        """
        if evidence_id not in self.to_alias:
            words = [w[:HINT_CHARS] for w in HINT_WORDS.findall((hint or "").lower())[:2]]
            if not words:
                self.to_alias[evidence_id] = f"E{len(self.to_alias) + 1}"
            else:
                stem = "-".join(words)
                taken = sum(1 for a in self.to_alias.values() if a.rsplit("-", 1)[0] == stem)
                self.to_alias[evidence_id] = f"{stem}-{taken + 1}"
        return self.to_alias[evidence_id]

    def resolve(self, name: str) -> str:
        """Map an alias back to its id (unknown aliases are returned as given, and fail the checks)."""
        back = {alias: rid for rid, alias in self.to_alias.items()}
        return back.get(name.strip(), name)

    def quote_of(self, alias: str) -> str | None:
        """The quote the prompt showed for an alias, else its record's opening words (verbatim)."""
        if alias in self.quotes:
            return self.quotes[alias]
        text = self.texts.get(self.resolve(alias), "").strip()
        return text[:OPENING_CHARS] or None

    def block(self, ids: list[str] | None = None) -> str:
        """Render the aliased records as the evidence listing of a prompt."""
        chosen = ids if ids is not None else list(self.to_alias)
        lines = []
        for rid in chosen:
            text = fence(" ".join(self.texts.get(rid, "").split()))
            lines.append(f'[{self.alias(rid)}] "{text[:EXCERPT_CHARS]}"')
        return "\n".join(lines)


def stage_values(stage_id: str, description: str, persona: Persona, evidence: str) -> dict[str, str]:
    """The stage prompt's variables around an evidence block (the digest, or a naive chain's chunks)."""
    return {
        "stage_name": stage_id,
        "stage_description": description,
        "persona": f"{persona.name}: {persona.summary}",
        "digest": evidence,
        "shape": shape_of(Stage, STAGE_LANES, MODEL_SHAPE).text,
    }


def stage_messages(stage_id: str, description: str, persona: Persona, evidence: str) -> list[tuple[str, str]]:
    """The stage prompt's messages as (role, text) pairs, for the token benchmark."""
    return render_messages(load_prompt("stage"), **stage_values(stage_id, description, persona, evidence))


def _quote(aliases: Aliases, citation: Citation, hint: str | None = None) -> str:
    # Each quote is shown once per prompt; repeats (and same-text duplicates) cost tokens for nothing.
    alias = aliases.alias(citation.evidence_id, hint)
    aliases.quotes.setdefault(alias, citation.quote)
    key = " ".join(citation.quote.lower().split())
    if key in aliases.shown:
        return f"[{alias}]"
    aliases.shown.add(key)
    return f'[{alias}] "{fence(citation.quote)}"'


def stage_digest_text(stage: StageDigest, aliases: Aliases, kpi_lines: list[str], total: int) -> str:
    """Render one stage's digest compactly, citing records by alias."""
    counts = stage.sentiment_counts
    lines = [
        f"Records in stage: {stage.count} ({stage.count / max(total, 1):.0%} of all); sentiment mean "
        f"{stage.sentiment_mean:+.2f} (negative {counts['negative']}, neutral {counts['neutral']}, "
        f"positive {counts['positive']})",
        "Themes (count, share of the stage's records):",
    ]
    # Themes below the offline drafter's pain-point floor are noise to the model too.
    floor = max(MIN_PAIN_COUNT, MIN_PAIN_SHARE * stage.count)
    for theme in [t for t in stage.themes if t.count >= floor][:MAX_THEMES]:
        quotes = " ".join(_quote(aliases, q, theme.label) for q in theme.quotes[:QUOTES_PER_THEME])
        lines.append(f"- {theme.label}: {theme.count} ({theme.share:.1%}) — {quotes}")
    if stage.touchpoints:
        lines.append(
            "Touchpoints: "
            + "; ".join(
                f"{t.channel} {t.count} ({t.share:.0%}) [{aliases.alias(t.evidence_ids[0], t.channel)}]"
                for t in stage.touchpoints[:6]
            )
        )
    for attribute, shares in list(stage.segments.items())[:MAX_SEGMENTS]:
        lines.append(f"Segment {attribute}: " + ", ".join(f"{s.value} {s.share:.0%}" for s in shares[:4]))
    lines += kpi_lines
    quoted = [("negative", q) for q in stage.negative_quotes[:2]] + [
        ("positive", q) for q in stage.positive_quotes[:1]
    ] + [("neutral", q) for q in stage.neutral_quotes[:1]]
    lines.append("Quotes: " + " ".join(_quote(aliases, q, f"{tone} quote") for tone, q in quoted))
    return "\n".join(lines)


def _resolve_citations(data: Any, aliases: Aliases, evidence_list: bool = False) -> Any:
    """Replace aliases with evidence ids throughout a parsed reply, and derive each claim's basis.

    A citation whose quote is only an alias ("[E14]") points at that record: it takes the quote the
    prompt showed for it. A claim's basis follows its citations (cited: data; none: assumption) —
    the model is never asked for it, and our citation checks then decide what stays data.
    """
    if isinstance(data, str) and evidence_list:
        data = _inline_citation(data)
    if isinstance(data, dict):
        data = _quote_by_alias(data, aliases)
        resolved = {
            k: aliases.resolve(v)
            if k == "evidence_id" and isinstance(v, str)
            else _resolve_citations(v, aliases, evidence_list=k in CITATION_LISTS)
            for k, v in data.items()
        }
        if ("text" in resolved or "score" in resolved) and "evidence_id" not in resolved:
            resolved["basis"] = "data" if resolved.get("evidence") else "assumption"
        return resolved
    if isinstance(data, list):
        return [_resolve_citations(v, aliases, evidence_list) for v in data]
    return data


def from_reply(data: Any, aliases: Aliases) -> Any:
    """A parsed reply as our models read it.

    Texts cut at the schema's limit are trimmed, figures the model wrote anyway are dropped (they
    are computed), aliases are mapped back and each claim's basis derived.
    """
    cleaned = _unaliased(trim_at_limit(_without(data, COMPUTED_FIELDS)), aliases)
    return _resolve_citations(cleaned, aliases)


def _unaliased(data: Any, aliases: Aliases, in_citations: bool = False) -> Any:
    """Texts without the ids the model copied into them ("Poor quality — 14 records [poor-quality-1]").

    An id is a citation, kept in the item's evidence, never words a reader sees.
    """
    if isinstance(data, str) and not in_citations and aliases.to_alias:
        names = "|".join(re.escape(a) for a in sorted(aliases.to_alias.values(), key=len, reverse=True))
        return re.sub(rf"\s*\[(?:{names})\]", "", data).strip()
    if isinstance(data, dict):
        return {k: _unaliased(v, aliases, in_citations or k in CITATION_LISTS) for k, v in data.items()}
    if isinstance(data, list):
        return [_unaliased(v, aliases, in_citations) for v in data]
    return data


def _without(data: Any, keys: frozenset[str]) -> Any:
    if isinstance(data, dict):
        return {k: _without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_without(v, keys) for v in data]
    return data


def _inline_citation(text: str) -> Any:
    """`E3: words` as a citation; a string that names no id is left as it is (the schema refuses it)."""
    match = INLINE_CITATION.fullmatch(text)
    if match is None or not match.group(2).strip():
        return {"evidence_id": match.group(1), "quote": match.group(1)} if match else text
    return {"evidence_id": match.group(1), "quote": match.group(2).strip()}


def _quote_by_alias(citation: dict[str, Any], aliases: Aliases) -> dict[str, Any]:
    quote = citation.get("quote")
    if not isinstance(quote, str) or "evidence_id" not in citation:
        return citation
    named = ALIAS_ONLY.fullmatch(quote.strip())
    if named is None or named.group(1) not in aliases.to_alias.values():
        return citation
    shown = aliases.quote_of(named.group(1))
    return citation if shown is None else {**citation, "evidence_id": named.group(1), "quote": shown}


def unshown_aliases(data: Any, aliases: Aliases) -> str | None:
    """Refuse a reply citing ids the prompt never showed: an invented id is a failure, not a draft."""
    named = [v for v in _values_of(data, "evidence_id") if isinstance(v, str)]
    for key in CITATION_LISTS:  # citations written inline: "E3: its words"
        for items in _values_of(data, key):
            for item in items if isinstance(items, list) else []:
                match = INLINE_CITATION.fullmatch(item) if isinstance(item, str) else None
                named += [match.group(1)] if match else []
    cited = {v.strip() for v in named if v.strip() not in aliases.to_alias.values()}
    if not cited:
        return None
    # The ids allowed are named: a small model otherwise goes on numbering past the last one shown.
    return (
        f"the reply cites {', '.join(sorted(cited)[:5])}, which the prompt never showed; "
        f"cite only {', '.join(aliases.to_alias.values())}"
    )


def empty_draft(data: Any) -> str | None:
    """Refuse a stage reply that leaves every lane empty: the stage was asked because it has records."""
    lanes = [data.get(lane) for lane in STAGE_LANES] if isinstance(data, dict) else []
    if any(lanes):
        return None
    return "the reply leaves every lane empty, though the evidence above describes this stage"


def _values_of(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == key] + [
            found for v in data.values() for found in _values_of(v, key)
        ]
    if isinstance(data, list):
        return [found for v in data for found in _values_of(v, key)]
    return []


@dataclass
class LLMDraft:
    """A drafted map and what went wrong on the way (stages that fell back, repairs made)."""

    journey_map: JourneyMap
    warnings: list[str] = field(default_factory=list)
    repaired: int = 0


class LLMDrafter:
    """Drafts with a chat model; the offline drafter supplies KPI figures and per-stage fallbacks.

    Each part is a chain (`structured_chain`) with the offline engine as its fallback
    (`with_offline`), so a stage the model cannot write is the offline stage, with the reason.
    """

    def __init__(
        self,
        model: BaseChatModel,
        stage_set: StageSet,
        texts: Mapping[str, str],
        policy: CallPolicy | None = None,
        log: CallLog | None = None,
        callbacks: list[BaseCallbackHandler] | None = None,
    ) -> None:
        self.model = model
        self.model_name = model_label(model)
        self.stage_set = stage_set
        self.texts = texts
        self.policy = policy or CallPolicy()
        self.offline = OfflineDrafter(stage_set, texts)
        self.log = log or CallLog()  # every call and parse, for the token benchmark and `evals llm`
        self.callbacks: list[BaseCallbackHandler] = [self.log, *(callbacks or [])]

    @property
    def sent(self) -> list[list[tuple[str, str]]]:
        """Every message list sent to the model, in order."""
        return self.log.sent

    def _chain(self, prompt: str, schema: type[T], aliases: Aliases, prepare: Callable[[Any], Any]) -> Any:
        fields, options = (STAGE_LANES, MODEL_SHAPE) if schema is Stage else (PERSONA_FIELDS, PERSONA_SHAPE)
        shape = shape_of(schema, fields, options, ids=list(aliases.to_alias.values()))
        def check(data: Any) -> str | None:
            return unshown_aliases(data, aliases) or (empty_draft(data) if schema is Stage else None)

        parser = ReplyParser(schema_=schema, prepare=prepare, check=check, placeholders=shape.placeholders)
        return structured_chain(load_prompt(prompt), self.model, parser, self.policy, shape), shape

    def _run(self, chain: Any, values: dict[str, str]) -> Any:
        return chain.invoke(values, config={"callbacks": self.callbacks})

    def _checked(self, item: Stage | Persona, aliases: Aliases, evidence_ids: list[str]) -> tuple[Any, bool]:
        """Check quotes against the records; on failure run one repair round. Return (item, repaired)."""
        problems = self._problems(item)
        if not problems:
            return item, False
        previous = json.loads(item.model_dump_json(exclude={"name"} if isinstance(item, Stage) else None))
        schema: Any = type(item)  # a Stage or the Persona: the repair keeps the item's own type
        name = {"name": item.name} if isinstance(item, Stage) else {}
        chain, _ = self._chain("repair", schema, aliases, lambda d: {**from_reply(d, aliases), **name})
        values = {
            "problems": "\n".join(f"- {p}" for p in problems),
            "evidence": aliases.block(evidence_ids),
            "previous": json.dumps(_aliased(previous, aliases), ensure_ascii=False),
        }
        try:
            repaired = self._run(chain, values)
        except LLMError:
            return item, True  # the unrepaired citations become assumptions in the final check
        return repaired, True

    def _problems(self, item: Stage | Persona) -> list[str]:
        problems = []
        for citation in _citations(item):
            reason = check_citation(citation, self.texts)
            if reason:
                problems.append(f"{citation.evidence_id}: {reason} (quote: {citation.quote!r})")
        return problems

    def draft(
        self, digest: Digest, persona: Persona, title: str, scope: str = "", stages: list[str] | None = None
    ) -> LLMDraft:
        """Draft the persona, then each stage; each part falls back to offline when the model fails."""
        fallback = self.offline.draft(digest, persona, title, scope, stages)
        warnings: list[str] = []
        repaired = 0
        drafted_persona, fixed = self._draft_persona(digest, persona, warnings)
        repaired += fixed
        drafted_stages = []
        for offline_stage in fallback.stages:
            stage_digest = digest.stage(offline_stage.name)
            if stage_digest is None or stage_digest.count == 0:
                drafted_stages.append(offline_stage)
                continue
            stage, fixed = self._draft_stage(
                stage_digest, offline_stage, drafted_persona, digest.records, warnings
            )
            repaired += fixed
            drafted_stages.append(stage)
        engine = self.model_name + (" (offline fallback for some parts)" if warnings else "")
        journey_map = fallback.model_copy(
            update={"persona": drafted_persona, "stages": drafted_stages, "engine": engine}
        )
        return LLMDraft(journey_map, warnings, repaired)

    def _draft_persona(self, digest: Digest, persona: Persona, warnings: list[str]) -> tuple[Persona, bool]:
        aliases = Aliases(self.texts)
        persona_text = self._persona_digest(digest, persona, aliases)
        chain, shape = self._chain("persona", Persona, aliases, lambda d: from_reply(d, aliases))

        def offline(_values: Any, error: LLMError) -> Persona:
            warnings.append(f"persona: {error}; kept the offline persona")
            return persona

        drafted: Persona = self._run(
            with_offline(chain, offline, "offline_persona"), {"digest": persona_text, "shape": shape.text}
        )
        if drafted is persona:
            return persona, False
        return self._checked(drafted, aliases, list(aliases.to_alias))

    def _persona_digest(self, digest: Digest, persona: Persona, aliases: Aliases) -> str:
        lines = [f"Records: {digest.records}; sources: {digest.sources}"]
        for attribute, shares in list(digest.segments.items())[:MAX_PERSONA_SEGMENTS]:
            lines.append(f"Segment {attribute}: " + ", ".join(f"{s.value} {s.share:.0%}" for s in shares[:5]))
        themes = sorted((t for s in digest.stages for t in s.themes), key=lambda t: -t.count)[:6]
        for theme in themes:
            lines.append(
                f"Frustration: {theme.label} — {theme.count} records "
                + " ".join(_quote(aliases, q, theme.label) for q in theme.quotes[:1])
            )
        for trait in persona.traits:
            if trait.basis == "data" and trait.category in ("goal", "motivation", "behaviour"):
                lines.append(
                    f"Voiced {trait.category}: "
                    + " ".join(_quote(aliases, q, trait.category) for q in trait.evidence[:1])
                )
        return "\n".join(lines)

    def _draft_stage(
        self, digest: StageDigest, offline_stage: Stage, persona: Persona, total: int, warnings: list[str]
    ) -> tuple[Stage, bool]:
        aliases = Aliases(self.texts)
        # KPIs and the owner are computed or catalogued, not written: the model only names a KPI to
        # watch for each opportunity, and the computed KPIs and owner are kept as they are.
        kpi_lines = [
            "KPIs to watch: "
            + "; ".join(f"{k.name} = {k.value}" if k.value else k.name for k in offline_stage.kpis)
        ]
        body = stage_digest_text(digest, aliases, kpi_lines, total)

        def prepare(data: Any) -> Any:
            return {**from_reply(data, aliases), "name": digest.id}

        def offline(_values: Any, error: LLMError) -> Stage:
            warnings.append(f"stage {offline_stage.name}: {error}; used the offline draft of this stage")
            return offline_stage

        chain, _ = self._chain("stage", Stage, aliases, prepare)
        values = stage_values(digest.id, self.stage_set.get(digest.id).description, persona, body)
        stage: Stage = self._run(with_offline(chain, offline, "offline_stage"), values)
        if stage is offline_stage:
            return offline_stage, False
        stage, repaired = self._checked(stage, aliases, list(aliases.to_alias))
        computed = {
            "touchpoints": offline_stage.touchpoints,
            "kpis": offline_stage.kpis,
            "owner": offline_stage.owner,
            "pain_points": [with_frequency(p, digest) for p in stage.pain_points],
            "thoughts": [as_quoted(t) for t in stage.thoughts],
        }
        return stage.model_copy(update=computed), repaired


def with_frequency(pain: PainPoint, digest: StageDigest) -> PainPoint:
    """The pain point with the size of the theme its citations belong to (none: no figure)."""
    cited = {c.evidence_id for c in pain.evidence}
    overlap = [(len(cited & set(t.evidence_ids)), t) for t in digest.themes]
    best = max(overlap, key=lambda pair: pair[0], default=(0, None))
    if best[1] is None or best[0] == 0:
        return pain.model_copy(update={"frequency": None})
    theme = best[1]
    return pain.model_copy(update={"frequency": Frequency(count=theme.count, share=min(theme.share, 1.0))})


def as_quoted(thought: Claim) -> Claim:
    """A thought is a customer's own words: a cited thought reads as the quote it cites.

    The small model summarised ("Customer expresses frustration with …") where the lane holds what
    customers think in their words; an uncited thought stays as written, an assumption.
    """
    if not thought.evidence:
        return thought
    quote = thought.evidence[0].quote
    return thought.model_copy(update={"text": quote, "evidence": thought.evidence[:1]})


def trim_at_limit(data: Any, limit: int = ITEM_CHARS) -> Any:
    """A text the schema cut at its longest ends at its last whole word, marked with "…"."""
    if isinstance(data, str) and len(data) >= limit and " " in data:
        return data.rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    if isinstance(data, dict):
        return {k: trim_at_limit(v, limit) for k, v in data.items()}
    if isinstance(data, list):
        return [trim_at_limit(v, limit) for v in data]
    return data


def _aliased(data: Any, aliases: Aliases) -> Any:
    """A drafted item in the shape the model writes: citations as the aliases shown, no basis."""
    if isinstance(data, dict):
        if "evidence_id" in data:
            return aliases.to_alias.get(data["evidence_id"], data["evidence_id"])
        return {k: _aliased(v, aliases) for k, v in data.items() if k != "basis"}
    if isinstance(data, list):
        return [_aliased(v, aliases) for v in data]
    return data


def _citations(item: Stage | Persona) -> list[Citation]:
    found: list[Citation] = []

    def walk(value: Any) -> None:
        if isinstance(value, Citation):
            found.append(value)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))

    walk(item)
    return found
