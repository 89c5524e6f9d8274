"""``mentiondesk``: run the desk, manage users and workspaces, import posts, run the demo."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mentiondesk.bootstrap import bootstrap
from mentiondesk.cli import agents, sla
from mentiondesk.cli import listening as listening_cli
from mentiondesk.cli.moderation import register as register_moderation
from mentiondesk.cli.options import DatabaseUrl, DataDir, services_for
from mentiondesk.cli.replies import register as register_replies
from mentiondesk.cli.reports import register as register_reports
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user, do_set_role
from mentiondesk.desk.workspaces import do_create_source, do_create_workspace
from mentiondesk.domain.errors import DomainError
from mentiondesk.domain.workspaces import BrandIdentity, Role
from mentiondesk.pipeline.files import BadLine, read_posts
from mentiondesk.pipeline.runner import ImportStats, IngestResult

app = typer.Typer(help="mentiondesk — a social-media customer-care desk.", no_args_is_help=True)
user_app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)
workspace_app = typer.Typer(help="Manage brand workspaces.", no_args_is_help=True)
source_app = typer.Typer(help="Manage signed inbound webhook sources.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(workspace_app, name="workspace")
app.add_typer(source_app, name="source")
app.add_typer(db_app, name="db")
app.add_typer(listening_cli.app, name="listening")
register_moderation(app)
app.add_typer(sla.sla_app, name="sla")
app.add_typer(sla.hours_app, name="hours")
app.add_typer(agents.app, name="agent")
register_replies(app, user_app)
register_reports(app)

console = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=2)


@app.command()
def serve(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the web app and the API (OpenAPI at /api/docs)."""
    import uvicorn

    from mentiondesk.web.app import create_app

    services = services_for(data_dir, database_url)
    console.print(f"mentiondesk on [bold]http://{host}:{port}/[/bold]  (API docs: /api/docs)")
    uvicorn.run(create_app(services), host=host, port=port, log_level="warning")


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Create or migrate the database schema to the latest version."""
    services_for(data_dir, database_url).close()
    console.print("database is up to date")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in e-mail.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 8 characters (prompted if omitted).",
        ),
    ],
    workspace: Annotated[str | None, typer.Option(help="Workspace slug to join.")] = None,
    role: Annotated[Role, typer.Option(help="Role in that workspace.")] = Role.AGENT,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user (password hashed with argon2), optionally with a role in a workspace."""
    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            user = do_create_user(uow, email, name, password, now=services.clock.now())
            if workspace:
                do_set_role(uow, user.email, workspace, role)
    except DomainError as exc:
        raise _fail(str(exc)) from None
    console.print(
        f"created user {user.email}" + (f" as {role.value} of {workspace}" if workspace else "")
    )


