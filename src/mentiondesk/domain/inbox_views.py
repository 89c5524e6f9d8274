"""Inbox views a person saves: a name and the inbox's filters, kept for them alone or shared
with the workspace. Validation lives here; the filters' meaning stays with the inbox."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mentiondesk.domain.errors import InvalidInput

__all__ = ["MAX_NAME", "MAX_VIEWS", "SavedView", "clean_view_name", "clean_view_params"]

MAX_NAME = 60
MAX_VIEWS = 30  # per person and workspace: the row of views stays readable
MAX_VALUE = 200


@dataclass(frozen=True, slots=True)
class SavedView:
    id: int
    workspace_id: int
    user_id: int
    name: str
    params: dict[str, str] = field(default_factory=dict)
    shared: bool = False


def clean_view_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("name", "give the view a name")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput("name", f"use at most {MAX_NAME} characters")
    return cleaned


def clean_view_params(params: Mapping[str, str], allowed: Iterable[str]) -> dict[str, str]:
    """The non-empty filters among ``allowed`` (paging and the open case are never saved)."""
    keep = set(allowed) - {"page", "case"}
    cleaned = {k: str(v).strip() for k, v in params.items() if k in keep and str(v).strip()}
    if any(len(v) > MAX_VALUE for v in cleaned.values()):
        raise InvalidInput("params", f"a filter is longer than {MAX_VALUE} characters")
    return dict(sorted(cleaned.items()))
