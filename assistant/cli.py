"""The `journey` command line: ingest, search, workspaces and serve, each with --json."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import JourneyError
from assistant.filters import SearchFilter
from assistant.funnels.command import funnel
from assistant.ingest.pipeline import IngestReport
from assistant.ingest.pipeline import Progress as IngestProgress
from assistant.models import SearchHit

app = typer.Typer(
    help="Journey Assistant: customer journey maps from your own research and feedback.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)  # never wrap: output is read by scripts and tests
err = Console(stderr=True, soft_wrap=True)

WorkspaceOpt = Annotated[
    str | None, typer.Option("--workspace", "-w", help="Workspace (default: JOURNEY_WORKSPACE).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def _journey() -> Any:
    # Imported late so `journey --help` stays instant (torch and chromadb load slowly).
    from assistant.context import Journey

    return Journey.open()


def _fail(exc: JourneyError) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {exc}", highlight=False)
    return typer.Exit(code=2)


def _json_fail(exc: JourneyError) -> typer.Exit:
    # With --json a script reads stdout: the error goes there as JSON too, not only to stderr.
    print(json.dumps({"error": str(exc), "type": type(exc).__name__}))
    return _fail(exc)


RoleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="Correct a column's role: COLUMN=ROLE (repeatable), e.g. --role 'app_version=segment'."
        " Roles: customer_text, company_text, speaker, closed_single, multi_select, rating, nps, likert,"
        " flag, segment, identifier, user_id, timestamp, event_name, measure, funnel_count, funnel_rate,"
        " other.",
    ),
]
SchemaOpt = Annotated[
    Path | None,
    typer.Option(
        "--schema", help="A schema JSON file ({source, kind, roles}) as `journey inspect --json` shows."
    ),
]


@app.command()
def inspect(
    paths: Annotated[list[Path], typer.Argument(help="Files to inspect (nothing is stored).")],
    workspace: WorkspaceOpt = None,
    kind: Annotated[str | None, typer.Option(help="Read the file as this kind.")] = None,
    role: RoleOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show how files will be read: kind, every column's role, what becomes evidence and what a table."""
    from assistant.ingest.walk import expand_paths
    from assistant.ingest.workbooks import table_parts
    from assistant.profiling.inspect import preview_file
    from assistant.profiling.schemas import SchemaStore, check_kind, parse_roles
    from assistant.settings import load_settings

    previews: list[Any] = []
    failures: list[dict[str, str]] = []
    try:
        settings = load_settings()
        store = SchemaStore(settings.workspace_dir(workspace or settings.workspace))
        checked_kind, roles = check_kind(kind), parse_roles(role or [])
        files, missing = expand_paths(paths)
    except JourneyError as exc:
        raise _json_fail(exc) if as_json else _fail(exc) from None
    failures.extend({"file": str(p), "reason": "no such file or folder"} for p in missing)
    from assistant.profiling.models import Schema

    for path in files:
        try:
            parts = table_parts(path, path.read_bytes)
        except (JourneyError, OSError) as exc:
            failures.append({"file": str(path), "reason": getattr(exc, "reason", str(exc))})
            continue
        for part, data in parts:
            saved = store.get(part.name)
            schema = saved.model_copy(deep=True) if saved else Schema(source=part.name)
            schema.roles.update(roles)
            try:
                given = schema if schema.roles or schema.kind else None
                previews.append(preview_file(part, given, checked_kind, data=data))
            except JourneyError as exc:
                failures.append({"file": str(part), "reason": getattr(exc, "reason", str(exc))})
    if as_json:
        print(
            json.dumps(
                {"files": [p.model_dump(mode="json") for p in previews], "failures": failures}, indent=2
            )
        )
    else:
        for preview in previews:
            for line in preview.lines():
                out.print(line, highlight=False, markup=False)
        for failure in failures:
            err.print(f"  ✗ {failure['file']}: {failure['reason']}", highlight=False, markup=False)
    raise typer.Exit(code=1 if failures else 0)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    workspace: WorkspaceOpt = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Kind of evidence (interview, survey, ticket, review, analytics, research, other);"
            " guessed per file when not given."
        ),
    ] = None,
    text_column: Annotated[
        str | None, typer.Option(help="Column holding the text in CSV/JSON files (detected when not given).")
    ] = None,
    role: RoleOpt = None,
    schema: SchemaOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest files and folders into a workspace; exit 1 if any file failed.

    Column roles are inferred (see `journey inspect`); `--role` and `--schema` correct them and are
    kept with the workspace, so the next ingest of the same file name reads it the same way.
    """
    from assistant.profiling.schemas import SchemaStore, check_kind, parse_roles

    try:
        checked_kind = check_kind(kind)
        roles = parse_roles(role or [])
        given = SchemaStore(Path(".")).load_file(schema) if schema is not None else None
        journey = _journey()
        ingester = journey.ingester(workspace)
        with _ingest_progress(quiet=as_json or not sys.stderr.isatty()) as on_progress:
            report = ingester.ingest(
                paths,
                kind=checked_kind,
                text_column=text_column,
                progress=on_progress,
                roles=roles,
                schema=given,
            )
    except JourneyError as exc:
        raise _json_fail(exc) if as_json else _fail(exc) from None
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        _print_ingest(report)
    raise typer.Exit(code=0 if report.ok else 1)


class _ingest_progress:
    """A rich progress bar over files and records, written to stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.task: Any = None

    def __enter__(self) -> Any:
        if self.quiet:
            return lambda _p: (
                err.print(f"{_p.file}: failed", highlight=False) if _p.phase == "failed" else None
            )
        self.bar.start()
        self.task = self.bar.add_task("ingesting", total=None)
        return self.update

    def update(self, tick: IngestProgress) -> None:
        """Move the bar: per file, and per record while embedding."""
        label = f"[{tick.file_index}/{tick.files}] {tick.file} · {tick.phase}"
        if tick.phase == "embedding":
            self.bar.update(self.task, description=label, completed=tick.done, total=tick.total)
        else:
            self.bar.update(self.task, description=label)

    def __exit__(self, *exc: object) -> None:
        if not self.quiet:
            self.bar.stop()


