"""What a Meta webhook (or a reconcile read) does to the desk, event by event.

New comments, posts, mentions and messages go to the pipeline through the ``ingest`` the
caller passes (the pipeline sits above the desk), in the workspace of the channel account the
entry is for. Everything else is applied here:

- an edit replaces the text and keeps the earlier version in the post's ``meta["versions"]``;
- a removal marks the post ``deleted_by_author`` (the desk never deletes a customer's post);
- a hide/unhide done on Facebook is mirrored on the stored post;
- the brand's own activity (``ours``) never opens a case: what the outbox delivered is already
  in the thread as a reply and is skipped; what an agent wrote in Meta's own inbox, or the
  Page's own posts, are stored as the brand's and threaded under the customer's case.

Mentions Meta sends without their text (``fetch_needed``) are returned to the caller, to be
read from Graph after the webhook has been answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentiondesk.connectors.inbound import Ignored, Rejected
from mentiondesk.connectors.meta.events import EventKind, MetaEvent, ParseResult
from mentiondesk.connectors.meta.graph import FB_POST_FIELDS, IG_COMMENT_FIELDS
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform, PostKind
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["SOURCE", "Ingest", "Reject", "WebhookOutcome", "apply_meta_results"]

SOURCE = "webhook:meta"

Ingest = Callable[[Workspace, dict[str, Any], str], Any]
"""``pipeline.ingest(workspace, raw_post, source=...)``, as the caller binds it."""

Reject = Callable[[Workspace | None, Any, str], Any]
"""Keep an input in ``rejected_inputs`` with the reason: ``(workspace, fragment, reason)``."""

IG_MEDIA_FIELDS = "id,caption,timestamp,username,permalink"
_EDITS = {EventKind.COMMENT_EDITED, EventKind.POST_EDITED, EventKind.MESSAGE_EDITED}
_REMOVALS = {EventKind.COMMENT_REMOVED, EventKind.POST_REMOVED, EventKind.MESSAGE_DELETED}
_HIDES = {EventKind.COMMENT_HIDDEN: True, EventKind.POST_HIDDEN: True}
_HIDES |= {EventKind.COMMENT_UNHIDDEN: False, EventKind.POST_UNHIDDEN: False}


@dataclass(slots=True)
class WebhookOutcome:
    ingested: int = 0
    applied: int = 0  # edits, removals, hides, the brand's own posts
    ours_skipped: int = 0
    ignored: int = 0
    rejected: int = 0
    to_fetch: list[tuple[ChannelAccount, str, str]] = field(default_factory=list)
    """What to read from Graph after answering: ``(account, object id, fields)``."""


def apply_meta_results(
    uow_factory: Callable[[], UnitOfWork],
    results: Iterable[ParseResult],
    *,
    ingest: Ingest,
    reject: Reject,
    app_id: str,
    now: datetime,
) -> WebhookOutcome:
    """Apply every parsed result; one bad event is rejected with its reason, the rest go on."""
    outcome = WebhookOutcome()
    for result in results:
        if isinstance(result, Ignored):
            outcome.ignored += 1
        elif isinstance(result, Rejected):
            reject(None, result.fragment, result.reason)
            outcome.rejected += 1
        else:
            _event(uow_factory, result, ingest, reject, app_id, now, outcome)
    return outcome


def _event(
    uow_factory: Callable[[], UnitOfWork],
    event: MetaEvent,
    ingest: Ingest,
    reject: Reject,
    app_id: str,
    now: datetime,
    outcome: WebhookOutcome,
) -> None:
    with uow_factory() as uow:
        account = uow.channels.by_external(event.platform, event.account_id)
        workspace = uow.workspaces.get(account.workspace_id) if account else None
        if account is None or workspace is None:
            uow.rollback()
            reason = f"no {event.platform.value} channel account {event.account_id} is connected"
            reject(None, {"event": event.kind.value, "id": event.platform_post_id}, reason)
            outcome.rejected += 1
            return
        uow.channels.touch(account.id, now)
        uow.commit()
        if event.ours:
            if _already_ours(uow, workspace, event, app_id):
                outcome.ours_skipped += 1
            elif event.post is not None and _store_brand_post(uow, workspace, account, event, now):
                outcome.applied += 1
            else:
                outcome.ours_skipped += 1
            return
        if event.kind in _EDITS:
            if _edit(uow, workspace, event, now):
                outcome.applied += 1
                return
        elif event.kind in _REMOVALS:
            _mark(uow, workspace, event, {"deleted_by_author": event.occurred_at.isoformat()})
            outcome.applied += 1
            return
        elif event.kind in _HIDES:
            _hidden(uow, workspace, event, _HIDES[event.kind])
            outcome.applied += 1
            return
    if event.fetch_needed or event.post is None:
        outcome.to_fetch.append((account, event.platform_post_id, _fields(event.platform)))
        return
    raw = dict(event.post)
    raw["meta"] = {"channel_account": account.external_id, "field": event.field}
    ingest(workspace, raw, SOURCE)
    outcome.ingested += 1
    root = event.conversation_id
    if event.kind is EventKind.COMMENT_ADDED and root and not _known(uow_factory, workspace, event):
        outcome.to_fetch.append((account, root, _fields(event.platform, root=True)))


def _fields(platform: Platform, *, root: bool = False) -> str:
    if platform is Platform.INSTAGRAM:
        return IG_MEDIA_FIELDS if root else IG_COMMENT_FIELDS
    return FB_POST_FIELDS


def _known(uow_factory: Callable[[], UnitOfWork], workspace: Workspace, event: MetaEvent) -> bool:
    """Whether the brand post a comment sits under is stored already."""
    assert event.conversation_id is not None
    with uow_factory() as uow:
        found = uow.posts.find_id(workspace.id, event.platform, event.conversation_id)
    return found is not None


def _already_ours(uow: UnitOfWork, workspace: Workspace, event: MetaEvent, app_id: str) -> bool:
    """Sent by the desk: an echo from our own app, or an id the outbox got back."""
    if event.echo and app_id and event.app_id == app_id:
        return True
    channel = event.platform.value
    if uow.outbox.delivered_ref(workspace.id, channel, event.platform_post_id):
        return True
    return uow.posts.find_id(workspace.id, event.platform, event.platform_post_id) is not None


def _store_brand_post(
    uow: UnitOfWork,
    workspace: Workspace,
    account: ChannelAccount,
    event: MetaEvent,
    now: datetime,
) -> bool:
    """The brand's own words from outside the desk (Meta's inbox, the Page itself): kept in
    the thread as the brand's, never a case of their own. False: already known."""
    assert event.post is not None
    raw = event.post
    post = InboundPost(
        platform=event.platform,
        platform_post_id=event.platform_post_id,
        text=str(raw.get("text") or "[no text]"),
        created_at=event.occurred_at,
        author=AuthorRef(event.platform, account.external_id, account.name),
        kind=PostKind(raw.get("kind", PostKind.POST.value)),
        conversation_id=event.conversation_id or raw.get("conversation_id"),
        in_reply_to=event.in_reply_to or raw.get("in_reply_to"),
        url=raw.get("url"),
    )
    author_id = uow.authors.upsert(workspace.id, post.author, now=now)
    meta = {"ours": True, "via": "meta" if event.echo else event.field}
    post_id = uow.posts.add(
        workspace.id, author_id, post, mentions=(), triage=None, received_at=now, meta=meta
    )
    if post_id is None:
        uow.rollback()
        return False
    case_id = _case_of_thread(uow, workspace, post)
    if case_id is not None and uow.replies.in_flight_with_text(workspace.id, case_id, post.text):
        uow.rollback()  # the outbox's own reply, heard before its id was recorded
        return False
    if case_id is not None:
        uow.posts.attach_to_case(post_id, case_id)
    uow.commit()
    return True


