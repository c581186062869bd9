"""What a review produces: findings with paths, per-claim verdicts, grounded share and coverage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Citation

FindingKind = Literal[
    "unsupported",
    "contradicted",
    "weak_evidence",
    "invalid_citation",
    "stale",
    "missing_component",
    "quantity_mismatch",
    "data_quality",
]
Severity = Literal["high", "medium", "low"]
Verdict = Literal["supported", "unsupported", "contradicted", "miscited"]


class Finding(BaseModel):
    """One problem found in a map, at a path such as `stages[2].pain_points[0]`."""

    path: str
    kind: FindingKind
    severity: Severity
    message: str
    evidence: list[Citation] = Field(default_factory=list, description="Evidence behind the finding.")
    suggestion: str = ""


class ClaimVerdict(BaseModel):
    """The reviewer's verdict on one atomic claim of the map."""

    path: str
    component: str
    stage: str | None = None
    text: str
    verdict: Verdict
    reason: str
    evidence: list[Citation] = Field(default_factory=list, description="Evidence that decided it.")
    judge: str = Field(default="offline", description="'offline' or the model that judged it.")


class Review(BaseModel):
    """A review of one map: findings, per-claim verdicts, and how much of it rests on data."""

    map_title: str = ""
    map_version: int | None = None
    engine: str = "offline"
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    findings: list[Finding] = Field(default_factory=list)
    claims: list[ClaimVerdict] = Field(default_factory=list)
    grounded_share: float = Field(default=0.0, description="Share of claims the data supports.")
    coverage: dict[str, float] = Field(
        default_factory=dict, description="Per component: share of its claims the data supports."
    )
    warnings: list[str] = Field(default_factory=list, description="What could not be checked, and why.")

    def counts(self) -> dict[str, int]:
        """Findings by kind."""
        result: dict[str, int] = {}
        for finding in self.findings:
            result[finding.kind] = result.get(finding.kind, 0) + 1
        return result
