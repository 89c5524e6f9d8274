"""Alerts as the desk keeps them: raised from a crisis the detector saw or from an SLA
breach, told to the person on call, escalated while nobody acknowledges, acknowledged,
resolved and annotated by people.

Raising and escalating emit ``AlertNotificationDue`` in the same transaction; its handlers
queue the e-mail and the webhook call in the outbox, which delivers and retries them. The
in-app banner reads the open alerts. Who is on call is the pure rule in ``domain/alerts.py``
over the rota stored in the workspace's settings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mentiondesk.analytics.crisis import ALL_CHANNELS, Alert
from mentiondesk.desk.access import Actor
from mentiondesk.desk.calendars import holiday_dates, years_around
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.alerts import (
    AlertNotificationDue,
    AlertRecord,
    AlertState,
    OnCallRota,
    escalation_level,
    escalation_targets,
)
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, NotFound
from mentiondesk.domain.events import SlaBreached
from mentiondesk.domain.workspaces import Role, Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "AlertView",
    "alert_view",
    "alerts_for",
    "do_acknowledge_alert",
    "do_add_alert_note",
    "do_escalate_alerts",
    "do_raise_crisis_alert",
    "do_raise_sla_alert",
    "do_resolve_alert",
    "do_update_rota",
    "load_rota",
    "on_call_chain",
    "open_alert_count",
    "shift_lines",
    "shifts_from_lines",
]

MAX_NOTE = 2000


# -- the rota ---------------------------------------------------------------------------------
def load_rota(uow: UnitOfWork, workspace: Workspace) -> OnCallRota:
    stored = uow.alerts.rota(workspace.id)
    return OnCallRota() if stored is None else OnCallRota.parse(stored)


def do_update_rota(
    uow: UnitOfWork, actor: Actor, raw: dict[str, Any], *, now: datetime
) -> OnCallRota:
    """Replace the rota; only owners and admins may, and only with members of the workspace."""
    actor.require_settings()
    rota = OnCallRota.parse(raw)
    members = {user.id for user, _ in uow.users.members(actor.workspace.id)}
    for shift in (*rota.weekday, *rota.weekend):
        strangers = [p for p in shift.people if p not in members]
        if strangers:
            raise InvalidInput("people", f"not members of this workspace: {strangers}")
    before = load_rota(uow, actor.workspace)
    uow.alerts.put_rota(actor.workspace.id, rota.as_dict())
    uow.audit.append(
        AuditEntry.by(
            actor,
            "alerts.rota",
            f"workspace:{actor.workspace.id}",
            at=now,
            data={"before": before.as_dict(), "after": rota.as_dict()},
        )
    )
    uow.commit()
    return rota


def on_call_chain(uow: UnitOfWork, workspace: Workspace, at: datetime) -> tuple[int, ...]:
    """The people of the shift on call at ``at``, in the order they are called."""
    rota = load_rota(uow, workspace)
    countries = load_desk_settings(uow, workspace).holiday_countries
    holidays = holiday_dates(countries, years_around(at))
    shift = rota.shift_at(at, ZoneInfo(workspace.time_zone), holidays)
    return shift.people if shift else ()


def _owners(uow: UnitOfWork, workspace_id: int) -> tuple[int, ...]:
    return tuple(
        user.id
        for user, membership in uow.users.members(workspace_id)
        if membership.role is Role.OWNER and user.is_active
    )


# -- raising ----------------------------------------------------------------------------------
def _raise(
    uow: UnitOfWork, workspace: Workspace, record: AlertRecord, chain: tuple[int, ...], key: str
) -> int | None:
    owners = _owners(uow, workspace.id)
    first = escalation_targets(chain, owners, 0)
    record = replace(
        record,
        notified=first,
        detail={**record.detail, "chain": list(chain)},
    )
    alert_id = uow.alerts.add(record, key)
    if alert_id is None:
        return None  # raised before: the same finding or breach
    uow.audit.append(
        AuditEntry.by_system(
            workspace.id,
            f"alert.raised.{record.kind}",
            f"alert:{alert_id}",
            at=record.raised_at,
            reason=record.title,
            data={"notified": list(first)},
        )
    )
    uow.collect([AlertNotificationDue(alert_id, workspace.id, 0, first, True, record.raised_at)])
    return alert_id


def crisis_title(alert: Alert) -> str:
    where = "all channels" if alert.channel == ALL_CHANNELS else alert.channel
    if alert.kind.value == "viral":
        return f"One thread on {where} is growing fast: {alert.observed} replies and shares"
    minutes = round(alert.window_s / 60)
    return (
        f"{alert.observed} negative posts on {where} in {minutes} min "
        f"(usually {alert.expected:.1f})"
    )


def do_raise_crisis_alert(
    uow: UnitOfWork, workspace: Workspace, alert: Alert, *, now: datetime
) -> int | None:
    """Record what the detector found and tell the person on call; None when already raised."""
    record = AlertRecord(
        id=0,
        workspace_id=workspace.id,
        kind=alert.kind.value,
        channel=alert.channel,
        title=crisis_title(alert),
        started_at=alert.onset,
        raised_at=now,
        posts=tuple(int(p) for p in alert.posts if p.isdigit()),
        detail={
            "observed": alert.observed,
            "expected": round(alert.expected, 3),
            "threshold": alert.threshold,
            "window_s": alert.window_s,
            "thread": alert.thread,
        },
    )
    key = f"{alert.kind.value}:{workspace.id}:{alert.channel}:{alert.thread}:{alert.onset}"
    return _raise(uow, workspace, record, on_call_chain(uow, workspace, now), key)


def do_raise_sla_alert(uow: UnitOfWork, event: SlaBreached, *, now: datetime) -> int | None:
    """A breach goes to the case's assignee first, then to the people on call."""
    workspace = uow.workspaces.get(event.workspace_id)
    case = uow.cases.get(event.workspace_id, event.case_id)
    if workspace is None or case is None:
        return None
    chain = on_call_chain(uow, workspace, now)
    if case.assignee_id is not None:
        chain = (case.assignee_id, *(p for p in chain if p != case.assignee_id))
    metric = event.metric.replace("_", " ")
    record = AlertRecord(
        id=0,
        workspace_id=workspace.id,
        kind="sla",
        channel=case.platform.value,
        title=f"Case {case.id} passed its {metric} target",
        started_at=event.at,
        raised_at=now,
        case_id=case.id,
        detail={"metric": event.metric, "target_seconds": event.target_seconds},
    )
    return _raise(uow, workspace, record, chain, f"sla:{case.id}:{event.metric}")


