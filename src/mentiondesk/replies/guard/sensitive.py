"""``sensitive_public``: personal or order data in a reply that everyone can read.

Detection is triage's ``find_sensitive``; this module only decides what counts in a reply. The
brand's own hotline number or support address, written right after "call us" or "write to us
at", is a redirect rather than a leak, and so is anything listed in ``brand_contacts``.
"""

from __future__ import annotations

import re

from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.phrases import redirect_patterns
from mentiondesk.triage.sensitive import find_sensitive

__all__ = ["DEFAULT_ORDER_PATTERN", "find_sensitive_public"]

# Used when the workspace has no order-number pattern: a code with a digit right after the word.
DEFAULT_ORDER_PATTERN = (
    r"(?i)(?<!\w)(?:order|zam[oó]wieni\w*|ordine|ordinazione|pedido)\s*"
    r"(?:nr\.?|no\.?|number|numer|n\.|numero|#)?\s*:?\s*#?(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,}"
)
_OWN_CONTACT_GAP = 30  # characters between "call us on" and the number
_KINDS = {
    "phone": "a phone number",
    "email": "an e-mail address",
    "order": "an order number",
    "iban": "a bank account number",
    "card": "a card number",
    "pesel": "a PESEL number",
    "codice_fiscale": "a codice fiscale",
}


def _canonical(text: str) -> str:
    return re.sub(r"[^\w@.]", "", text).lower()


def _own_contact(reply: str, kind: str, start: int, end: int, ctx: GuardContext) -> bool:
    if kind not in ("phone", "email"):
        return False
    value = _canonical(reply[start:end])
    if any(_canonical(c) == value for c in ctx.settings.brand_contacts):
        return True
    window = reply[max(0, start - _OWN_CONTACT_GAP - 40) : start]
    return any(
        k == kind and any(m.end() >= len(window) - _OWN_CONTACT_GAP for m in p.finditer(window))
        for k, p in redirect_patterns()
    )


def find_sensitive_public(reply: str, ctx: GuardContext) -> list[Finding]:
    """Blocking findings for personal/order data, only when the reply is public."""
    if not ctx.public:
        return []
    pattern = ctx.settings.order_pattern or DEFAULT_ORDER_PATTERN
    findings: list[Finding] = []
    for span in find_sensitive(reply, pattern):
        if _own_contact(reply, span.kind, span.start, span.end, ctx):
            continue
        what = _KINDS.get(span.kind, span.kind)
        findings.append(
            Finding(
                "sensitive_public",
                Severity.BLOCK,
                span.start,
                span.end,
                f"This public reply shows {what}.",
                "Remove it, or continue in a private message.",
            )
        )
    return findings
