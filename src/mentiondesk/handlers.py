"""What happens when: the handler table, and the handlers it names.

Read ``EVENT_HANDLERS`` at the bottom to see what follows each event. The unit of work collects
events during a change; ``dispatch.Dispatcher`` runs the handlers in their phase (see its
docstring): in the change's own transaction, durably after commit (a ``pending_effects`` row,
swept when left behind), or after commit. Every handler is idempotent: run twice, it changes
nothing the second time.

Nothing else calls these effects: web, CLI and demo call services, which record and emit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from mentiondesk.analytics.alert_messages import alert_email_item, alert_webhook_item, webhook_body
from mentiondesk.analytics.alerts import do_raise_sla_alert, load_rota
from mentiondesk.analytics.rollups import is_built, rebuild, touched_by, update_rollups
from mentiondesk.desk.acknowledgements import do_acknowledge_out_of_hours
from mentiondesk.desk.assignment import do_auto_assign
from mentiondesk.desk.event_webhooks import case_data, queue_event_calls, queue_test_call
from mentiondesk.desk.sla_service import do_refresh_sla_due
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.dispatch import (
    Context,
    Handler,
    after_commit,
    after_commit_batch,
    durable,
    in_background,
    in_transaction,
    in_transaction_batch,
)
from mentiondesk.domain.alerts import AlertNotificationDue
from mentiondesk.domain.events import (
    CaseAssigned,
    CaseOpened,
    CaseReopened,
    CaseReplied,
    CaseResolved,
    CasesMerged,
    CaseSnoozed,
    CaseSplit,
    CustomerWrote,
    DeskSettingsChanged,
    Event,
    HoursPostDue,
    LabelCorrected,
    MemberRemoved,
    PlatformActionRequeued,
    PostReceived,
    ReplyDelivered,
    ReplyRecorded,
    SlaBreached,
)
from mentiondesk.domain.integrations import WebhookTestRequested
from mentiondesk.domain.moderation import PostModerated
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.domain.profiles import ListeningChanged
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.moderation.actions import ACKNOWLEDGE, HIDE, UNHIDE
from mentiondesk.moderation.rules import apply_rules
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

_MODERATION = {
    HIDE: PlatformAction.HIDE,
    UNHIDE: PlatformAction.UNHIDE,
    ACKNOWLEDGE: PlatformAction.LIKE,
}


# -- in the change's transaction: the outbox row beside the change ------------------------------
def queue_reply(event: ReplyRecorded, uow: UnitOfWork, context: Context) -> int | None:
    """A recorded reply goes to the outbox, addressed as the customer's post was."""
    reply = uow.replies.get(event.workspace_id, event.reply_id)
    case = uow.cases.get(event.workspace_id, event.case_id)
    assert reply is not None and case is not None, "a reply always belongs to a case"
    answered = uow.posts.get(event.workspace_id, reply.in_reply_to_post_id or 0)
    author = uow.authors.get(event.workspace_id, case.author_id)
    public = reply.visibility is ReplyVisibility.PUBLIC
    return uow.outbox.enqueue(
        OutboxItem(
            id=0,
            workspace_id=event.workspace_id,
            action=PlatformAction.PUBLIC_REPLY if public else PlatformAction.PRIVATE_REPLY,
            channel=case.platform.value,
            dedupe_key=f"reply:{reply.id}",
            idempotency_key=reply.idempotency_key,
            reply_id=reply.id,
            post_id=reply.in_reply_to_post_id,
            payload={
                "text": reply.text,
                "in_reply_to": answered.inbound.platform_post_id if answered else None,
                "recipient_handle": author.handle if author else "",
            },
        ),
        now=event.at,
    )


def queue_moderation(event: PostModerated, uow: UnitOfWork, context: Context) -> int | None:
    """A hide, unhide or acknowledgement the desk decided goes to the platform (a tag stays
    in the desk)."""
    action = _MODERATION.get(event.action)
    if action is None:
        return None
    post = uow.posts.get(event.workspace_id, event.post_id)
    assert post is not None, "a moderated post exists"
    key = f"post:{post.id}:{action.value}:{uow.outbox.count_for_post(post.id, action) + 1}"
    return uow.outbox.enqueue(
        OutboxItem(
            id=0,
            workspace_id=event.workspace_id,
            action=action,
            channel=post.inbound.platform.value,
            dedupe_key=key,
            idempotency_key=key,
            post_id=post.id,
            payload={"platform_post_id": post.inbound.platform_post_id, "reason": event.reason},
        ),
        now=event.at,
    )