def _case_of_thread(uow: UnitOfWork, workspace: Workspace, post: InboundPost) -> int | None:
    """The customer's case the brand's words answer: the case of the post they reply to, or
    of the conversation (a Messenger thread)."""
    for ref in (post.in_reply_to, post.conversation_id):
        if not ref:
            continue
        found = uow.posts.find_id(workspace.id, post.platform, ref)
        answered = uow.posts.get(workspace.id, found) if found else None
        if answered is not None and answered.case_id is not None:
            return answered.case_id
    if post.conversation_id:
        return uow.cases.any_for_thread(workspace.id, post.platform, post.conversation_id)
    return None


def _stored(uow: UnitOfWork, workspace: Workspace, event: MetaEvent) -> Any:
    found = uow.posts.find_id(workspace.id, event.platform, event.platform_post_id)
    return uow.posts.get(workspace.id, found) if found else None


def _edit(uow: UnitOfWork, workspace: Workspace, event: MetaEvent, now: datetime) -> bool:
    """Replace the text, keeping the earlier one; False when the post is not stored yet
    (then the edit is heard as a new post)."""
    post = _stored(uow, workspace, event)
    if post is None:
        return False
    text = str((event.post or {}).get("text") or "")
    if not text or text == post.inbound.text:
        return True
    meta = dict(post.extra)
    versions = list(meta.get("versions", []))
    versions.append({"text": post.inbound.text, "replaced_at": event.occurred_at.isoformat()})
    meta["versions"] = versions[-20:]
    uow.posts.set_platform_state(post.id, text=text, meta=meta)
    uow.commit()
    return True


def _mark(uow: UnitOfWork, workspace: Workspace, event: MetaEvent, marks: dict[str, Any]) -> None:
    post = _stored(uow, workspace, event)
    if post is None:
        return
    uow.posts.set_platform_state(post.id, meta={**post.extra, **marks})
    uow.commit()


def _hidden(uow: UnitOfWork, workspace: Workspace, event: MetaEvent, hidden: bool) -> None:
    post = _stored(uow, workspace, event)
    if post is None or post.hidden == hidden:
        return
    name = event.platform.value.capitalize()
    reason = f"hidden on {name}" if hidden else None
    uow.posts.set_platform_state(post.id, hidden=hidden, hidden_reason=reason)
    uow.commit()
