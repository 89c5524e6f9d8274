"""Brand profiles, saved queries and the workspace matcher that compiles them."""

from __future__ import annotations

import pytest

from mentiondesk.domain.posts import MentionKind
from mentiondesk.domain.profiles import BrandProfile, SavedQuery, profile_from_identity
from mentiondesk.domain.workspaces import BrandIdentity, Workspace
from mentiondesk.listening.matching import ListeningMatcher
from tests.unit.listening.helpers import a_post


def a_workspace(names: tuple[str, ...] = ("Ocado",), workspace_id: int = 1) -> Workspace:
    identity = BrandIdentity(
        names=names, handles={"x": ("@Ocado",)}, keywords=("groceries",), exclude=("careers",)
    )
    return Workspace(workspace_id, "ocado", "Ocado", identity)


def test_an_identity_becomes_a_profile_with_keywords_as_context() -> None:
    profile = profile_from_identity(a_workspace().brand, key="ocado")
    assert profile.names == ("Ocado",)
    assert profile.all_handles == ("Ocado",)
    assert profile.context_terms == ("groceries",)
    assert profile.exclude_terms == ("careers",)


def test_an_identity_with_only_handles_uses_them_as_names() -> None:
    profile = profile_from_identity(BrandIdentity(handles={"x": ("@zabka",)}))
    assert profile.names == ("zabka",)


def test_a_profile_needs_a_name() -> None:
    with pytest.raises(ValueError, match="at least one name"):
        BrandProfile("x", ("  ",))
    with pytest.raises(ValueError, match="neither names nor handles"):
        profile_from_identity(BrandIdentity())


def test_a_saved_query_needs_a_name() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        SavedQuery(" ", "ocado")


def test_the_fingerprint_changes_when_the_profile_changes() -> None:
    a = BrandProfile("k", ("Ocado",), handles={"x": ("ocado",)})
    b = BrandProfile("k", ("Ocado",), handles={"x": ("ocado", "ocado_help")})
    assert a.fingerprint() == BrandProfile("k", ("Ocado",), handles={"x": ("ocado",)}).fingerprint()
    assert a.fingerprint() != b.fingerprint()


def test_the_workspace_matcher_reuses_a_compiled_profile_until_it_changes() -> None:
    matcher = ListeningMatcher()
    workspace = a_workspace()
    first = matcher.matcher_for(workspace)
    assert matcher.matcher_for(workspace) is first
    workspace.brand = BrandIdentity(names=("Ocado", "Ocado Retail"))
    assert matcher.matcher_for(workspace) is not first


def test_the_workspace_matcher_implements_the_brand_matcher_port() -> None:
    mentions = ListeningMatcher().match(a_workspace(), a_post("@ocado and Ocdao"))
    assert [m.kind for m in mentions] == [MentionKind.DIRECT, MentionKind.FUZZY]


def test_saved_queries_add_query_mentions_with_their_name_as_source() -> None:
    queries = [
        SavedQuery("delivery", "dostawa OR delivery"),
        SavedQuery("off", "late", enabled=False),
    ]
    matcher = ListeningMatcher(queries=lambda _ws: queries)
    mentions = matcher.match(a_workspace(), a_post("late delivery from ocado"))
    assert [(m.kind, m.source, m.matched_text) for m in mentions] == [
        (MentionKind.INDIRECT, "ocado", "ocado"),
        (MentionKind.QUERY, "delivery", "delivery"),
    ]
