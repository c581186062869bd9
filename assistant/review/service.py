"""Review a map: claims checked offline (and by an LLM judge when one is configured), then summarised."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from assistant.context import Journey
from assistant.evidence.facts import WorkspaceFacts
from assistant.maps.models import JourneyMap
from assistant.review.checks import ClaimChecker
from assistant.review.claims import map_claims, missing_components
from assistant.review.data_quality import data_quality_findings
from assistant.review.models import ClaimVerdict, Finding, Review

ProgressFn = Callable[[str], None]


def review_map(
    journey: Journey,
    workspace: str,
    journey_map: JourneyMap,
    use_llm: bool | None = None,
    progress: ProgressFn | None = None,
) -> Review:
    """Check every claim of a map against the workspace's evidence and return the review.

    Offline checks always run and stay authoritative for citations and computed figures; with an
    LLM (configured or injected) a judge then rules on the free-text claims.
    """
    tick = progress or (lambda _m: None)
    tick("reading the evidence")
    facts = WorkspaceFacts(journey, workspace)
    checker = ClaimChecker(facts)
    claims = map_claims(journey_map)
    verdicts: list[ClaimVerdict] = []
    findings: list[Finding] = []
    for index, claim in enumerate(claims, start=1):
        if index % 10 == 1:
            tick(f"checking claim {index} of {len(claims)}")
        verdict, claim_findings = checker.check(claim)
        verdicts.append(verdict)
        findings += claim_findings
    warnings: list[str] = []
    engine = "offline"
    if use_llm if use_llm is not None else journey.llm_enabled:
        from assistant.review.judge import judge_claims

        tick("asking the model to judge the claims")
        engine = journey.engine
        verdicts, findings, judge_warnings = judge_claims(journey, facts, claims, verdicts, findings)
        warnings += judge_warnings
    findings += stale_findings(verdicts, facts, journey.settings.review_max_age_days)
    for path, stage, component in missing_components(journey_map):
        findings.append(
            Finding(
                path=path,
                kind="missing_component",
                severity="medium",
                message=f"Stage '{stage}' has no {component.replace('_', ' ')}.",
                suggestion=f"Add the stage's {component.replace('_', ' ')}; drafting proposes one.",
            )
        )
    findings += data_quality_findings(facts)
    facts.analyzer.save_cache()
    supported = sum(v.verdict == "supported" for v in verdicts)
    by_component: dict[str, list[bool]] = defaultdict(list)
    for verdict in verdicts:
        by_component[verdict.component].append(verdict.verdict == "supported")
    order = {"high": 0, "medium": 1, "low": 2}
    return Review(
        map_title=journey_map.title,
        map_version=journey_map.version,
        engine=engine,
        findings=sorted(findings, key=lambda f: (order[f.severity], f.path)),
        claims=verdicts,
        grounded_share=supported / len(verdicts) if verdicts else 0.0,
        coverage={c: sum(v) / len(v) for c, v in by_component.items()},
        warnings=warnings,
    )


def stale_findings(verdicts: list[ClaimVerdict], facts: WorkspaceFacts, max_age_days: int) -> list[Finding]:
    """A supported claim whose evidence is all older than the configured age."""
    if max_age_days <= 0:
        return []
    cutoff = datetime.now(UTC) - timedelta(days=max_age_days)
    found = []
    for verdict in verdicts:
        if verdict.verdict != "supported" or not verdict.evidence:
            continue
        dates = [
            facts.records[c.evidence_id].created_at
            for c in verdict.evidence
            if c.evidence_id in facts.records
        ]
        known = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in dates if d is not None]
        if known and len(known) == len(dates) and max(known) < cutoff:
            newest = max(known).date().isoformat()
            found.append(
                Finding(
                    path=verdict.path,
                    kind="stale",
                    severity="low",
                    message=f"Its evidence is older than {max_age_days} days (newest {newest}).",
                    evidence=verdict.evidence[:3],
                    suggestion="Check it against recent feedback.",
                )
            )
    return found
