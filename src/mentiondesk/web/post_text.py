"""How a post reads on the page: its links made clickable (http(s) only, escaped, opened
without a referrer) and an author's initials for when there is no picture."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["initials", "linked_text", "post_images"]

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def initials(name: str | None) -> str:
    """Up to two letters of a name or handle (``@`` and digits skipped): "Ania Nowak" → "AN"."""
    words = [w for w in re.split(r"[\s._\-]+", (name or "").lstrip("@")) if w]
    letters = [next((c for c in w if c.isalpha()), "") for w in words]
    found = "".join(c for c in letters if c)[:2]
    return found.upper() or "?"


def linked_text(text: str | None) -> Markup:
    """``text`` escaped, with each http(s) URL turned into a link (trailing punctuation kept
    outside the link)."""
    out: list[str] = []
    last = 0
    source = text or ""
    for match in URL.finditer(source):
        url = match.group(0)
        stripped = url.rstrip(TRAILING)
        end = match.start() + len(stripped)
        out.append(str(escape(source[last : match.start()])))
        out.append(
            f'<a href="{escape(stripped)}" rel="noopener noreferrer nofollow" '
            f'target="_blank">{escape(stripped)}</a>'
        )
        last = end
    out.append(str(escape(source[last:])))
    return Markup("".join(out))


def post_images(text: str | None, extra: dict[str, object] | None = None) -> list[str]:
    """The post's picture addresses: ``extra["images"]`` as the connector stored them, then
    image links in the text; https only (the page's policy loads nothing else)."""
    found: list[str] = []
    stored = (extra or {}).get("images")
    if isinstance(stored, list):
        found.extend(str(u) for u in stored if isinstance(u, str))
    found.extend(
        m.group(0).rstrip(TRAILING)
        for m in URL.finditer(text or "")
        if m.group(0).rstrip(TRAILING).lower().split("?")[0].endswith(IMAGE_SUFFIXES)
    )
    return [u for u in dict.fromkeys(found) if u.lower().startswith("https://")][:4]
