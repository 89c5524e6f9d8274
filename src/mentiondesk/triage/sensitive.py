"""Find personal and order data in a post so it can be masked before anyone quotes it.

Every numeric identifier is confirmed by its own checksum (IBAN mod-97, Luhn for cards, the PESEL
weights, the codice fiscale check letter) because digit runs are everywhere in social posts and a
false alarm on a date or a price would teach agents to ignore the flag. Phones are parsed with
``phonenumbers`` for the regions this desk serves plus any number written in international form.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from mentiondesk.domain.triage import SensitiveSpan

__all__ = [
    "PHONE_REGIONS",
    "find_sensitive",
    "is_valid_codice_fiscale",
    "is_valid_iban",
    "is_valid_pesel",
    "luhn_ok",
]

PHONE_REGIONS: tuple[str, ...] = ("PL", "IT", "GB", "US")

# When two findings overlap, the more specific (checksummed) one wins.
_RANK = {"iban": 0, "card": 1, "pesel": 2, "codice_fiscale": 3, "email": 4, "order": 5, "phone": 6}

# An address preceded by "@" is a fediverse handle ("@anna@mastodon.social"), not an e-mail.
_EMAIL = re.compile(
    r"(?<![\w.%+@-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30})")
_NRB = re.compile(r"(?<![\d-])(\d{2}(?:[ ]?\d{4}){6})(?![\d-])")  # Polish account without "PL"
_CARD = re.compile(r"(?<![\d-])([2-6]\d{3}(?:[ -]?\d){9,15})(?![\d-])")
_PESEL = re.compile(r"(?<!\d)(\d{11})(?!\d)")
_CF_DIGIT = "[0-9LMNPQRSTUV]"
_CODICE_FISCALE = re.compile(
    rf"(?<![A-Za-z0-9])([A-Za-z]{{6}}{_CF_DIGIT}{{2}}[ABCDEHLMPRSTabcdehlmprst]"
    rf"{_CF_DIGIT}{{2}}[A-Za-z]{_CF_DIGIT}{{3}}[A-Za-z])(?![A-Za-z0-9])",
)
_ANY_DIGIT = re.compile(r"\d")
_MANY_DIGITS = re.compile(r"\d(?:[\s().\-/]{0,3}\d){6}")  # 7+ digits: cheap gate for phones

_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
    "UA": 29,
}  # fmt: skip

_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_CF_ODD_VALUES = (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
)  # fmt: skip
_CF_ODD = {
    **dict(zip("0123456789", _CF_ODD_VALUES, strict=False)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _CF_ODD_VALUES, strict=True)),
}
_CF_EVEN = {c: (int(c) if c.isdigit() else ord(c) - ord("A")) for c in _CF_ODD}


def find_sensitive(text: str, order_pattern: str | None = None) -> list[SensitiveSpan]:
    """All personal/order data in ``text``, sorted by position, never overlapping.

    ``order_pattern`` is the workspace's regex for its order or ticket numbers; an invalid pattern
    is a configuration error and raises ``ValueError``. Any text is accepted.
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[SensitiveSpan] = []
    has_digits = _ANY_DIGIT.search(text) is not None
    if "@" in text:
        found.extend(SensitiveSpan("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
    if has_digits:
        found.extend(_ibans(text))
        found.extend(_cards(text))
        found.extend(
            SensitiveSpan("pesel", m.start(1), m.end(1))
            for m in _PESEL.finditer(text)
            if is_valid_pesel(m.group(1))
        )
        found.extend(
            SensitiveSpan("codice_fiscale", m.start(1), m.end(1))
            for m in _CODICE_FISCALE.finditer(text)
            if is_valid_codice_fiscale(m.group(1))
        )
        if _MANY_DIGITS.search(text):
            found.extend(_phones(text))
    if order_pattern:
        found.extend(
            SensitiveSpan("order", m.start(), m.end())
            for m in _compiled(order_pattern).finditer(text)
            if m.end() > m.start()
        )
    return _without_overlaps(found)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid order-number pattern {pattern!r}: {exc}") from exc


def _without_overlaps(spans: list[SensitiveSpan]) -> list[SensitiveSpan]:
    """Keep the most specific finding where several cover the same characters."""
    kept: list[SensitiveSpan] = []
    for span in sorted(spans, key=lambda s: (_RANK.get(s.kind, 9), s.start, -(s.end - s.start))):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _phones(text: str) -> list[SensitiveSpan]:
    spans: list[SensitiveSpan] = []
    seen: set[tuple[int, int]] = set()
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            key = (match.start, match.end)
            if key not in seen:
                seen.add(key)
                spans.append(SensitiveSpan("phone", match.start, match.end))
    return spans


def _mod97(account: str) -> int:
    """ISO 13616 check: move the first four characters to the end, letters become 10..35."""
    rearranged = account[4:] + account[:4]
    remainder = 0
    for ch in rearranged:
        value = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        remainder = (remainder * (100 if value > 9 else 10) + value) % 97
    return remainder


def is_valid_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    expected = _IBAN_LENGTHS.get(compact[:2])
    return (
        expected is not None
        and len(compact) == expected
        and compact.isascii()
        and compact.isalnum()
        and _mod97(compact) == 1
    )


def _ibans(text: str) -> list[SensitiveSpan]:
    spans: list[SensitiveSpan] = []
    for m in _IBAN.finditer(text):
        expected = _IBAN_LENGTHS.get(m.group(1)[:2])
        if expected is None:
            continue
        end = _end_after_n_alnum(text, m.start(1), expected, m.end(1))
        if end is not None and is_valid_iban(text[m.start(1) : end]):
            spans.append(SensitiveSpan("iban", m.start(1), end))
    for m in _NRB.finditer(text):
        digits = m.group(1).replace(" ", "")
        if is_valid_iban("PL" + digits[:2] + digits[2:]):
            spans.append(SensitiveSpan("iban", m.start(1), m.end(1)))
    return spans


def _end_after_n_alnum(text: str, start: int, count: int, limit: int) -> int | None:
    """Where the ``count``-th non-space character after ``start`` ends (IBANs may be grouped)."""
    seen = 0
    for i in range(start, limit):
        if text[i] != " ":
            seen += 1
            if seen == count:
                return i + 1
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _cards(text: str) -> list[SensitiveSpan]:
    spans = []
    for m in _CARD.finditer(text):
        raw = m.group(1)
        digits = raw.replace(" ", "").replace("-", "")
        separators = {c for c in raw if c in " -"}
        if 13 <= len(digits) <= 19 and len(separators) <= 1 and luhn_ok(digits):
            spans.append(SensitiveSpan("card", m.start(1), m.end(1)))
    return spans


def is_valid_pesel(pesel: str) -> bool:
    """Checksum plus a real month/day: eleven random digits pass the checksum one time in ten."""
    if len(pesel) != 11 or not pesel.isascii() or not pesel.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(pesel[:10], _PESEL_WEIGHTS, strict=True))
    if (10 - total % 10) % 10 != int(pesel[10]):
        return False
    month = int(pesel[2:4]) % 20
    day = int(pesel[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def is_valid_codice_fiscale(code: str) -> bool:
    code = code.upper()
    if len(code) != 16 or not code.isascii() or not code.isalnum():
        return False
    total = sum(_CF_ODD[ch] if i % 2 == 0 else _CF_EVEN[ch] for i, ch in enumerate(code[:15]))
    return chr(ord("A") + total % 26) == code[15]
