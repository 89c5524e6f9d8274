"""Posts and profiles shared by the listening tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.domain.profiles import BrandProfile

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def a_post(text: str, platform: Platform = Platform.X, **fields: Any) -> InboundPost:
    author = fields.pop("author", AuthorRef(platform, "someone", "Some One", 120))
    return InboundPost(platform, "p1", text, AT, author, **fields)


OCADO = BrandProfile(
    "ocado", ("Ocado",), handles={"x": ("Ocado",), "facebook": ("OcadoUK",)}, fuzzy=True
)
ZABKA = BrandProfile("zabka", ("Żabka",), products=("Żappka",))
BIEDRONKA = BrandProfile("biedronka", ("Biedronka",), competitors=("Lidl",))
ESSELUNGA = BrandProfile("esselunga", ("Esselunga",), languages=("it", "en"))
PLAY = BrandProfile(
    "play",
    ("Play",),
    common_words=("Play",),
    context_terms=("abonament", "operator", "zasięg", "sieć"),
    handles={"x": ("play_polska",)},
)
ORANGE = BrandProfile(
    "orange",
    ("Orange",),
    common_words=("Orange",),
    context_terms=("abonament", "światłowód"),
    exclude_terms=("orange county", "agent orange"),
)
