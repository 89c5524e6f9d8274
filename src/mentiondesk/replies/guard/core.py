"""``check_reply``: run every check on a reply before it goes out."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from mentiondesk.replies.guard.channels import find_redirects, redirect_findings
from mentiondesk.replies.guard.duplicates import ReplyHistory, find_duplicates
from mentiondesk.replies.guard.model import Detected, Finding, GuardContext, GuardResult, Severity
from mentiondesk.replies.guard.names import find_wrong_names
from mentiondesk.replies.guard.placeholders import find_unfilled
from mentiondesk.replies.guard.sensitive import find_sensitive_public
from mentiondesk.replies.guard.signature import find_signature, missing_signature
from mentiondesk.replies.guard.tone import (
    apology_spans,
    find_blame,
    find_boilerplate,
    has_next_step,
    missing_apology,
    no_next_step,
)

__all__ = ["check_reply"]


def _start_of_day(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(time_zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _duplicate_findings(
    reply: str, ctx: GuardContext, history: ReplyHistory, now: datetime
) -> list[Finding]:
    settings = ctx.settings
    if len(reply.strip()) < settings.duplicate_min_chars:
        return []  # "Thanks!" sent to fifty people is fine
    authors = [a for p in ((ctx.author_name, ctx.author_handle),) for a in p if a]
    authors += [a for p in ctx.former_authors for a in (p.name, p.handle) if a]
    matches = find_duplicates(
        reply,
        history,
        since=_start_of_day(now, settings.time_zone),
        exclude_authors=authors,
        threshold=settings.duplicate_threshold,
    )
    if not matches:
        return []
    best = matches[0]
    return [
        Finding(
            "duplicate_reply",
            Severity.BLOCK,
            0,
            len(reply),
            f"Today {len(matches)} other customer(s) got this reply"
            f" ({best.similarity:.0%} similar to the one sent to {best.reply.author}).",
            "Write this one for this customer: mention their situation.",
        )
    ]


def check_reply(reply: str, ctx: GuardContext, history: ReplyHistory | None = None) -> GuardResult:
    """All findings for ``reply`` in ``ctx``, in reply order, and what was recognised in it.

    ``history`` holds replies already sent (for ``duplicate_reply``); without it that check is
    skipped. The guard reads no clock but ``ctx.now`` unless that is missing.
    """
    now = ctx.now or datetime.now(UTC)
    signature = find_signature(reply, ctx.settings.signature_pattern)
    redirects = find_redirects(reply, ctx.settings.brand_contacts)
    next_step = has_next_step(reply)
    apology = bool(apology_spans(reply))

    findings: list[Finding] = []
    findings += find_unfilled(reply)
    findings += find_wrong_names(reply, ctx, skip=signature[1:] if signature else None)
    if history is not None:
        findings += _duplicate_findings(reply, ctx, history, now)
    findings += find_sensitive_public(reply, ctx)
    findings += redirect_findings(reply, ctx, redirects, next_step=next_step)
    findings += find_blame(reply)
    findings += find_boilerplate(reply)
    for optional in (
        missing_apology(reply, ctx, apology=apology),
        no_next_step(reply, ctx, next_step=next_step),
        missing_signature(reply, ctx, signature[0] if signature else None),
    ):
        if optional is not None:
            findings.append(optional)

    detected = Detected(
        apology=apology,
        redirect=tuple(sorted({kind for kind, _, _ in redirects})),
        signature=signature[0] if signature else None,
        next_step=next_step,
    )
    findings.sort(key=lambda f: (f.start, f.end, f.check))
    return GuardResult(findings=tuple(findings), detected=detected)
