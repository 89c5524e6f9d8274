"""What a scheduled summary e-mail says: the period's headline figures, the top complaint
topics and the new opportunities, as plain text a phone shows well.

Built from the same services as the reports pages (``workspace_report``,
``feedback_report``, ``opportunity_report``), so the e-mail and the page agree.
"""

from __future__ import annotations

from datetime import date, datetime

from mentiondesk.analytics.feedback import feedback_report
from mentiondesk.analytics.opportunities import LABELS, OpportunityKind, opportunity_report
from mentiondesk.analytics.periods import Compare
from mentiondesk.analytics.service import workspace_report
from mentiondesk.desk.access import operator_actor
from mentiondesk.domain.report_schedules import Cadence
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["TOP_TOPICS", "summary_email"]

TOP_TOPICS = 5
TOP_OPPORTUNITIES = 3


def _span(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    if before == 0:
        return " (none before)" if now == 0 else " (new)"
    return f" ({(now - before) / before:+.0%} vs {before} before)"


def _dates(first: date, last: date) -> str:
    if first == last:
        return first.strftime("%a %d %b %Y")
    return f"{first.strftime('%d %b')} – {last.strftime('%d %b %Y')}"


def summary_email(
    uow: UnitOfWork,
    workspace: Workspace,
    cadence: Cadence,
    first: date,
    last: date,
    *,
    now: datetime,
) -> tuple[str, str]:
    """Subject and text of the summary of local days ``first``..``last``."""
    actor = operator_actor(uow, workspace.slug)
    report = workspace_report(uow, actor, first, last, now=now, compare=Compare.PREVIOUS)
    feedback = feedback_report(uow, actor, first, last, now=now, compare=Compare.PREVIOUS)
    chances = opportunity_report(uow, actor, first, last, now=now)
    title = "Daily" if cadence is Cadence.DAILY else "Weekly"
    subject = f"[{workspace.name}] {title} summary, {_dates(first, last)}"

    negative = sum(v.negative for v in report.volume)
    positive = sum(v.positive for v in report.volume)
    neutral = sum(v.neutral for v in report.volume)
    labelled = negative + positive + neutral
    times = {(f.metric, f.clock): f for f in report.times}
    lines = [
        f"{workspace.name}: {title.lower()} summary for {_dates(first, last)} "
        f"({report.period.time_zone})",
        "",
        f"Posts: {report.posts}{_change(report.posts, report.previous_posts)}",
        f"Cases opened: {report.cases}{_change(report.cases, report.previous_cases)}",
    ]
    if labelled:
        lines.append(
            f"Sentiment: {negative / labelled:.0%} negative, {neutral / labelled:.0%} neutral, "
            f"{positive / labelled:.0%} positive"
        )
    for metric, name in (("first_response", "First response"), ("resolution", "Resolution")):
        f = times.get((metric, "business"))
        if f is not None:
            lines.append(
                f"{name} (business hours): median {_span(f.median_s)}, p90 {_span(f.p90_s)}"
                f" over {f.cases} case{'s' if f.cases != 1 else ''}"
            )
    for s in report.sla:
        if s.compliance is not None:
            lines.append(
                f"SLA {s.metric.replace('_', ' ')}: {s.compliance:.1%} within target "
                f"({s.breached} of {s.cases} breached)"
            )
    lines.append(f"Backlog now: {report.backlog_total} open case(s)")

    lines += ["", f"Top complaint topics ({feedback.complaints} complaints):"]
    if not feedback.topics:
        lines.append("- none")
    for t in feedback.topics[:TOP_TOPICS]:
        flag = f", {t.trend.upper()}" if t.trend in ("new", "rising") else ""
        before = "" if t.previous_posts is None else f", {t.previous_posts} before"
        lines.append(f"- {t.label}: {t.posts} ({t.share:.0%}{before}{flag})")

    counts = ", ".join(f"{chances.counts[k.value]} {LABELS[k].lower()}" for k in OpportunityKind)
    lines += ["", f"New opportunities: {counts}"]
    for o in chances.items[:TOP_OPPORTUNITIES]:
        where = f" /w/{workspace.slug}/cases/{o.case_id}" if o.case_id else ""
        flat = " ".join(o.text.split())  # one line per post, whatever the post's layout
        text = flat if len(flat) <= 120 else flat[:119] + "…"
        lines.append(f"- {o.author}: {text}{where}")

    query = f"from={first.isoformat()}&to={last.isoformat()}"
    lines += [
        "",
        f"Reports: /w/{workspace.slug}/reports?{query}",
        f"Feedback: /w/{workspace.slug}/reports/feedback?{query}",
        f"Opportunities: /w/{workspace.slug}/reports/opportunities?{query}",
    ]
    return subject, "\n".join(lines)
