"""The LLM judge: a verdict and a reason for each free-text claim, from retrieved evidence.

Offline checks stay authoritative: a mis-cited claim stays mis-cited and a figure that contradicts
the computed one stays contradicted, whatever the model says. The judge rules on what offline
similarity cannot read well: whether the evidence actually says what the claim says.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.context import Journey
from assistant.evidence.facts import WorkspaceFacts
from assistant.llm.chains import structured_chain, with_offline
from assistant.llm.errors import LLMError
from assistant.llm.parsing import ReplyParser
from assistant.llm.shape import ShapeOptions, shape_of
from assistant.maps.llm_drafter import Aliases
from assistant.models import Citation
from assistant.prompts import load_prompt
from assistant.review.claims import MapClaim
from assistant.review.models import ClaimVerdict, Finding

JUDGED_COMPONENTS = {"touchpoints", "actions", "thoughts", "pain_points", "opportunities", "persona"}
BATCH = 8
EVIDENCE_PER_CLAIM = 5
# Bounds of a ruling where the server takes a schema: the 1.5B model wrote reasons until cut off at 700.
REASON_CHARS = 160
JUDGE_SHAPE = ShapeOptions(max_items=BATCH, max_chars=REASON_CHARS, list_limits=(("evidence", 3),))
# Offline outcomes the judge cannot overturn: they rest on string checks and computed figures.
AUTHORITATIVE_KINDS = {"invalid_citation", "quantity_mismatch"}
class JudgedClaim(BaseModel):
    """The judge's ruling on one claim."""

    claim: str = Field(description="the claim's id as listed")
    verdict: Literal["supported", "unsupported", "contradicted"]
    reason: str = Field(default="", description="one sentence naming what the evidence says")
    evidence: list[str] = Field(
        default_factory=list, description="id of a listed record that supports or contradicts it"
    )


class JudgeReply(BaseModel):
    """The judge's reply for one batch of claims."""

    verdicts: list[JudgedClaim] = Field(description="one ruling per claim")


def unlisted(data: Any, claim_ids: set[str], aliases: Aliases) -> str | None:
    """Refuse a reply that rules on claims never listed or cites records never shown."""
    rulings = data.get("verdicts") if isinstance(data, dict) else None
    if not isinstance(rulings, list):
        return None  # the schema check says what is missing
    shown = set(aliases.to_alias.values())
    claims = {str(r.get("claim", "")).strip() for r in rulings if isinstance(r, dict)} - claim_ids
    cited = {
        str(e).strip() for r in rulings if isinstance(r, dict) for e in r.get("evidence") or []
    } - shown
    problems = []
    if claims:
        problems.append(f"rules on claims never listed ({', '.join(sorted(claims)[:5])})")
    if cited:
        problems.append(f"cites records the prompt never showed ({', '.join(sorted(cited)[:5])})")
    return "the reply " + " and ".join(problems) if problems else None


