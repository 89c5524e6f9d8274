"""``mentiondesk``: run the desk, manage users and workspaces, import posts, run the demo."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.bootstrap import Services
from mentiondesk.cli import (
    accounts,
    agents,
    alerts,
    channels,
    integrations,
    listening,
    moderation,
    replies,
    reports,
    sla,
    worker,
)
from mentiondesk.cli.common import console, fail, open_services, progress
from mentiondesk.cli.listen import listen, listening_beside
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.accounts import do_create_user, do_set_role
from mentiondesk.desk.workspaces import do_create_source, do_create_workspace
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.workspaces import BrandIdentity, Role, Workspace
from mentiondesk.pipeline.files import import_file
from mentiondesk.pipeline.runner import ImportStats
from mentiondesk.storage.unit_of_work import UnitOfWork

app = typer.Typer(help="mentiondesk — a social-media customer-care desk.", no_args_is_help=True)
user_app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)
workspace_app = typer.Typer(help="Manage brand workspaces.", no_args_is_help=True)
source_app = typer.Typer(help="Manage signed inbound webhook sources.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(workspace_app, name="workspace")
app.add_typer(source_app, name="source")
app.add_typer(db_app, name="db")
app.add_typer(listening.app, name="listening")
app.add_typer(moderation.erasure_app, name="erasure")
app.add_typer(moderation.rules_app, name="rules")
app.add_typer(moderation.audit_app, name="audit")
app.add_typer(sla.sla_app, name="sla")
app.add_typer(sla.hours_app, name="hours")
app.add_typer(alerts.app, name="alerts")
app.add_typer(integrations.token_app, name="token")
app.add_typer(integrations.webhook_app, name="webhook")
app.add_typer(agents.app, name="agent")
app.add_typer(channels.app, name="channel")
app.add_typer(replies.outbox_app, name="outbox")
app.add_typer(replies.saved_app, name="saved-replies")
app.command("worker")(worker.worker)
app.command("listen")(listen)
user_app.command("signature")(replies.user_signature)
user_app.command("passwd")(accounts.user_passwd)
user_app.command("reset")(accounts.user_reset)
user_app.command("deactivate")(accounts.user_deactivate)
user_app.command("remove")(accounts.user_remove)
user_app.command("sessions")(accounts.user_sessions)
app.add_typer(accounts.secrets_app, name="secrets")
reports.register(app)


@app.command()
def serve(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    drain: Annotated[
        bool,
        typer.Option(
            help="In journal mode, process queued webhook bodies in this process; "
            "--no-drain leaves them to `mentiondesk worker` processes."
        ),
    ] = True,
    listen: Annotated[
        bool,
        typer.Option(
            "--listen/--no-listen",
            help="Hear the open channels in-process (off when `mentiondesk listen` runs apart).",
        ),
    ] = True,
) -> None:
    """Run the web app and the API (OpenAPI at /api/docs)."""
    import uvicorn

    from mentiondesk.web.app import create_app

    with open_services(data_dir, database_url) as services:
        console.print(f"mentiondesk on [bold]http://{host}:{port}/[/bold]  (API docs: /api/docs)")
        app = create_app(services, drain_journal=drain)
        with listening_beside(services) if listen else nullcontext():
            uvicorn.run(app, host=host, port=port, log_level="warning")


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Create or migrate the database schema to the latest version."""
    with open_services(data_dir, database_url):
        pass
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
            help="12+ characters, not a common password, not the e-mail name or the "
            "workspace's name (prompted if omitted).",
        ),
    ],
    workspace: Annotated[str | None, typer.Option(help="Workspace slug to join.")] = None,
    role: Annotated[Role, typer.Option(help="Role in that workspace.")] = Role.AGENT,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user (password hashed with argon2), optionally with a role in a workspace."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        ws = uow.workspaces.get_by_slug(workspace) if workspace else None
        names = [ws.name, ws.slug] if ws else []
        user = do_create_user(
            uow, email, name, password, now=services.clock.now(), workspace_names=names
        )
        if workspace:
            do_set_role(uow, user.email, workspace, role)
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
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        do_set_role(uow, email, workspace, role)
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
            fail(f"--handle {item!r}: use platform:handle, e.g. x:@skylot")
        handles[platform] = (*handles.get(platform, ()), value)
    with open_services(data_dir, database_url) as services, services.uow() as uow:
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
    console.print(f"created workspace {slug}")


