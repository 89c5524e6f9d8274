"""The workspace's own contact details: hotline numbers, support addresses, websites.

A reply that gives the brand's own hotline or support address is pointing the customer to it,
not leaking anyone's data, however the agent formats the number ("800 123 456",
"+39 800-123-456"). Settings keep them as one flat list (``GuardSettings.brand_contacts``);
each value is classified by its shape: an ``@`` makes an e-mail address, six or more digits and
only phone punctuation make a phone number, anything else is a website.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["BrandContacts", "brand_contacts", "own_mentions"]

_PHONE_CHARS = re.compile(r"^[\d\s()+./-]+$")
_NATIONAL_DIGITS = 9  # the part of a number written without its country code (PL, IT, UK)
_SEP = r"[\s().\-/]{0,3}"
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)

Span = tuple[str, int, int]


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _domain(text: str) -> str:
    host = re.sub(r"^[a-z]+://", "", text.strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class BrandContacts:
    """``phones`` as digit strings, ``emails`` lower case, ``domains`` without ``www.``."""

    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def is_phone(self, text: str) -> bool:
        digits = _digits(text)
        if len(digits) < 6:
            return False
        for own in self.phones:
            if digits == own:
                return True
            short, long_ = sorted((digits, own), key=len)
            if len(short) >= 7 and long_.endswith(short):
                return True  # the same number with or without its country code
        return False

    def is_email(self, text: str) -> bool:
        address = text.strip().lower()
        if address in self.emails:
            return True
        domain = address.rpartition("@")[2]
        own_domains = {e.rpartition("@")[2] for e in self.emails} | set(self.domains)
        return bool(domain) and domain in own_domains

    def is_website(self, url: str) -> bool:
        host = _domain(url)
        return any(host == d or host.endswith("." + d) for d in self.domains)


@lru_cache(maxsize=256)
def brand_contacts(values: tuple[str, ...]) -> BrandContacts:
    """Classify the workspace's contact values (cached: the live guard runs on every keystroke)."""
    phones: list[str] = []
    emails: list[str] = []
    domains: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        if "@" in value:
            emails.append(value.lower().lstrip("@"))
        elif _PHONE_CHARS.match(value) and len(_digits(value)) >= 6:
            phones.append(_digits(value))
        elif _domain(value):
            domains.append(_domain(value))
    return BrandContacts(tuple(phones), tuple(emails), tuple(domains))


@lru_cache(maxsize=256)
def _phone_pattern(phones: tuple[str, ...]) -> re.Pattern[str] | None:
    nationals = sorted({p[-_NATIONAL_DIGITS:] for p in phones}, key=len, reverse=True)
    if not nationals:
        return None
    alternatives = "|".join(_SEP.join(n) for n in nationals)
    return re.compile(rf"(?<![\d+])(?:\+?\d{{1,3}}{_SEP})?(?:{alternatives})(?!\d)")


def own_mentions(reply: str, contacts: BrandContacts) -> list[Span]:
    """(kind, start, end) of each of the brand's own numbers, addresses and sites in ``reply``,
    kinds as the redirect check names them (``phone``, ``email``, ``url``)."""
    found: list[Span] = []
    pattern = _phone_pattern(contacts.phones)
    if pattern is not None:
        found.extend(("phone", m.start(), m.end()) for m in pattern.finditer(reply))
    lowered = reply.lower()
    for email in contacts.emails:
        start = lowered.find(email)
        while start != -1:
            found.append(("email", start, start + len(email)))
            start = lowered.find(email, start + 1)
    for m in _URL.finditer(reply):
        if contacts.is_website(m.group(0)):
            found.append(("url", m.start(), m.end()))
    for domain in contacts.domains:  # "skylot.pl" written bare, without a path
        for m in re.finditer(rf"(?<![\w.@/-])(?:www\.)?{re.escape(domain)}(?![\w/-])", lowered):
            if not any(s <= m.start() < e for _, s, e in found):
                found.append(("url", m.start(), m.end()))
    return found
