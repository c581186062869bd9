"""A review as Markdown: the verdict counts, then findings by severity, evidence ids included."""

from __future__ import annotations

from collections import Counter

from assistant.review.models import Review


def _cell(text: str) -> str:
    # Evidence and map text are user data: keep it from breaking the table or the page.
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def review_markdown(review: Review, limit: int | None = None) -> str:
    """Render a review; `limit` caps the findings listed (the counts always cover all of them)."""
    verdicts = Counter(v.verdict for v in review.claims)
    kinds = review.counts()
    lines = [
        f"# Review of {_cell(review.map_title or 'map')}"
        + (f" (version {review.map_version})" if review.map_version else ""),
        "",
        f"{len(review.claims)} claims: {verdicts.get('supported', 0)} supported, "
        f"{verdicts.get('unsupported', 0)} assumptions, {verdicts.get('contradicted', 0)} contradicted, "
        f"{verdicts.get('miscited', 0)} mis-cited. Grounded share {review.grounded_share:.0%}. "
        f"Judge: {review.engine}.",
        "",
        "Findings: " + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"),
        "",
        "Coverage (share of each component's claims the data supports): "
        + ", ".join(f"{c} {v:.0%}" for c, v in sorted(review.coverage.items())),
        "",
        "| severity | where | kind | finding | evidence |",
        "|---|---|---|---|---|",
    ]
    shown = review.findings if limit is None else review.findings[:limit]
    texts = {v.path: v.text for v in review.claims}
    for finding in shown:
        claim = texts.get(finding.path)
        where = f"{finding.path}" + (f" “{claim}”" if claim else "")
        evidence = ", ".join(c.evidence_id for c in finding.evidence[:3])
        message = finding.message + (f" → {finding.suggestion}" if finding.suggestion else "")
        lines.append(
            f"| {finding.severity} | {_cell(where)} | {finding.kind} | {_cell(message)} | {evidence} |"
        )
    if limit is not None and len(review.findings) > limit:
        lines.append(f"\n… and {len(review.findings) - limit} more findings (use --json or --out for all).")
    return "\n".join(lines) + "\n"