def judge_claims(
    journey: Journey,
    facts: WorkspaceFacts,
    claims: list[MapClaim],
    verdicts: list[ClaimVerdict],
    findings: list[Finding],
) -> tuple[list[ClaimVerdict], list[Finding], list[str]]:
    """Let the model rule on the free-text claims; returns updated verdicts, findings and warnings."""
    model = journey.chat_model()
    spec = load_prompt("judge")
    authoritative = {f.path for f in findings if f.kind in AUTHORITATIVE_KINDS}
    todo = [
        i for i, c in enumerate(claims) if c.component in JUDGED_COMPONENTS and c.path not in authoritative
    ]
    warnings: list[str] = []
    verdicts = list(verdicts)
    replaced: dict[str, Finding | None] = {}
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        aliases = Aliases(facts.texts)
        lines, shown = [], []
        for number, index in enumerate(batch, start=1):
            claim = claims[index]
            for match in facts.matches(claim.text, EVIDENCE_PER_CLAIM):
                aliases.alias(match.record.id)
                shown.append(match.record.id)
            lines.append(
                f"C{number} [{claim.stage or 'persona'} / {claim.component}]: {json.dumps(claim.text)}"
            )
        claim_ids = {f"C{n}" for n in range(1, len(batch) + 1)}
        # Where the server takes a schema, only the claims listed and the records shown can be named.
        shape = shape_of(
            JudgeReply,
            options=JUDGE_SHAPE,
            choices={"claim": sorted(claim_ids), "evidence": list(aliases.to_alias.values())},
        )
        parser = ReplyParser(
            schema_=JudgeReply,
            check=lambda data, ids=claim_ids, names=aliases: unlisted(data, ids, names),  # type: ignore[misc]
            placeholders=shape.placeholders,
        )
        paths = ", ".join(claims[i].path for i in batch)

        def offline(_values: Any, error: LLMError, paths: str = paths) -> None:
            warnings.append(f"judge failed for {paths}: {error}; their offline verdicts are kept")

        judged = structured_chain(spec, model, parser, journey.policy, shape)
        chain = with_offline(judged, offline, "offline_verdicts")
        values = {
            "claims": "\n".join(lines),
            "evidence": aliases.block(list(dict.fromkeys(shown))),
            "shape": shape.text,
        }
        reply: JudgeReply | None = chain.invoke(values, config={"callbacks": journey.callbacks})
        if reply is None:
            continue
        by_claim = {v.claim.strip(): v for v in reply.verdicts}
        for number, index in enumerate(batch, start=1):
            ruling = by_claim.get(f"C{number}")
            if ruling is None:
                warnings.append(f"judge gave no verdict for {claims[index].path}; offline verdict kept")
                continue
            verdicts[index], replaced[claims[index].path] = _apply(
                claims[index], verdicts[index], ruling, aliases, facts
            )
    kept = [f for f in findings if f.path not in replaced or f.kind in AUTHORITATIVE_KINDS]
    kept += [f for f in replaced.values() if f is not None]
    return verdicts, kept, warnings


def _apply(
    claim: MapClaim, offline: ClaimVerdict, ruling: JudgedClaim, aliases: Aliases, facts: WorkspaceFacts
) -> tuple[ClaimVerdict, Finding | None]:
    evidence = []
    for name in ruling.evidence:
        record_id = aliases.resolve(name)
        if record_id in facts.records:  # ids the model made up are dropped: citations are checked
            evidence.append(Citation(evidence_id=record_id, quote=_opening(facts.records[record_id].text)))
    verdict = offline.model_copy(
        update={
            "verdict": ruling.verdict if offline.verdict != "miscited" else "miscited",
            "reason": ruling.reason or offline.reason,
            "evidence": evidence or offline.evidence,
            "judge": "model",
        }
    )
    finding = _finding_for(claim, ruling, evidence)
    return verdict, finding


def _finding_for(claim: MapClaim, ruling: JudgedClaim, evidence: list[Citation]) -> Finding | None:
    if ruling.verdict == "contradicted":
        return Finding(
            path=claim.path,
            kind="contradicted",
            severity="high",
            message=f"The evidence says otherwise: {ruling.reason}",
            evidence=evidence,
            suggestion="Rewrite the claim to match the evidence.",
        )
    if ruling.verdict == "unsupported":
        return Finding(
            path=claim.path,
            kind="unsupported",
            severity="medium",
            message=f"No evidence supports this: {ruling.reason}",
            suggestion="Find evidence for it or mark it as a hypothesis to test.",
        )
    if not claim.citations:
        return Finding(
            path=claim.path,
            kind="weak_evidence",
            severity="low",
            message=f"Supported, but the claim cites nothing: {ruling.reason}",
            evidence=evidence,
            suggestion="Cite the evidence listed here.",
        )
    return None


def _opening(text: str, limit: int = 160) -> str:
    stripped = text.strip()
    return stripped[:limit]