def _print_ingest(report: IngestReport) -> None:
    pii = ", ".join(f"{k} {v}" for k, v in report.pii_redacted.items() if v) or "none"
    out.print(
        f"[bold]Workspace[/] {report.workspace}: {report.files_ingested}/{report.files} files, "
        f"{report.records} records, {report.chunks_added} chunks added, "
        f"{report.duplicates_skipped} duplicates skipped, {report.empty_rows_skipped} empty rows skipped, "
        f"PII redacted: {pii} · {report.seconds:.1f}s",
        highlight=False,
    )
    if report.rolled_back:
        out.print(f"Rolled back {report.rolled_back} records a crashed earlier run left behind.")
    for read in report.read:
        extra = f", {read.company_records} company records (context only)" if read.company_records else ""
        dupes = f", {read.duplicate_rows} duplicate rows read once" if read.duplicate_rows else ""
        out.print(
            f"{read.file}: {read.kind} ({read.kind_reason}){extra}{dupes}", highlight=False, markup=False
        )
    for table in report.tables:
        state = "registered" if table.new else "already registered"
        figures = f", {table.figures} computed figures" if table.figures else ""
        out.print(
            f"Table {table.file}: {table.rows} rows, {len(table.columns)} columns, {table.shape}{figures}"
            f" — {state} for analysis.",
            highlight=False,
        )
    if report.failures:
        out.print(f"[bold red]{len(report.failures)} file(s) failed:[/]")
        for failure in report.failures:
            out.print(f"  ✗ {failure.file}: {failure.reason}", highlight=False)