@user_app.command("grant")
def user_grant(
    email: Annotated[str, typer.Option(help="The user's e-mail.")],
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    role: Annotated[Role, typer.Option(help="owner, admin, agent or viewer.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Give a user a role in a workspace (or change it)."""
    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            do_set_role(uow, email, workspace, role)
    except DomainError as exc:
        raise _fail(str(exc)) from None
    console.print(f"{email} is now {role.value} of {workspace}")


@workspace_app.command("create")
def workspace_create(
    slug: Annotated[str, typer.Option(help="Short id used in URLs, e.g. skylot.")],
    name: Annotated[str, typer.Option(help="The brand's display name.")],
    brand_name: Annotated[list[str], typer.Option(help="A brand name or alias (repeatable).")],
    handle: Annotated[
        list[str], typer.Option(help="platform:handle, e.g. x:@skylot (repeatable).")
    ] = [],  # noqa: B006
    time_zone: Annotated[
        str, typer.Option(help="IANA time zone of the business hours.")
    ] = "Europe/Warsaw",
    language: Annotated[
        list[str] | None, typer.Option(help="Working language (repeatable); default pl, it, en.")
    ] = None,
    order_pattern: Annotated[
        str | None, typer.Option(help="Regex of your order/ticket numbers.")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a brand workspace."""
    languages = tuple(language or ("pl", "it", "en"))
    handles: dict[str, tuple[str, ...]] = {}
    for item in handle:
        platform, _, value = item.partition(":")
        if not value:
            raise _fail(f"--handle {item!r}: use platform:handle, e.g. x:@skylot")
        handles[platform] = (*handles.get(platform, ()), value)
    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            do_create_workspace(
                uow,
                slug=slug,
                name=name,
                now=services.clock.now(),
                time_zone=time_zone,
                brand=BrandIdentity(names=tuple(brand_name), handles=handles),
                languages=languages,
                order_pattern=order_pattern,
            )
    except DomainError as exc:
        raise _fail(str(exc)) from None
    console.print(f"created workspace {slug}")


@source_app.command("create")
def source_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    name: Annotated[str, typer.Option(help="Source name, used in POST /api/v1/inbound/{name}.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Register an inbound webhook source and print its signing secret (shown once)."""
    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            ws = uow.workspaces.get_by_slug(workspace)
            if ws is None:
                raise _fail(f"no workspace {workspace!r}")
            secret = do_create_source(uow, ws, name, now=services.clock.now())
    except DomainError as exc:
        raise _fail(str(exc)) from None
    typer.echo(secret)


@app.command("import")
def import_posts(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help=".jsonl or .csv (optionally .gz)")
    ],
    workspace: Annotated[str, typer.Option(help="Workspace slug to import into.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: by extension)")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Ingest posts from a file. Bad lines are kept as rejected inputs; the rest go on.
    Importing the same file twice changes nothing."""
    services = services_for(data_dir, database_url)
    with services.uow() as uow:
        ws = uow.workspaces.get_by_slug(workspace)
    if ws is None:
        raise _fail(f"no workspace {workspace!r}")
    pipeline = services.pipeline
    stats = ImportStats()
    source = f"import:{file.name}"

    def report(result: IngestResult) -> None:
        if result.status == "rejected":
            console.print(f"[yellow]rejected[/yellow] {result.field}: {result.reason}")
        stats.add(result)
        progress.advance(task)

    def good_records() -> Iterator[dict[str, Any]]:
        for record in read_posts(file, fmt):
            if isinstance(record, BadLine):
                report(
                    pipeline.reject(
                        ws,
                        record.text,
                        source=source,
                        field=f"line {record.line}",
                        reason=record.reason,
                    )
                )
            else:
                yield record

    with _progress() as progress:
        task = progress.add_task(f"importing {file.name}", total=None)
        try:
            for result in pipeline.ingest_many(ws, good_records(), source=source):
                report(result)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"created {stats.created}, duplicate {stats.duplicate}, rejected {stats.rejected}")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@app.command()
def demo(
    data_dir: Annotated[
        Path, typer.Option(envvar="MENTIONDESK_DATA_DIR", help="Folder of the demo database.")
    ] = Path("data/demo"),
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web app after loading.")
    ] = True,
    reset: Annotated[bool, typer.Option(help="Delete the demo database first.")] = False,
) -> None:
    """Set up the Skylot demo: workspaces, agents, business hours, a week of posts in Polish,
    Italian and English replayed through the pipeline; then serve it."""
    from mentiondesk.demo.setup import (
        DEMO_PASSWORD,
        DEMO_USERS,
        create_demo_workspaces,
        demo_agents,
        replay_stream,
    )

    started = time.monotonic()
    if reset:
        for path in data_dir.glob("mentiondesk.db*"):
            path.unlink()
    services = bootstrap(Settings(data_dir=data_dir))
    workspace = create_demo_workspaces(services)
    with services.uow() as uow:
        already = uow.posts.count(workspace.id)
    if already:
        console.print(f"demo data already loaded ({already} posts); use --reset to start over")
    else:
        with _progress() as progress:
            task = progress.add_task("replaying the demo stream", total=None)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            stats = replay_stream(services, workspace, progress=tick)
        console.print(
            f"created {stats.created} posts, {stats.duplicate} duplicates, "
            f"{stats.rejected} rejected"
        )
        from mentiondesk.demo.history import simulate_past_work
        from mentiondesk.web.sla_sweeper import sweep_once

        with _progress() as progress:
            task = progress.add_task("replaying the team's past week", total=None)

            def tick_history(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            history = simulate_past_work(
                services, workspace, demo_agents(services), progress=tick_history
            )
        console.print(f"agents answered {history.answered} cases and resolved {history.resolved}")

        console.print(f"recorded {sweep_once(services)} SLA breaches of the past week")
    console.print(f"ready in {time.monotonic() - started:.1f} s")
    console.print(f"\n  open   [bold]http://{host}:{port}/[/bold]")
    for login in DEMO_USERS:
        console.print(f"  login  {login.email} / {DEMO_PASSWORD}   ({login.role.value})")
    if serve_after:
        import uvicorn

        from mentiondesk.web.app import create_app

        uvicorn.run(create_app(services), host=host, port=port, log_level="warning")
    else:
        services.close()


InputFile = Annotated[Path, typer.Option("--input", exists=True, dir_okay=False, help="JSONL in.")]
OutputFile = Annotated[Path, typer.Option("--output", dir_okay=False, help="JSONL out.")]


@app.command()
def guard(input_path: InputFile, output_path: OutputFile) -> None:
    """Check replies before they go out (wrong name, unfilled placeholder, sensitive data in
    public, hotline brush-off, blame, boilerplate…): one JSON object per line in, the same
    object with ``findings`` and ``detected`` out; a bad line gets ``error``."""
    from mentiondesk.replies.guard.batch import run_batch

    with _progress() as progress:
        task = progress.add_task("guarding replies", total=None)
        stats = run_batch(
            input_path, output_path, progress=lambda done: progress.update(task, completed=done)
        )
    console.print(
        f"{stats.lines} lines: {stats.blocked} blocked, {stats.warned} with warnings, "
        f"{stats.errors} errors"
    )


@app.command()
def triage(
    input_path: InputFile,
    output_path: OutputFile,
    languages: Annotated[
        str, typer.Option(help="Comma-separated languages the workspace works in.")
    ] = "pl,it,en",
    order_pattern: Annotated[
        str | None, typer.Option(help="Regex of your order/ticket numbers.")
    ] = None,
) -> None:
    """Label posts: language, sentiment, intent, harm, spam, sensitive data, priority. One JSON
    object per line in (at least ``id`` and ``text``), the same object with ``triage`` out; a
    bad line gets ``error``."""
    from mentiondesk.triage.batch import run_batch

    with _progress() as progress:
        task = progress.add_task("triaging posts", total=None)
        stats = run_batch(
            input_path,
            output_path,
            progress=lambda done: progress.update(task, completed=done),
            languages=tuple(lang.strip() for lang in languages.split(",") if lang.strip()),
            order_pattern=order_pattern,
        )
    console.print(
        f"{stats.lines} lines: {stats.triaged} triaged, {stats.errors} errors "
        f"in {stats.seconds:.1f} s"
    )


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(ctx: typer.Context) -> None:
    """Retrain the triage models from the labelled corpora and rewrite docs/models.md
    (needs the train extra: pip install -e '.\\[train]'). Options are passed through:
    --data DIR, --research-out DIR, --evaluate-only, --report PATH."""
    from mentiondesk.triage.train import main as train_main

    raise typer.Exit(code=train_main(list(ctx.args)))


@app.command("export-corrections")
def export_label_corrections(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    output_path: OutputFile,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write agents' corrections of triage labels as JSON lines in the training corpora's
    shape ({task, lang, source, text, label}), ready to retrain the models on."""
    from mentiondesk.desk.corrections import export_corrections

    services = services_for(data_dir, database_url)
    with services.uow() as uow:
        ws = uow.workspaces.get_by_slug(workspace)
        if ws is None:
            raise _fail(f"no workspace {workspace!r}")
        count = 0
        with output_path.open("w", encoding="utf-8") as out:
            for line in export_corrections(uow, ws):
                out.write(line + "\n")
                count += 1
    console.print(f"wrote {count} corrected labels to {output_path}")