def queue_hours_post(event: HoursPostDue, uow: UnitOfWork, context: Context) -> int | None:
    """An opening or closing post whose slot was claimed goes to the outbox."""
    key = f"hours-{event.workspace_id}-{event.hours_post_id}"
    return uow.outbox.enqueue(
        OutboxItem(
            id=0,
            workspace_id=event.workspace_id,
            action=PlatformAction.PUBLISH,
            channel=event.channel,
            dedupe_key=key,
            idempotency_key=key,
            hours_post_id=event.hours_post_id,
            payload={"text": event.text, "kind": event.kind, "due_at": event.due_at.isoformat()},
        ),
        now=event.at,
    )


def queue_alert_email(event: AlertNotificationDue, uow: UnitOfWork, context: Context) -> int | None:
    """A raised or escalated alert is e-mailed to the people of its step."""
    item = alert_email_item(uow, event)
    return uow.outbox.enqueue(item, now=event.at) if item else None


def queue_alert_webhook(
    event: AlertNotificationDue, uow: UnitOfWork, context: Context
) -> int | None:
    """A raised alert is posted to the workspace's webhook, when the rota names one."""
    workspace = _workspace(uow, event.workspace_id)
    if workspace is None or not event.webhook or not context.rota_webhooks:
        return None
    rota = load_rota(uow, workspace)
    item = alert_webhook_item(uow, event, rota.webhook_url, rota.webhook_style)
    return uow.outbox.enqueue(item, now=event.at) if item else None


# -- in the change's transaction: the calls of event webhooks ----------------------------------
def call_case_opened(event: CaseOpened, uow: UnitOfWork, context: Context) -> list[int]:
    """A new case is told to the workspace's subscriptions that hear ``case.opened``."""

    def data() -> dict[str, Any] | None:
        said = case_data(uow, event.workspace_id, event.case_id)
        return None if said is None else {**said, "post_id": event.post_id}

    return queue_event_calls(
        uow, event.workspace_id, "case.opened", f"case:{event.case_id}", data, at=event.at
    )


def call_case_resolved(event: CaseResolved, uow: UnitOfWork, context: Context) -> list[int]:
    def data() -> dict[str, Any] | None:
        said = case_data(uow, event.workspace_id, event.case_id)
        return None if said is None else {**said, "by_user_id": event.by_user_id or None}

    key = f"case:{event.case_id}:{event.at.isoformat()}"  # a case may be resolved again
    return queue_event_calls(uow, event.workspace_id, "case.resolved", key, data, at=event.at)


def call_reply_sent(event: ReplyDelivered, uow: UnitOfWork, context: Context) -> list[int]:
    """Only a reply the platform accepted: a simulated or failed one was not sent."""
    if event.status != "sent":
        return []

    def data() -> dict[str, Any] | None:
        reply = uow.replies.get(event.workspace_id, event.reply_id)
        said = case_data(uow, event.workspace_id, event.case_id)
        if reply is None or said is None:
            return None
        return {
            **said,
            "reply": {
                "id": reply.id,
                "text": reply.text,
                "visibility": reply.visibility.value,
                "platform_reply_id": reply.platform_reply_id,
                "by_user_id": reply.user_id or None,
            },
        }

    key = f"reply:{event.reply_id}"
    return queue_event_calls(uow, event.workspace_id, "reply.sent", key, data, at=event.at)


def call_sla_breached(event: SlaBreached, uow: UnitOfWork, context: Context) -> list[int]:
    def data() -> dict[str, Any] | None:
        said = case_data(uow, event.workspace_id, event.case_id)
        metric = {"metric": event.metric, "target_seconds": event.target_seconds}
        return None if said is None else {**said, "sla": metric}

    key = f"case:{event.case_id}:{event.metric}"
    return queue_event_calls(uow, event.workspace_id, "sla.breached", key, data, at=event.at)