def hit_to_json(hit: SearchHit) -> dict[str, Any]:
    """Flatten a search hit into the JSON shape of `journey search --json`."""
    evidence = hit.evidence
    return {
        "id": evidence.id,
        "source": evidence.source,
        "kind": evidence.kind,
        "locator": {**evidence.locator.model_dump(exclude_none=True), "label": evidence.locator.label},
        "text": evidence.text,
        "score": hit.score,
        "created_at": evidence.created_at.isoformat() if evidence.created_at else None,
        "attributes": evidence.attributes,
        "dense_rank": hit.dense_rank,
        "lexical_rank": hit.lexical_rank,
    }


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=200, help="How many results.")] = 10,
    kind: Annotated[list[str] | None, typer.Option(help="Only this kind (repeatable).")] = None,
    where: Annotated[
        list[str] | None, typer.Option(help="Attribute filter key=value (repeatable), e.g. device=mobile.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only evidence created on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Only evidence created on or before this date.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid (default), dense or lexical.")] = "hybrid",
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search the evidence: hybrid dense + BM25 retrieval with filters."""
    if mode not in ("hybrid", "dense", "lexical"):
        raise _fail(JourneyError(f"--mode must be hybrid, dense or lexical, got {mode!r}"))
    try:
        search_filter = SearchFilter.parse(kinds=kind, where=where, since=since, until=until)
        journey = _journey()
        name = workspace or journey.settings.workspace
        hits = journey.retriever.search(name, query, k=k, search_filter=search_filter, mode=mode)  # type: ignore[arg-type]
    except JourneyError as exc:
        raise _fail(exc) from None
    if as_json:
        print(
            json.dumps(
                {"query": query, "workspace": name, "results": [hit_to_json(h) for h in hits]},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not hits:
        out.print("No evidence matches. Try other words, fewer filters, or `journey ingest` more data.")
        return
    table = Table(show_lines=True)
    for column in ("#", "score", "source · where", "text", "id"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(hits, start=1):
        evidence = hit.evidence
        text = evidence.text if len(evidence.text) <= 300 else evidence.text[:297] + "…"
        table.add_row(
            str(rank),
            f"{hit.score:.4f}",
            f"{evidence.source} · {evidence.locator.label}\n({evidence.kind})",
            text,
            evidence.id,
        )
    out.print(table)


@app.command()
def workspaces(as_json: JsonOpt = False) -> None:
    """List workspaces with their record counts and registered tables."""
    try:
        journey = _journey()
        rows = [
            {
                "workspace": name,
                "records": journey.store.count(name),
                "tables": journey.ingester(name).journal.tables(),
            }
            for name in journey.store.workspaces()
        ]
    except JourneyError as exc:
        raise _fail(exc) from None
    if as_json:
        print(json.dumps({"workspaces": rows}, indent=2))
        return
    if not rows:
        out.print("No workspaces yet. Start with `journey ingest knowledge/`.")
    for row in rows:
        out.print(f"{row['workspace']}: {row['records']} records, {len(row['tables'])} tables")


@app.command()
def draft(
    persona: Annotated[
        str | None,
        typer.Option(help="A persona from `journey personas`, or free text such as 'mobile-first parents'."),
    ] = None,
    scope: Annotated[str, typer.Option(help="What the map covers, e.g. 'online orders, UK'.")] = "",
    stages: Annotated[
        str | None, typer.Option(help="Comma-separated stage ids (default: the whole stage set).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Map title (same title = new version of that map).")
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the map to FILE: JSON, or Markdown when it ends in .md."),
    ] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a persona and a stage-by-stage journey map from the evidence, and save it."""
    from assistant.maps.render import to_markdown
    from assistant.workflow import draft_map

    try:
        journey = _journey()
        with err.status("drafting…") as status:
            result = draft_map(
                journey,
                workspace,
                persona=persona,
                scope=scope,
                stages=[s.strip() for s in stages.split(",") if s.strip()] if stages else None,
                title=title,
                progress=lambda message: status.update(f"drafting: {message}"),
            )
    except JourneyError as exc:
        raise _fail(exc) from None
    journey_map = result.journey_map
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        markdown = out_file.suffix.lower() == ".md"
        out_file.write_text(
            to_markdown(journey_map) if markdown else journey_map.model_dump_json(indent=2), encoding="utf-8"
        )
    if as_json:
        print(journey_map.model_dump_json(indent=2))
        return
    _print_draft_summary(journey_map, len(result.problems), out_file)
    for warning in result.warnings:
        err.print(f"[yellow]Warning:[/] {warning}", highlight=False)