@source_app.command("create")
def source_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    name: Annotated[str, typer.Option(help="Source name, used in POST /api/v1/inbound/{name}.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Register an inbound webhook source and print its signing secret (shown once)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        secret = do_create_source(uow, _workspace(uow, workspace), name, now=services.clock.now())
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
    """Ingest posts from a file. Bad lines are kept as rejected inputs (whatever is wrong
    with them: encoding, JSON, size, a field) and the rest go on. Importing the same file
    twice changes nothing: stored posts and kept rejects are each recorded once."""
    with open_services(data_dir, database_url) as services:
        with services.uow() as uow:
            ws = _workspace(uow, workspace)
        if services.settings.nats_url:
            sent = _publish(services, ws, file, fmt)
            typer.echo(f"published {sent} posts to JetStream; `mentiondesk worker` stores them")
            return
        stats = _import(services, ws, file, fmt)
    typer.echo(f"created {stats.created}, duplicate {stats.duplicate}, rejected {stats.rejected}")


def _import(services: Services, ws: Workspace, file: Path, fmt: str | None) -> ImportStats:
    stats = ImportStats()
    with progress() as bar:
        task = bar.add_task(f"importing {file.name}", total=None)
        try:
            for result in import_file(services.pipeline, ws, file, fmt):
                if result.status in ("rejected", "dead-letter"):
                    shown = f"{result.field}: {result.reason}"
                    console.print(f"[yellow]{result.status}[/yellow] {shown}")
                stats.add(result)
                bar.advance(task)
        except ValueError as exc:
            fail(str(exc))
    return stats


def _publish(services: Services, ws: Workspace, file: Path, fmt: str | None) -> int:
    """Scaled mode: lines that are JSON objects go to the stream; a bad line is kept as a
    rejected input here, as the in-process import keeps it."""
    from mentiondesk.pipeline.files import BadLine, read_posts
    from mentiondesk.pipeline.jetstream import Names, publish_sync

    assert services.settings.nats_url is not None
    source = f"import:{file.name}"
    good = []
    try:
        for record in read_posts(file, fmt):
            if isinstance(record, BadLine):
                services.pipeline.reject(
                    ws, record.raw, source=source, field=f"line {record.line}", reason=record.reason
                )
            else:
                good.append(record)
    except ValueError as exc:
        fail(str(exc))
    names = Names(services.settings.nats_prefix, services.settings.nats_ack_wait)
    return publish_sync(services.settings.nats_url, ws.id, source, good, names)


def _workspace(uow: UnitOfWork, slug: str) -> Workspace:
    workspace = uow.workspaces.get_by_slug(slug)
    if workspace is None:
        raise NotFound(f"no workspace {slug!r}")
    return workspace


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
    from mentiondesk.demo.setup import DEMO_PASSWORD, DEMO_USERS, create_demo_workspaces

    started = time.monotonic()
    if reset:
        for path in data_dir.glob("mentiondesk.db*"):
            path.unlink()
    with open_services(data_dir, None) as services:
        workspace = create_demo_workspaces(services)
        with services.uow() as uow:
            already = uow.posts.count(workspace.id)
        if already:
            console.print(f"demo data already loaded ({already} posts); use --reset to start over")
        else:
            _load_demo(services, workspace)
        console.print(f"ready in {time.monotonic() - started:.1f} s")
        console.print(f"\n  open   [bold]http://{host}:{port}/[/bold]")
        for login in DEMO_USERS:
            console.print(f"  login  {login.email} / {DEMO_PASSWORD}   ({login.role.value})")
        if serve_after:
            import uvicorn

            from mentiondesk.web.app import create_app

            uvicorn.run(create_app(services), host=host, port=port, log_level="warning")


def _load_demo(services: Services, workspace: Workspace) -> None:
    """Replay the demo stream, then the team's past week and its SLA breaches."""
    from mentiondesk.demo.history import simulate_past_work
    from mentiondesk.demo.setup import demo_agents, replay_stream
    from mentiondesk.web.sla_sweeper import sweep_once

    with progress() as bar:
        task = bar.add_task("replaying the demo stream", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        stats = replay_stream(services, workspace, progress=tick)
    console.print(
        f"created {stats.created} posts, {stats.duplicate} duplicates, {stats.rejected} rejected"
    )
    with progress() as bar:
        task = bar.add_task("replaying the team's past week", total=None)

        def tick_history(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        history = simulate_past_work(
            services, workspace, demo_agents(services), progress=tick_history
        )
    console.print(f"agents answered {history.answered} cases and resolved {history.resolved}")
    console.print(f"recorded {sweep_once(services)} SLA breaches of the past week")


InputFile = Annotated[Path, typer.Option("--input", exists=True, dir_okay=False, help="JSONL in.")]
OutputFile = Annotated[Path, typer.Option("--output", dir_okay=False, help="JSONL out.")]


@app.command()
def guard(input_path: InputFile, output_path: OutputFile) -> None:
    """Check replies before they go out (wrong name, unfilled placeholder, sensitive data in
    public, hotline brush-off, blame, boilerplate…): one JSON object per line in, the same
    object with ``findings`` and ``detected`` out; a bad line gets ``error``."""
    from mentiondesk.replies.guard.batch import run_batch

    with progress() as bar:
        task = bar.add_task("guarding replies", total=None)
        stats = run_batch(
            input_path, output_path, progress=lambda done: bar.update(task, completed=done)
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

    with progress() as bar:
        task = bar.add_task("triaging posts", total=None)
        stats = run_batch(
            input_path,
            output_path,
            progress=lambda done: bar.update(task, completed=done),
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

    with open_services(data_dir, database_url) as services, services.uow() as uow:
        ws = _workspace(uow, workspace)
        count = 0
        with output_path.open("w", encoding="utf-8") as out:
            for line in export_corrections(uow, ws):
                out.write(line + "\n")
                count += 1
    console.print(f"wrote {count} corrected labels to {output_path}")
