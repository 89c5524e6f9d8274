"""``mentiondesk listening``: the brand profile, saved queries, preview and backfill.

The command line acts as the workspace's owner (see ``operator_actor``): it calls the same
services as the web app, so the same validation and the same audit trail apply.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from mentiondesk.cli.common import open_services, progress
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.access import operator_actor
from mentiondesk.desk.listening_profiles import (
    ProfileFields,
    current_profile,
    do_backfill,
    do_save_profile,
    do_save_query,
    parse_handles,
    preview_query,
)

app = typer.Typer(
    help="Brand profile, Boolean queries, preview and backfill.", no_args_is_help=True
)
profile_app = typer.Typer(help="Show or set a workspace's brand profile.", no_args_is_help=True)
query_app = typer.Typer(help="Save and preview Boolean listening queries.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")
app.add_typer(query_app, name="query")

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
Many = Annotated[list[str] | None, typer.Option()]


@profile_app.command("show")
def profile_show(
    workspace: Workspace, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """Print the profile as JSON (derived from the brand identity until one is saved)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        view = current_profile(uow, operator_actor(uow, workspace))
    typer.echo(
        json.dumps({"stored": view.stored, **view.profile.to_dict()}, indent=2, ensure_ascii=False)
    )


@profile_app.command("set")
def profile_set(
    workspace: Workspace,
    name: Annotated[list[str], typer.Option(help="A brand name (repeatable).")],
    alias: Annotated[list[str] | None, typer.Option(help="An alias (repeatable).")] = None,
    handle: Annotated[list[str] | None, typer.Option(help="platform:@handle (repeatable).")] = None,
    hashtag: Annotated[list[str] | None, typer.Option(help="A hashtag (repeatable).")] = None,
    product: Annotated[list[str] | None, typer.Option(help="A product name (repeatable).")] = None,
    competitor: Annotated[
        list[str] | None, typer.Option(help="A competitor brand (repeatable).")
    ] = None,
    context: Annotated[list[str] | None, typer.Option(help="A context term (repeatable).")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="A term to exclude (repeatable).")
    ] = None,
    common_word: Annotated[
        list[str] | None, typer.Option(help="A name that is also an ordinary word (repeatable).")
    ] = None,
    fuzzy: Annotated[bool, typer.Option("--fuzzy/--no-fuzzy", help="Match misspellings.")] = True,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Replace the workspace's brand profile."""
    with open_services(data_dir, database_url) as services:
        fields = ProfileFields(
            names=name,
            aliases=alias or [],
            handles=parse_handles(handle or []),
            hashtags=hashtag or [],
            products=product or [],
            competitors=competitor or [],
            context_terms=context or [],
            exclude_terms=exclude or [],
            common_words=common_word or [],
            fuzzy=fuzzy,
        )
        with services.uow() as uow:
            profile = do_save_profile(
                uow, operator_actor(uow, workspace), fields, now=services.clock.now()
            )
    typer.echo(f"profile of {workspace} saved: {', '.join(profile.names + profile.aliases)}")


@query_app.command("add")
def query_add(
    workspace: Workspace,
    name: Annotated[str, typer.Option(help="The query's name (saving a name again replaces it).")],
    query: Annotated[str, typer.Option(help='e.g. "bagaż* AND (zgubi* OR lost) NOT spam"')],
    disabled: Annotated[bool, typer.Option(help="Save it switched off.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Save a Boolean query; it runs on new posts at once (backfill runs it on stored ones)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        saved = do_save_query(
            uow,
            operator_actor(uow, workspace),
            name,
            query,
            enabled=not disabled,
            now=services.clock.now(),
        )
    typer.echo(f"query '{saved.name}' saved")


@query_app.command("preview")
def query_preview(
    workspace: Workspace,
    query: Annotated[str, typer.Option(help="The query to try; nothing is saved.")],
    limit: Annotated[int, typer.Option(help="Show at most this many posts.")] = 20,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List the newest stored posts a query matches, without saving it."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        preview = preview_query(uow, operator_actor(uow, workspace), query, limit=limit)
    for hit in preview.hits:
        words = ", ".join(m.matched_text for m in hit.mentions)
        typer.echo(
            f"{hit.post.id}\t@{hit.post.inbound.author.handle}\t{hit.post.inbound.text[:120]}\t[{words}]"
        )
    typer.echo(f"{len(preview.hits)} matched, {preview.checked} checked")


@app.command("backfill")
def backfill(
    workspace: Workspace,
    query: Annotated[
        str | None, typer.Option(help="A saved query's name (default: all enabled).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Run saved queries over the posts already stored; matches get a query mention once and
    posts without a case are routed to one."""
    with (
        open_services(data_dir, database_url) as services,
        progress() as bar,
        services.uow() as uow,
    ):
        task = bar.add_task("backfill", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        results = do_backfill(
            uow, operator_actor(uow, workspace), query, now=services.clock.now(), progress=tick
        )
    for r in results:
        typer.echo(
            f"{r.query}: candidates {r.candidates}, matched {r.matched}, "
            f"new mentions {r.new_mentions}, routed {r.routed}"
        )