def _print_draft_summary(journey_map: Any, problems: int, path: Path | None) -> None:
    lanes = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")
    items = [item for stage in journey_map.stages for lane in lanes for item in getattr(stage, lane)]
    data = sum(1 for item in items if item.basis == "data")
    console = out
    console.print(
        f"[bold]{journey_map.title}[/] — version {journey_map.version}, engine {journey_map.engine}",
        highlight=False,
    )
    console.print(f"Persona: {journey_map.persona.name} — {journey_map.persona.summary}", highlight=False)
    for stage in journey_map.stages:
        pains = ", ".join(
            f"{p.text} ({p.frequency.share:.0%})" if p.frequency else p.text for p in stage.pain_points[:3]
        )
        emotion = f"{stage.emotion.score:+.2f} {stage.emotion.label}" if stage.emotion else "—"
        console.print(
            f"  {stage.name:<14} emotion {emotion:<18} pain points: {pains or '—'}", highlight=False
        )
    console.print(f"{data} of {len(items)} items rest on cited data; the rest are marked assumptions.")
    if problems:
        console.print(
            f"{problems} citation(s) failed the checks and were removed; their items became assumptions."
        )
    console.print(
        f"Saved as map '{journey_map.id}' version {journey_map.version}"
        + (f"; written to {path}" if path else "")
        + "."
    )


app.command()(funnel)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="e.g. 'why do customers drop off at checkout?'")],
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the evidence: where (funnel), who (segments), why (themes), all cited."""
    from assistant.ask.service import ask as answer_question

    try:
        journey = _journey()
        with err.status("working out the answer…"):
            answer = answer_question(journey, workspace, question)
    except JourneyError as exc:
        raise _fail(exc) from None
    if as_json:
        print(answer.model_dump_json(indent=2))
        return
    out.print(answer.answer, highlight=False, markup=False)
    out.print(f"Engine: {answer.engine}", highlight=False, markup=False)
    for warning in answer.warnings:
        err.print(f"[yellow]Warning:[/] {warning}", highlight=False)


@app.command()
def chat(workspace: WorkspaceOpt = None) -> None:
    """Ask questions one per line (stdin); follow-ups like 'and on mobile?' read against the last one."""
    from assistant.ask.conversation import Conversation
    from assistant.ask.service import ask as answer_question

    try:
        journey = _journey()
    except JourneyError as exc:
        raise _fail(exc) from None
    conversation = Conversation()
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            err.print("[bold]you>[/] ", end="")
        line = sys.stdin.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        try:
            with err.status("working out the answer…"):
                answer = answer_question(journey, workspace, question, conversation=conversation)
        except JourneyError as exc:
            err.print(f"[red]Could not answer:[/] {exc}", highlight=False)
            continue
        out.print(answer.answer, highlight=False, markup=False)
        out.print(f"Engine: {answer.engine}\n", highlight=False, markup=False)
        for warning in answer.warnings:
            err.print(f"[yellow]Warning:[/] {warning}", highlight=False)


@app.command()
def review(
    map_ref: Annotated[
        str,
        typer.Argument(
            metavar="MAP",
            help="A map file (our JSON, a CSV or Markdown grid of lanes x stages) or a stored map id.",
        ),
    ],
    version: Annotated[int | None, typer.Option(help="Version of a stored map (default: latest).")] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the review to FILE: JSON, or Markdown when it ends in .md."),
    ] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check every claim of a journey map against the evidence: supported, assumption, contradicted."""
    from assistant.maps.drafting import map_store
    from assistant.maps.store import MapNotFound
    from assistant.review.importers import MapFormatError, load_map_file
    from assistant.review.render import review_markdown
    from assistant.review.service import review_map

    try:
        journey = _journey()
        path = Path(map_ref)
        if path.suffix or path.exists():
            try:
                journey_map = load_map_file(path, journey.analyzer(workspace).stage_set)
            except MapFormatError:
                if path.suffix.lower() in (".txt", ".text") and journey.llm_enabled:
                    from assistant.review.text_map import structure_text_map

                    journey_map = structure_text_map(journey, path)
                else:
                    raise
        else:
            try:
                journey_map = map_store(journey).load(map_ref, version)
            except MapNotFound as exc:
                raise MapFormatError(f"{map_ref}: neither a file nor a stored map ({exc})") from None
        name = workspace or journey.settings.workspace
        with err.status("reviewing…") as status:
            result = review_map(
                journey, name, journey_map, progress=lambda m: status.update(f"reviewing: {m}")
            )
    except JourneyError as exc:
        raise _fail(exc) from None
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        markdown = out_file.suffix.lower() == ".md"
        body = review_markdown(result) if markdown else result.model_dump_json(indent=2)
        out_file.write_text(body, encoding="utf-8")
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    out.print(review_markdown(result, limit=40), highlight=False, markup=False)
    for warning in result.warnings:
        err.print(f"[yellow]Warning:[/] {warning}", highlight=False)