def call_alert_raised(event: AlertNotificationDue, uow: UnitOfWork, context: Context) -> list[int]:
    """Raised, not escalated: a subscription hears of an alert once."""
    if event.level != 0:
        return []

    def data() -> dict[str, Any] | None:
        alert = uow.alerts.get(event.workspace_id, event.alert_id)
        workspace = _workspace(uow, event.workspace_id)
        if alert is None or workspace is None:
            return None
        return {"alert": webhook_body("json", alert, workspace, 0)["alert"]}

    key = f"alert:{event.alert_id}"
    return queue_event_calls(uow, event.workspace_id, "alert.raised", key, data, at=event.at)


def queue_webhook_test(
    event: WebhookTestRequested, uow: UnitOfWork, context: Context
) -> int | None:
    """A person's "send a test event": queued now, attempted right after commit."""
    return queue_test_call(uow, event)


def keep_report_rollups(events: Sequence[Event], uow: UnitOfWork, context: Context) -> None:
    """The report rollups follow every post, case, reply and breach in the change's own
    transaction, so a report never disagrees with the cases it counts; once per commit, so a
    routed batch of posts costs one update."""
    for workspace_id, touched in touched_by(uow, events).items():
        workspace = _workspace(uow, workspace_id)
        if workspace is not None:
            update_rollups(uow, workspace, touched)


# -- durable, after commit: the desk's own follow-ups to a new post -----------------------------
def rebuild_report_rollups(event: DeskSettingsChanged, uow: UnitOfWork, context: Context) -> None:
    """New hours, holidays or time zone change every business duration and local day: the
    rollups are rebuilt (reports read the raw rows meanwhile). Nothing when still current."""
    workspace = _workspace(uow, event.workspace_id)
    if workspace is None:
        return
    if not is_built(uow.connection, workspace.id, load_desk_settings(uow, workspace)):
        rebuild(uow, workspace, now=context.clock.now())


def _workspace(uow: UnitOfWork, workspace_id: int) -> Workspace | None:
    return uow.read_once(("workspace", workspace_id), lambda: uow.workspaces.get(workspace_id))


def auto_moderate(event: PostReceived, uow: UnitOfWork, context: Context) -> None:
    """Run the workspace's enabled moderation rules on the new post (their platform actions
    are queued in the outbox by ``queue_moderation``)."""
    workspace = _workspace(uow, event.workspace_id)
    if workspace is not None:
        apply_rules(uow, workspace, event.post_id, now=context.clock.now())


def auto_assign(event: PostReceived, uow: UnitOfWork, context: Context) -> None:
    """Hand the new post's case to an agent when the workspace assigns automatically."""
    workspace = _workspace(uow, event.workspace_id)
    if workspace is not None and event.case_id is not None:
        do_auto_assign(uow, workspace, event.case_id, now=context.clock.now())


def acknowledge_out_of_hours(event: PostReceived, uow: UnitOfWork, context: Context) -> None:
    """Tell a customer who wrote while the desk was closed when a person will answer; decided
    at the post's arrival, so a late run decides as the first would have."""
    workspace = _workspace(uow, event.workspace_id)
    if workspace is not None and event.case_id is not None:
        do_acknowledge_out_of_hours(uow, workspace, event.case_id, event.post_id, now=event.at)


# -- after commit -----------------------------------------------------------------------------
def attempt_requeued(event: PlatformActionRequeued, uow: None, context: Context) -> None:
    """A person's retry is attempted at once; the outbox sweep covers a lost attempt."""
    context.outbox.attempt(event.outbox_id)


def drop_listening_cache(event: ListeningChanged, uow: None, context: Context) -> None:
    """The matcher's cached profile and queries of the workspace are stale."""
    if context.listening is not None:
        context.listening.invalidate(event.workspace_id)


