"""What an alert says, and to whom: the e-mail and the webhook call queued in the outbox
when an alert is raised or escalated (``AlertNotificationDue``).

Webhook bodies come in three shapes: ``json`` (our own, every field), ``slack`` (an incoming
webhook's ``text`` + ``blocks``) and ``teams`` (an Office 365 connector ``MessageCard``).
"""

from __future__ import annotations

from typing import Any

from mentiondesk.domain.alerts import AlertNotificationDue, AlertRecord
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["alert_email_item", "alert_text", "alert_webhook_item", "webhook_body"]


def alert_text(alert: AlertRecord, workspace: Workspace, level: int) -> tuple[str, str]:
    """Subject and text of the e-mail."""
    escalated = f" (escalated, step {level})" if level else ""
    subject = f"[{workspace.name}] {alert.kind} alert{escalated}: {alert.title}"
    lines = [
        alert.title,
        "",
        f"Workspace: {workspace.name} ({workspace.slug})",
        f"Channel: {alert.channel}",
        f"Started: {alert.started_at.isoformat()}",
        f"Raised: {alert.raised_at.isoformat()}",
    ]
    if alert.case_id is not None:
        lines.append(f"Case: /w/{workspace.slug}/cases/{alert.case_id}")
    if alert.posts:
        lines.append(f"Posts: {', '.join(str(p) for p in alert.posts[:20])}")
    lines += ["", f"Acknowledge it: /w/{workspace.slug}/alerts/{alert.id}"]
    return subject, "\n".join(lines)


def webhook_body(
    style: str, alert: AlertRecord, workspace: Workspace, level: int
) -> dict[str, Any]:
    subject, text = alert_text(alert, workspace, level)
    if style == "slack":
        return {
            "text": subject,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }
    if style == "teams":
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": subject,
            "title": subject,
            "text": text.replace("\n", "  \n"),
        }
    return {
        "event": "alert.escalated" if level else "alert.raised",
        "workspace": workspace.slug,
        "alert": {
            "id": alert.id,
            "kind": alert.kind,
            "channel": alert.channel,
            "title": alert.title,
            "state": alert.state.value,
            "started_at": alert.started_at.isoformat(),
            "raised_at": alert.raised_at.isoformat(),
            "posts": list(alert.posts),
            "case_id": alert.case_id,
            "level": level,
        },
    }


def _loaded(uow: UnitOfWork, event: AlertNotificationDue) -> tuple[AlertRecord, Workspace] | None:
    alert = uow.alerts.get(event.workspace_id, event.alert_id)
    workspace = uow.workspaces.get(event.workspace_id)
    return (alert, workspace) if alert is not None and workspace is not None else None


def alert_email_item(uow: UnitOfWork, event: AlertNotificationDue) -> OutboxItem | None:
    """One message to every recipient of this step (None when nobody is to be told)."""
    loaded = _loaded(uow, event)
    if loaded is None:
        return None
    alert, workspace = loaded
    addresses = sorted(
        user.email
        for user in (uow.users.get(uid) for uid in event.recipients)
        if user is not None and user.is_active
    )
    if not addresses:
        return None
    subject, text = alert_text(alert, workspace, event.level)
    key = f"alert:{alert.id}:email:{event.level}"
    return OutboxItem.notification(
        workspace.id,
        PlatformAction.NOTIFY_EMAIL,
        key,
        {"to": addresses, "subject": subject, "text": text, "alert_id": alert.id},
    )


def alert_webhook_item(
    uow: UnitOfWork, event: AlertNotificationDue, url: str, style: str
) -> OutboxItem | None:
    loaded = _loaded(uow, event)
    if loaded is None or not url:
        return None
    alert, workspace = loaded
    key = f"alert:{alert.id}:webhook:{event.level}"
    return OutboxItem.notification(
        workspace.id,
        PlatformAction.NOTIFY_WEBHOOK,
        key,
        {
            "url": url,
            "body": webhook_body(style, alert, workspace, event.level),
            "alert_id": alert.id,
        },
    )