# -- escalation -------------------------------------------------------------------------------
def do_escalate_alerts(uow: UnitOfWork, now: datetime) -> int:
    """Move every unacknowledged alert on by the minutes its workspace's rota allows; how
    many steps were taken. Safe to run from the web sweeper and cron at once."""
    steps = 0
    for alert in uow.alerts.open_everywhere():
        workspace = uow.workspaces.get(alert.workspace_id)
        if workspace is None:
            continue
        rota = load_rota(uow, workspace)
        chain = tuple(int(p) for p in alert.detail.get("chain", []))
        every = timedelta(minutes=rota.escalate_after)
        due = escalation_level(alert.raised_at, now, every, len(chain))
        if due <= alert.level:
            continue
        targets = escalation_targets(chain, _owners(uow, workspace.id), due)
        notified = sorted({*alert.notified, *targets})
        if not uow.alerts.escalate(alert.id, alert.level, due, notified):
            continue
        uow.audit.append(
            AuditEntry.by_system(
                workspace.id,
                "alert.escalated",
                f"alert:{alert.id}",
                at=now,
                reason=f"not acknowledged in {rota.escalate_after * due} min",
                data={"level": due, "notified": list(targets)},
            )
        )
        uow.collect([AlertNotificationDue(alert.id, workspace.id, due, targets, False, now)])
        steps += 1
    uow.commit()
    return steps


# -- what people do ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AlertView:
    alert: AlertRecord
    notes: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    notified: list[str]


