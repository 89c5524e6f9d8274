"""Catching up with Meta by reading Graph: the mentions a webhook names without their text,
and, after downtime, each Page's recent posts and comments (cursor paging) that no webhook
brought. Everything read becomes the event a webhook would have carried and goes through
``meta_inbound.apply_meta_results``, so a post already stored is stored once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.connectors.inbound import Rejected
from mentiondesk.connectors.meta.errors import GraphError
from mentiondesk.connectors.meta.events import ParseResult
from mentiondesk.connectors.meta.graph import GraphClient
from mentiondesk.connectors.meta.parser import event_from_graph_node
from mentiondesk.desk.channels import MetaApp, do_mark_disconnected
from mentiondesk.desk.meta_inbound import (
    IG_MEDIA_FIELDS,
    Ingest,
    Reject,
    WebhookOutcome,
    apply_meta_results,
)
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["DEFAULT_LOOKBACK", "ReconcileReport", "do_reconcile", "fetch_missing_content"]

DEFAULT_LOOKBACK = timedelta(days=2)
MAX_POSTS = 100  # the newest posts of a Page a reconcile reads comments under


@dataclass(slots=True)
class ReconcileReport:
    accounts: int = 0
    read: int = 0  # posts and comments read from Graph
    ingested: int = 0  # handed to the pipeline (new ones are stored, the rest are duplicates)
    failed: list[str] | None = None


def do_reconcile(
    uow_factory: Callable[[], UnitOfWork],
    app: MetaApp,
    *,
    ingest: Ingest,
    reject: Reject,
    now: datetime,
    workspace_id: int | None = None,
    every: timedelta | None = None,
    graph: GraphClient | None = None,
) -> ReconcileReport:
    """Read every connected Facebook Page (of ``workspace_id``, or all) since its last
    reconcile (at most ``DEFAULT_LOOKBACK`` back) and ingest what is missing. With ``every``,
    a Page reconciled less than that long ago is left for later (the periodic run)."""
    with uow_factory() as uow:
        accounts = [
            a
            for a in uow.channels.all()
            if a.delivers
            and not a.development
            and a.platform is Platform.FACEBOOK
            and (workspace_id is None or a.workspace_id == workspace_id)
        ]
        since = {a.id: uow.channels.reconciled_at(a.id) for a in accounts}
    if every is not None:
        accounts = [a for a in accounts if (since[a.id] or now - 2 * every) <= now - every]
    report = ReconcileReport(failed=[])
    client = graph or app.graph()
    try:
        for account in accounts:
            start = max(since[account.id] or now - DEFAULT_LOOKBACK, now - DEFAULT_LOOKBACK)
            try:
                events = list(_page_events(client, account, start))
            except GraphError as exc:
                assert report.failed is not None
                report.failed.append(f"{account.name}: {exc.failure.reason}")
                if exc.failure.kind.value == "token_invalid":
                    with uow_factory() as uow:
                        do_mark_disconnected(uow, account.id, exc.failure.reason, now=now)
                continue
            report.accounts += 1
            report.read += len(events)
            outcome = apply_meta_results(
                uow_factory, events, ingest=ingest, reject=reject, app_id=app.app_id, now=now
            )
            report.ingested += outcome.ingested
            with uow_factory() as uow:
                uow.channels.update(account.id, now=now, reconciled_at=now)
                uow.commit()
    finally:
        if graph is None:
            client.close()
    return report


def _page_events(
    client: GraphClient, account: ChannelAccount, since: datetime
) -> Iterator[ParseResult]:
    """The Page's posts since ``since`` and every comment under them, oldest posts first, as
    events (the Page's own posts first, so comments thread under them)."""
    posts = []
    for node in client.feed(account.token, account.external_id, since=since):
        posts.append(node)
        if len(posts) >= MAX_POSTS:
            break
    for node in reversed(posts):
        yield event_from_graph_node(node, Platform.FACEBOOK, account.external_id)
        root = node.get("id")
        if not isinstance(root, str):
            continue
        for comment in client.comments(account.token, root):
            yield event_from_graph_node(
                comment, Platform.FACEBOOK, account.external_id, root_id=root
            )


def fetch_missing_content(
    uow_factory: Callable[[], UnitOfWork],
    app: MetaApp,
    to_fetch: list[tuple[ChannelAccount, str, str]],
    *,
    ingest: Ingest,
    reject: Reject,
    now: datetime,
    graph: GraphClient | None = None,
) -> WebhookOutcome:
    """Read what a webhook named without its text (mentions; the brand post a comment sits
    under), given as ``(account, object id, fields)``, then ingest it."""
    results: list[ParseResult] = []
    client = graph or app.graph()
    try:
        for account, object_id, fields in to_fetch:
            try:
                node = client.get_object(account.token, object_id, fields)
            except GraphError as exc:
                results.append(Rejected(f"could not read it: {exc.failure.reason}", object_id))
                continue
            if fields == IG_MEDIA_FIELDS and isinstance(node, dict):
                node.setdefault("from", {"id": account.external_id})  # media is the account's
            results.append(event_from_graph_node(node, account.platform, account.external_id))
    finally:
        if graph is None:
            client.close()
    return apply_meta_results(
        uow_factory, results, ingest=ingest, reject=reject, app_id=app.app_id, now=now
    )
