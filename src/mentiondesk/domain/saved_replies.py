"""Saved replies: canned texts a workspace keeps per language.

A plain value shared by the template renderer (``replies.templates``) and the repository that
stores it, so storage need not import the reply services.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SavedReply"]


@dataclass(frozen=True, slots=True)
class SavedReply:
    """A canned reply a workspace keeps for one language."""

    id: int
    workspace_id: int
    language: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