def _get(uow: UnitOfWork, actor: Actor, alert_id: int) -> AlertRecord:
    alert = uow.alerts.get(actor.workspace.id, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def alerts_for(
    uow: UnitOfWork, actor: Actor, states: tuple[AlertState, ...] = ()
) -> list[AlertRecord]:
    return uow.alerts.in_workspace(actor.workspace.id, states)


def open_alert_count(uow: UnitOfWork, actor: Actor) -> int:
    return uow.alerts.count_open(actor.workspace.id)


def alert_view(uow: UnitOfWork, actor: Actor, alert_id: int) -> AlertView:
    alert = _get(uow, actor, alert_id)
    posts = []
    for post_id in alert.posts[:20]:
        post = uow.posts.get(actor.workspace.id, post_id)
        if post is not None:
            posts.append(
                {
                    "id": post.id,
                    "channel": post.inbound.platform.value,
                    "text": post.inbound.text,
                    "at": post.inbound.created_at,
                    "case_id": post.case_id,
                }
            )
    people = {u.id: u.name for u, _ in uow.users.members(actor.workspace.id)}
    notified = [people.get(p, f"user {p}") for p in alert.notified]
    return AlertView(alert, uow.alerts.notes(alert.id), posts, notified)


def _move(
    uow: UnitOfWork,
    actor: Actor,
    alert_id: int,
    state: AlertState,
    expected: tuple[AlertState, ...],
    now: datetime,
) -> AlertRecord:
    actor.require_case_work()
    alert = _get(uow, actor, alert_id)
    user_id = actor.user.id or None  # the command line is no user
    if not uow.alerts.set_state(alert.id, state, expected=expected, at=now, user_id=user_id):
        raise InvalidTransition(f"alert {alert_id} is {alert.state.value}")
    uow.audit.append(AuditEntry.by(actor, f"alert.{state.value}", f"alert:{alert.id}", at=now))
    uow.commit()
    return _get(uow, actor, alert_id)


def do_acknowledge_alert(
    uow: UnitOfWork, actor: Actor, alert_id: int, *, now: datetime
) -> AlertRecord:
    """Someone has it: escalation stops."""
    return _move(uow, actor, alert_id, AlertState.ACKNOWLEDGED, (AlertState.OPEN,), now)


def do_resolve_alert(uow: UnitOfWork, actor: Actor, alert_id: int, *, now: datetime) -> AlertRecord:
    open_states = (AlertState.OPEN, AlertState.ACKNOWLEDGED)
    return _move(uow, actor, alert_id, AlertState.RESOLVED, open_states, now)


def do_add_alert_note(
    uow: UnitOfWork, actor: Actor, alert_id: int, text: str, *, now: datetime
) -> None:
    actor.require_case_work()
    alert = _get(uow, actor, alert_id)
    text = text.strip()
    if not text:
        raise InvalidInput("text", "a note cannot be empty")
    if len(text) > MAX_NOTE:
        raise InvalidInput("text", f"a note has at most {MAX_NOTE} characters")
    uow.alerts.add_note(alert.id, actor.user.id or None, actor.user.name, text, now)
    uow.audit.append(AuditEntry.by(actor, "alert.note", f"alert:{alert.id}", at=now))
    uow.commit()


def shifts_from_lines(
    uow: UnitOfWork, workspace: Workspace, text: str, what: str
) -> list[dict[str, Any]]:
    """Shifts typed one per line as ``09:00-17:00 ania@x.pl, ola@x.pl`` (people by e-mail,
    in calling order), as ``do_update_rota`` takes them."""
    members = {user.email.lower(): user.id for user, _ in uow.users.members(workspace.id)}
    shifts = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        times, _, people = line.strip().partition(" ")
        start, dash, end = times.partition("-")
        if not dash:
            raise InvalidInput(what, f"line {n}: expected HH:MM-HH:MM then e-mails")
        ids = []
        for email in (p.strip().lower() for p in people.split(",")):
            if email and email not in members:
                raise InvalidInput(what, f"line {n}: {email} is not a member of this workspace")
            if email:
                ids.append(members[email])
        shifts.append({"start": start, "end": end, "people": ids})
    return shifts


def shift_lines(uow: UnitOfWork, workspace: Workspace, rota: OnCallRota) -> dict[str, str]:
    """The rota's shifts as the page's text boxes show them."""
    emails = {user.id: user.email for user, _ in uow.users.members(workspace.id)}

    def lines(shifts: tuple[Any, ...]) -> str:
        return "\n".join(
            f"{s.start.strftime('%H:%M')}-{s.end.strftime('%H:%M')} "
            + ", ".join(emails.get(p, str(p)) for p in s.people)
            for s in shifts
        )

    return {"weekday": lines(rota.weekday), "weekend": lines(rota.weekend)}
