"""``sensitive_public``: personal or order data in a reply that everyone can read.

Detection is triage's ``find_sensitive``; this module only decides what counts in a reply. The
brand's own hotline number or support address, written right after "call us" or "write to us
at", is a redirect rather than a leak, and so is anything the workspace lists as its own
contact details (``brand_contacts``: numbers in any format, addresses at its own domains, and
whatever stands inside a link to its own website). Nor is the author's own fediverse handle
(``anna@mastodon.social``) an e-mail address, with or without its leading ``@``.
"""

from __future__ import annotations

from mentiondesk.replies.guard.contacts import BrandContacts, brand_contacts, own_mentions
from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.names import handle_identity
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


def _own_contact(
    reply: str, kind: str, start: int, end: int, own: BrandContacts, sites: list[tuple[int, int]]
) -> bool:
    if any(s <= start and end <= e for s, e in sites):
        return True  # a path or query inside a link to the brand's own website
    if kind not in ("phone", "email"):
        return False
    value = reply[start:end]
    if own.is_phone(value) if kind == "phone" else own.is_email(value):
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
    spans = find_sensitive(reply, pattern)
    if not spans:
        return findings
    own = brand_contacts(ctx.settings.brand_contacts)
    sites = [(s, e) for kind, s, e in own_mentions(reply, own) if kind == "url"]
    handles = {
        handle_identity(h)
        for h in (ctx.author_handle, *(p.handle for p in ctx.former_authors))
        if "@" in h.lstrip("@")
    }
    for span in spans:
        if _own_contact(reply, span.kind, span.start, span.end, own, sites):
            continue
        if span.kind == "email" and handle_identity(reply[span.start : span.end]) in handles:
            continue  # the author's fediverse handle written without its leading "@"
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
