"""`journey funnel FILE --steps a,b,c [--by PROPERTY] [--window 7d] [--json]`."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from assistant.errors import JourneyError, QueryError
from assistant.funnels.compute import DEFAULT_WINDOW_SECONDS, compute_funnel
from assistant.funnels.models import FunnelResult

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def parse_window(text: str) -> int:
    """'7d', '36h', '90m', '3600s' or plain seconds, to seconds; 'any' (or 0): steps in any order."""
    if text.strip().lower() in ("any", "none", "unordered"):
        return 0
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw]?)\s*", text.lower())
    if not match:
        raise QueryError(f"--window {text!r}: use a number with s, m, h, d or w, e.g. 7d")
    return int(match.group(1)) * UNITS[match.group(2) or "s"]


def funnel(
    file: Annotated[
        Path, typer.Argument(help="An event log, an aggregate export, or one row per session/user.")
    ],
    steps: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated steps in order: columns, event names or step ids (default: the columns "
            "or events the stage set's funnel steps file recognises)."
        ),
    ] = None,
    by: Annotated[str | None, typer.Option(help="Break the funnel down by this property/column.")] = None,
    window: Annotated[
        str,
        typer.Option(
            help="Conversion window for event logs, e.g. 7d, 36h; 'any': steps in any order, any time."
        ),
    ] = "7d",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
    table_number: Annotated[
        int,
        typer.Option(
            "--table",
            min=1,
            help="Which table of a report export with several (title lines, blank-line-separated blocks).",
        ),
    ] = 1,
) -> None:
    """Compute a funnel: counts, step and overall conversion, drop-off, time between steps, warnings."""
    try:
        seconds = parse_window(window) if window else DEFAULT_WINDOW_SECONDS
        chosen = [s.strip() for s in steps.split(",") if s.strip()] if steps else None
        from assistant.analysis.stages import load_stage_set
        from assistant.settings import load_settings

        stage_set = load_stage_set(load_settings().stage_set)
        with tempfile.TemporaryDirectory(prefix="journey-funnel-") as folder:
            table_file = report_table(file, table_number, Path(folder))
            result = compute_funnel(table_file, chosen, by, seconds, steps_table=stage_set.step_table())
    except JourneyError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False)
        raise typer.Exit(code=2) from None
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    print_funnel(result)


def report_table(file: Path, number: int, folder: Path) -> Path:
    """The file itself, or its table `number` written into `folder` when it holds several.

    Split as ingest splits it (`table_parts`: a report's title lines left out and its blocks apart,
    a workbook's sheets), so the funnel of a raw export is that of the table `journey ingest` keeps.
    """
    from assistant.ingest.workbooks import table_parts

    data = file.read_bytes() if file.is_file() else b""
    parts = table_parts(file, lambda: data) if data else [(file, None)]
    if number > len(parts):
        held = "one table" if len(parts) == 1 else f"{len(parts)} table(s)"
        raise QueryError(f"{file.name}: --table {number}, but the file holds {held}")
    name, block = parts[number - 1]
    if block is None or block is data:
        return file  # read as it is
    target = folder / name.name
    target.write_bytes(block)
    return target


def print_funnel(result: FunnelResult) -> None:
    """The funnel as a table, then the breakdown and the warnings."""
    table = RichTable(title=f"{result.source} ({result.shape.replace('_', ' ')})")
    for column in ("step", "count", "from previous", "dropped", "median time"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for step in result.steps:
        table.add_row(
            step.name + (f" ({step.step})" if step.step and step.step != step.name else ""),
            f"{step.count:,}",
            "" if step.conversion_from_previous is None else f"{step.conversion_from_previous:.1%}",
            "" if step.drop_off is None else f"{step.drop_off:,}",
            format_duration(step.median_seconds_from_previous),
        )
    out.print(table)
    out.print(f"Overall conversion: {result.overall_conversion:.2%}", highlight=False)
    for rate, base in result.weighted.items():
        out.print(f"{rate} weighted by {base} (each row's rate × its {base})", highlight=False)
    if result.window_seconds == 0:
        out.print("Steps counted in any order, at any time.", highlight=False)
    if result.breakdown:
        out.print(f"By {result.breakdown_by}:", highlight=False)
        for group in result.breakdown:
            rates = " · ".join(
                f"{s.name} {s.conversion_from_previous:.1%}"
                for s in group.steps[1:]
                if s.conversion_from_previous is not None
            )
            out.print(
                f"  {group.value}: {group.entrants:,} entered, "
                f"{group.overall_conversion:.2%} overall ({rates})",
                highlight=False,
            )
    for warning in result.warnings:
        err.print(f"[yellow]Warning ({warning.kind}):[/] {warning.message}", highlight=False)


def format_duration(seconds: float | None) -> str:
    """Seconds as a short readable duration ("" for None)."""
    if seconds is None:
        return ""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