@app.command()
def maps(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List saved maps and their versions."""
    from assistant.maps.drafting import map_store

    try:
        journey = _journey()
        versions = map_store(journey).list(workspace)
    except JourneyError as exc:
        raise _fail(exc) from None
    if as_json:
        print(
            json.dumps(
                {
                    "maps": [
                        {
                            "id": v.map_id,
                            "version": v.version,
                            "title": v.title,
                            "workspace": v.workspace,
                            "engine": v.engine,
                            "created_at": v.created_at.isoformat(),
                        }
                        for v in versions
                    ]
                },
                indent=2,
            )
        )
        return
    if not versions:
        out.print("No maps yet. Draft one with `journey draft`.")
    for v in versions:
        out.print(
            f"{v.map_id}  v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.engine:<10} "
            f"{v.title} ({v.workspace})",
            highlight=False,
        )


@app.command()
def personas(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Propose 2-4 personas from the evidence, each with its size, traits and quotes."""
    from assistant.maps.persona import build_persona, propose_personas

    try:
        journey = _journey()
        name = workspace or journey.settings.workspace
        analyzer = journey.analyzer(name)
        everyone = analyzer.records()
        if not everyone:
            raise JourneyError(f"workspace {name!r} holds no evidence; run `journey ingest` first")
        proposals = []
        for persona_name, group in propose_personas(everyone):
            ids = {r.id for r in group}
            digest = analyzer.digest(record_filter=lambda r, ids=ids: r.id in ids)
            proposals.append(build_persona(group, everyone, digest, name=persona_name))
    except JourneyError as exc:
        raise _fail(exc) from None
    if as_json:
        print(
            json.dumps(
                {"personas": [p.model_dump(mode="json") for p in proposals]}, indent=2, ensure_ascii=False
            )
        )
        return
    for persona in proposals:
        size = f"{persona.size.count} records ({persona.size.share:.0%})" if persona.size else ""
        out.print(f"[bold]{persona.name}[/] — {size}", highlight=False)
        for trait in persona.traits:
            flag = " ⚠ assumption" if trait.basis == "assumption" else ""
            out.print(f"  {trait.category:<12} {trait.text}{flag}", highlight=False)
        out.print(f'  Draft its map: journey draft --persona "{persona.name}"', highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Start the web app (ingests the sample knowledge base on first start)."""
    from app import launch

    try:
        launch(host=host, port=port)
    except JourneyError as exc:
        raise _fail(exc) from None


if __name__ == "__main__":
    app()
