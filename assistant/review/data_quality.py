"""Funnel sanity of the workspace's analytics tables, reported as review findings."""

from __future__ import annotations

from assistant.evidence.facts import WorkspaceFacts
from assistant.review.models import Finding


def data_quality_findings(facts: WorkspaceFacts) -> list[Finding]:
    """data_quality findings from the funnel engine's warnings, each citing its table's record.

    Later steps larger than earlier ones, tracking gaps, missing periods, duplicate rows.
    """
    findings = []
    for funnel in facts.funnels:
        if funnel.result is None:
            continue
        for warning in funnel.result.warnings:
            if warning.kind == "small_sample" and not warning.message.startswith("the funnel"):
                continue  # a small breakdown value is not a fault of the data
            findings.append(
                Finding(
                    path=f"data:{funnel.source}",
                    kind="data_quality",
                    severity="medium",
                    message=warning.message,
                    evidence=facts.funnel_citation(funnel),
                    suggestion="Fix the export or read the affected figures with care.",
                )
            )
    return findings
