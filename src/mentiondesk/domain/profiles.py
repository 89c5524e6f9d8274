"""What a workspace listens for: its brand profile and its saved Boolean queries.

A profile lists only the canonical spellings. Misspellings, Polish and Italian inflection,
hashtag glue and homoglyphs are derived by the listening library, so nobody types variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mentiondesk.domain.events import Event
from mentiondesk.domain.workspaces import BrandIdentity

DEFAULT_LANGUAGES = ("pl", "it", "en")

_LISTS = (
    "names",
    "aliases",
    "hashtags",
    "products",
    "competitors",
    "context_terms",
    "exclude_terms",
    "common_words",
    "languages",
)


@dataclass(frozen=True, slots=True)
class BrandProfile:
    """The brand as a workspace describes it.

    ``common_words`` names the entries of ``names``/``aliases``/``products`` that are also
    ordinary words ("Play", "Orange"): they count only in a post that tags the brand, is
    addressed to it, or carries one of ``context_terms``. ``exclude_terms`` veto indirect and
    fuzzy mentions in a post (a tag or a message to the page is never vetoed).
    ``competitors`` are reported separately and stop a near spelling of a competitor from
    being read as a misspelling of the brand.
    """

    key: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    handles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    hashtags: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    context_terms: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    common_words: tuple[str, ...] = ()
    fuzzy: bool = True
    languages: tuple[str, ...] = DEFAULT_LANGUAGES

    def __post_init__(self) -> None:
        if not self.key.strip():
            raise ValueError("a brand profile needs a key")
        if not any(n.strip() for n in self.names):
            raise ValueError(f"brand profile {self.key!r} needs at least one name")

    @property
    def all_handles(self) -> tuple[str, ...]:
        """Every handle on every platform, without the leading @, in a stable order."""
        seen: dict[str, None] = {}
        for platform in sorted(self.handles):
            for handle in self.handles[platform]:
                seen.setdefault(handle.lstrip("@"), None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        """The profile as plain JSON: how it is stored and how the CLI shows it."""
        data: dict[str, Any] = {name: list(getattr(self, name)) for name in _LISTS}
        data["key"] = self.key
        data["handles"] = {p: list(hs) for p, hs in sorted(self.handles.items())}
        data["fuzzy"] = self.fuzzy
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BrandProfile:
        lists = {name: tuple(data.get(name, ())) for name in _LISTS}
        lists["languages"] = lists["languages"] or DEFAULT_LANGUAGES
        return cls(
            key=data["key"],
            handles={p: tuple(hs) for p, hs in data.get("handles", {}).items()},
            fuzzy=bool(data.get("fuzzy", True)),
            **lists,
        )

    def is_common_word(self, term: str) -> bool:
        folded = term.casefold()
        return any(folded == c.casefold() for c in self.common_words)

    def fingerprint(self) -> tuple[object, ...]:
        """A hashable value that changes whenever anything the matcher uses changes."""
        return (
            self.key,
            self.names,
            self.aliases,
            tuple(sorted((p, tuple(h)) for p, h in self.handles.items())),
            self.hashtags,
            self.products,
            self.competitors,
            self.context_terms,
            self.exclude_terms,
            self.common_words,
            self.fuzzy,
            self.languages,
        )


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A Boolean listening query a workspace runs on new posts and backfills over old ones."""

    name: str
    text: str
    id: int | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a saved query needs a name")


def profile_from_identity(identity: BrandIdentity, key: str = "profile") -> BrandProfile:
    """Read the minimal identity a workspace has as a profile.

    ``keywords`` become context terms: they are what makes a common-word name count.
    A single name that is a plain dictionary word cannot be known here, so no name is
    marked common; workspaces that need that edit their full profile.
    """
    names = tuple(n for n in identity.names if n.strip())
    if not names:
        handles = [h.lstrip("@") for hs in identity.handles.values() for h in hs]
        names = tuple(dict.fromkeys(handles))
    if not names:
        raise ValueError("the brand identity has neither names nor handles")
    return BrandProfile(
        key=key,
        names=names,
        handles={p: tuple(hs) for p, hs in identity.handles.items()},
        context_terms=tuple(identity.keywords),
        exclude_terms=tuple(identity.exclude),
    )


@dataclass(frozen=True, slots=True)
class ListeningChanged(Event):
    """A workspace's profile or saved queries changed: cached copies are stale."""

    workspace_id: int
