"""Answer a question from computed facts: offline as a structured answer, or written by the LLM."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from assistant.answers import snippet
from assistant.ask.conversation import Conversation, FollowUp, Turn, topic_words
from assistant.ask.dropoff import quality_facts, stage_of_step, where_facts, who_facts
from assistant.ask.intent import Intent, detect_intent
from assistant.ask.models import AskAnswer, Fact
from assistant.ask.render import HEADINGS, render_offline
from assistant.ask.why import (
    closed_answer_facts,
    filter_facts,
    outside_context,
    question_facts,
    theme_facts,
)
from assistant.context import Journey
from assistant.evidence.facts import WorkspaceFacts
from assistant.evidence.segments import Segment, words_of
from assistant.models import Citation

THIN_RECORDS = 20  # fewer customer records than this behind the "why" and the answer says so
TOPIC_RECORDS = 30
SEGMENT_SEARCH_FACTOR = 5


def ask(
    journey: Journey,
    workspace: str | None,
    question: str,
    use_llm: bool | None = None,
    conversation: Conversation | None = None,
) -> AskAnswer:
    """Answer a question about the workspace's evidence, every figure and quote cited.

    With a conversation, a follow-up ("and on mobile?") is read against the previous question.
    """
    name = workspace or journey.settings.workspace
    facts = WorkspaceFacts(journey, name)
    asked = question
    intent = detect_intent(question)
    stage = question_stage(facts, question)
    follow = None
    if conversation is not None and conversation.is_follow_up(question, intent.kind != "general"):
        follow = resolve_follow_up(facts, conversation, question)
        asked, stage = follow.question, follow.stage
        intent = replace(detect_intent(asked), kind=follow.intent)
        facts.segment = follow.segment
    if intent.kind == "dropoff":
        found, warnings = dropoff_facts(facts, asked, stage)
    elif intent.kind == "compare":
        found, warnings = compare_facts(facts, intent), []
    else:
        found, warnings = topic_answer(facts, asked, intent)
    if facts.segment is not None:
        found = segment_first(found, facts.segment)
        whole = sorted({HEADINGS[f.kind] for f in found if f.kind in ("where", "survey")})
        if whole:
            warnings.append(
                f"{' and '.join(whole)} cover everyone, not only {facts.segment.label} (computed over whole "
                "tables); 'who' gives the segment's own conversion where a funnel table splits by it"
            )
    found += outside_context(facts, question)
    customer_records = sum(
        f.count or 0 for f in found if f.kind in ("why", "say", "compare") and not f.outside
    )
    answer = AskAnswer(
        question=question,
        intent=intent.kind,
        stage=stage,
        answer="",
        facts=found,
        citations=_citations(found),
        thin_evidence=customer_records < THIN_RECORDS,
        warnings=warnings,
        follow_up=follow.describe(facts.segment_size()) if follow else None,
    )
    answer.answer = render_offline(answer, computed={f.record_id: f.how for f in facts.figures})
    if use_llm if use_llm is not None else journey.llm_enabled:
        from assistant.ask.writer import write_answer

        history = conversation.history() if conversation is not None else []
        answer = write_answer(journey, facts, answer, history)
    facts.analyzer.save_cache()
    if conversation is not None:
        topic = follow.topic if follow else question
        conversation.remember(Turn(asked, intent.kind, stage, facts.segment, topic, answer.answer))
    return answer


def segment_first(found: list[Fact], segment: Segment) -> list[Fact]:
    """Put the 'who' facts about the segment first, so its own conversion leads that section."""
    words = set(words_of(f"{segment.key} {segment.value}"))

    def about(fact: Fact) -> bool:
        return fact.kind == "who" and words <= set(words_of(fact.label))

    return [f for f in found if about(f)] + [f for f in found if not about(f)]


def resolve_follow_up(facts: WorkspaceFacts, conversation: Conversation, question: str) -> FollowUp:
    """Read a follow-up against the previous turn: its intent, stage and segment carried over.

    A segment the follow-up names (an attribute value of the workspace) narrows the records; words
    left once the opener and the segment are taken out are a new topic, asked about in the same
    segment.
    """
    previous = conversation.last
    assert previous is not None  # a follow-up needs a previous turn (see Conversation.is_follow_up)
    named = facts.segment_named(question)  # one scan of every record's attributes
    segment = named or previous.segment
    topic = topic_words(question, named)
    if not topic:
        return FollowUp(previous, previous.question, previous.intent, previous.stage, segment, previous.topic)
    return FollowUp(previous, topic, "topic", question_stage(facts, topic) or previous.stage, segment, topic)


def question_stage(facts: WorkspaceFacts, question: str) -> str | None:
    """The journey stage a question is about, by the same tagger that stages the evidence."""
    assignment = facts.analyzer.tagger.tag([question])[0]
    return assignment.stage


def dropoff_facts(facts: WorkspaceFacts, question: str, stage: str | None) -> tuple[list[Fact], list[str]]:
    """Where (every funnel table), who (segments), why (themes, closed answers), data quality."""
    stage_set = facts.analyzer.stage_set
    where, worst, warnings = where_facts(facts, stage, stage_set)
    if stage is None and worst is not None:
        # "Why do customers drop off?" names no stage: take the one where the funnel loses most.
        stage = stage_of_step(stage_set, worst.target_step)
    who = who_facts(facts, stage, stage_set, worst)
    why = theme_facts(facts, stage) if stage else []
    if not where:
        warnings.append(
            "no funnel data in this workspace: ingest an analytics export or event log for 'where'"
        )
    return where + who + why + closed_answer_facts(facts, question) + quality_facts(facts), warnings


def topic_answer(facts: WorkspaceFacts, question: str, intent: Intent) -> tuple[list[Fact], list[str]]:
    """A topic question: a rating filter's respondents, else the survey's own question, else records.

    "Why do customers give 1-star reviews?" reads the records whose rating is 1. "What do users like
    least?" reads the survey's open question that asks it, when one does; a closed question or a
    rating that asks it comes first, with the records that speak to it after.
    """
    if intent.score_filter is not None:
        return filter_facts(facts, question, intent.score_filter)
    asked, header = question_facts(facts, question)
    if header is not None:
        return asked, []
    warnings = []
    if not asked and facts.figures:
        warnings.append(
            "no question of this workspace's surveys asks this; read from records that mention it"
        )
    return asked + topic_facts(facts, question), warnings


def topic_facts(facts: WorkspaceFacts, question: str) -> list[Fact]:
    """What customers say about a topic: how many records, their tone, the themes they fall in, quotes."""
    # Agent replies are context: they never stand for what customers say, as counted or as quoted.
    # A segment keeps fewer of the hits: search wider, keep the segment's, then cut to size.
    wide = TOPIC_RECORDS * (SEGMENT_SEARCH_FACTOR if facts.segment else 1)
    hits = [
        h
        for h in facts.journey.retriever.search(facts.workspace, question, k=wide)
        if h.evidence.kind not in ("research", "analytics")
        and h.evidence.voice == "customer"
        and h.evidence.id in facts.records
        and facts.in_segment(facts.records[h.evidence.id])
    ][:TOPIC_RECORDS]
    if not hits:
        return []
    records = [facts.records[h.evidence.id] for h in hits if h.evidence.id in facts.records]
    negative = sum(facts.is_negative(r) for r in records)
    found = [
        Fact(
            kind="say",
            label="Records that speak to it",
            figure=f"{len(records)} most relevant records, {negative} of them negative",
            value=negative / len(records),
            count=len(records),
            evidence=[
                Citation(evidence_id=h.evidence.id, quote=snippet_of(h.evidence.text)) for h in hits[:3]
            ],
        )
    ]
    theme_of = {rid: (s.id, t) for s in facts.digest.stages for t in s.themes for rid in t.evidence_ids}
    counted = Counter(theme_of[r.id][1].label for r in records if r.id in theme_of)
    for label, count in counted.most_common(3):
        stage_id, theme = next(v for v in theme_of.values() if v[1].label == label)
        found.append(
            Fact(
                kind="say",
                label=f"Theme: {label}",
                figure=f"{count} of these records; {theme.count} in all ({theme.share:.0%} of {stage_id})",
                value=theme.share,
                count=theme.count,
                evidence=list(theme.quotes[:2]),
            )
        )
    return found


def compare_facts(facts: WorkspaceFacts, intent: Intent) -> list[Fact]:
    """Segments side by side: records, share negative and top theme, from an attribute holding their names."""
    wanted = set(intent.segments)
    found = []
    by_value: dict[tuple[str, str], list] = {}
    for record in facts.records.values():
        if record.kind in ("research", "analytics"):
            continue
        for key, value in record.attributes.items():
            if isinstance(value, str) and value.lower() in wanted:
                by_value.setdefault((key, value.lower()), []).append(record)
    theme_of = {rid: t.label for s in facts.digest.stages for t in s.themes for rid in t.evidence_ids}
    for (key, value), records in sorted(by_value.items()):
        negative = sum(facts.is_negative(r) for r in records)
        themes = Counter(theme_of[r.id] for r in records if r.id in theme_of).most_common(2)
        top = "; ".join(f"{label} {count}" for label, count in themes) or "no theme"
        quoted = [r for r in records if r.id in theme_of][:2]
        found.append(
            Fact(
                kind="compare",
                label=f"{key} = {value}",
                figure=f"{len(records)} records, {negative / len(records):.0%} negative; top themes: {top}",
                value=negative / len(records),
                count=len(records),
                evidence=[Citation(evidence_id=r.id, quote=snippet_of(r.text)) for r in quoted],
            )
        )
    return found


def snippet_of(text: str) -> str:
    """A verbatim opening of a record, short enough to quote."""
    short = snippet(text, 160)
    flat = text.strip()
    return short if short in flat else flat[:160]


def _citations(found: list[Fact]) -> list[Citation]:
    seen, result = set(), []
    for fact in found:
        for citation in fact.evidence:
            key = (citation.evidence_id, citation.quote)
            if key not in seen:
                seen.add(key)
                result.append(citation)
    return result