def watch_for_crisis(events: Sequence[PostReceived], uow: None, context: Context) -> None:
    """Feed a commit's new posts to their workspaces' crisis detectors, which raise an alert
    (and tell the person on call) when negative posts surge or a thread goes viral. After
    commit rather than durable: a post this misses (the process died) is still learnt, when
    the restarted detector primes from the stored posts. One transaction for the whole batch."""
    if context.crisis is None:
        return
    by_workspace: dict[int, list[int]] = {}
    for event in events:
        by_workspace.setdefault(event.workspace_id, []).append(event.post_id)
    with context.uow() as work:
        raised = False
        for workspace_id, post_ids in by_workspace.items():
            workspace = _workspace(work, workspace_id)
            if workspace is None:
                continue
            posts = work.alerts.post_signals(workspace_id, post_ids)
            now = context.clock.now()
            raised |= bool(context.crisis.observe_posts(work, workspace, posts, now))
        if raised:
            work.commit()  # the alerts raised; posts that raise none write nothing


def notify_sla_breach(event: SlaBreached, uow: None, context: Context) -> None:
    """The breach is recorded and audited already (``do_record_breaches``); raise an alert,
    which goes to the case's assignee, then the people on call, as crisis alerts do."""
    log.warning(
        "SLA breach: case %s of workspace %s passed its %s target",
        event.case_id,
        event.workspace_id,
        event.metric,
    )
    with context.uow() as work:
        do_raise_sla_alert(work, event, now=context.clock.now())
        work.commit()


_ROLLUPS = in_transaction_batch(keep_report_rollups)  # report figures, same transaction


def keep_sla_due(events: Sequence[Any], uow: UnitOfWork, context: Context) -> None:
    """Whatever moves a case's clocks re-projects when the next one falls due (each case once
    per commit); the SLA sweep does the same for every active case."""
    cases: dict[int, set[int]] = {}
    for event in events:
        for name in ("case_id", "new_case_id", "merged_case_id"):
            case_id = getattr(event, name, None)
            if case_id is not None:
                cases.setdefault(event.workspace_id, set()).add(case_id)
    now = context.clock.now()
    for workspace_id, ids in cases.items():
        do_refresh_sla_due(uow, workspace_id, sorted(ids), now)


_SLA_DUE = in_transaction_batch(keep_sla_due)

EVENT_HANDLERS: dict[type[Event], list[Handler]] = {
    ReplyRecorded: [in_transaction(queue_reply), _ROLLUPS],  # then the outbox attempts it
    PostModerated: [in_transaction(queue_moderation)],  # hide / unhide / like → the platform
    HoursPostDue: [in_transaction(queue_hours_post)],  # the brand's own post → the platform
    PostReceived: [
        durable(auto_moderate),
        durable(auto_assign),
        durable(acknowledge_out_of_hours),
        after_commit_batch(watch_for_crisis),  # crisis alerts → the person on call
        _ROLLUPS,
    ],
    AlertNotificationDue: [
        in_transaction(queue_alert_email),
        in_transaction(queue_alert_webhook),
        in_background(call_alert_raised),
    ],
    PlatformActionRequeued: [after_commit(attempt_requeued)],
    ListeningChanged: [after_commit(drop_listening_cache)],
    SlaBreached: [in_background(call_sla_breached), after_commit(notify_sla_breach), _ROLLUPS],
    # event webhooks: one outbox row per subscription that hears it, sent in the background
    # … and the instant the case's next SLA clock falls due ("breaching in 1 h")
    CaseOpened: [in_background(call_case_opened), _ROLLUPS, _SLA_DUE],
    CaseResolved: [in_background(call_case_resolved), _ROLLUPS, _SLA_DUE],
    ReplyDelivered: [in_background(call_reply_sent), _ROLLUPS, _SLA_DUE],
    WebhookTestRequested: [in_transaction(queue_webhook_test)],
    **{
        event: [_ROLLUPS, _SLA_DUE]
        for event in (
            CustomerWrote,
            CaseReplied,
            CaseReopened,
            CaseSnoozed,
            CasesMerged,
            CaseSplit,
            LabelCorrected,
        )
    },
    CaseAssigned: [_ROLLUPS],
    MemberRemoved: [_ROLLUPS],
    DeskSettingsChanged: [durable(rebuild_report_rollups)],  # new hours → business times
}
