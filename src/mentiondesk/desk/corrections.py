"""Agents correct triage labels; corrections are kept and exported as training data in the
same shape as the labelled corpora the models were trained on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.desk.priority import do_rescore_case
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.events import LabelCorrected
from mentiondesk.domain.triage import Intent, Sentiment
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

BOOLEAN_LABELS = ("harmful", "spam", "needs_reply")
CHOICES: dict[str, tuple[str, ...]] = {
    "sentiment": tuple(s.value for s in Sentiment),
    "intent": tuple(i.value for i in Intent),
    **{label: ("true", "false") for label in BOOLEAN_LABELS},
}
# How an exported correction is named as a training task (as in the shared corpora).
TASKS = {
    "sentiment": "sentiment",
    "intent": "intent",
    "harmful": "harmful",
    "spam": "spam",
    "needs_reply": "needs_reply",
    "language": "language",
}


@dataclass(frozen=True, slots=True)
class Correction:
    post_id: int
    label: str
    old_value: str | None
    new_value: str


def _validated(label: str, value: str) -> str:
    value = value.strip().lower()
    if label == "language":
        if len(value) != 2 or not value.isalpha():
            raise InvalidInput("value", "a language is a two-letter ISO 639-1 code, e.g. pl")
        return value
    choices = CHOICES.get(label)
    if choices is None:
        raise InvalidInput("label", f"must be one of {', '.join(sorted([*CHOICES, 'language']))}")
    if value not in choices:
        raise InvalidInput("value", f"{label} must be one of {', '.join(choices)}")
    return value


def do_correct_label(
    uow: UnitOfWork, actor: Actor, post_id: int, label: str, value: str, *, now: datetime
) -> Correction:
    """Replace one triage label of a post, keep the old one in the corrections table, and
    carry it to the post's case when the post opened it."""
    actor.require_case_work()
    new_value = _validated(label, value)
    post = uow.posts.get(actor.workspace.id, post_id)
    if post is None:
        raise NotFound(f"no post {post_id}")
    if post.triage is None:
        raise InvalidInput("post", "this post has no triage labels to correct")
    triage = post.triage.to_dict()
    old = triage.get(label)
    old_value = None if old is None else str(old).lower()
    typed: Any = new_value == "true" if label in BOOLEAN_LABELS else new_value
    triage[label] = typed
    # A person decided this label: it is no longer "not sure", and the model's confidence in
    # the old value no longer describes it.
    triage["unsure"] = [u for u in triage.get("unsure", []) if u != label]
    triage.get("confidence", {}).pop(label, None)
    uow.corrections.relabel_post(post.id, triage, label)
    if post.case_id is not None:
        first = uow.posts.for_case(actor.workspace.id, post.case_id)[0]
        if first.id == post.id:
            uow.corrections.relabel_case(post.case_id, label, typed)
        do_rescore_case(uow, actor.workspace.id, post.case_id, now)
    uow.collect([LabelCorrected(actor.workspace.id, post.id, post.case_id, label, now)])
    uow.corrections.add(
        workspace_id=actor.workspace.id,
        post_id=post.id,
        user_id=actor.user.id,
        label=label,
        old_value=old_value,
        new_value=new_value,
        at=now,
    )
    uow.audit.append(
        AuditEntry.by(
            actor,
            "post.relabel",
            f"post:{post.id}",
            at=now,
            data={"label": label, "from": old_value, "to": new_value},
        )
    )
    uow.commit()
    return Correction(post.id, label, old_value, new_value)


def export_corrections(uow: UnitOfWork, workspace: Workspace) -> Iterator[str]:
    """JSON lines ``{"task", "lang", "source", "text", "label", "post_id"}`` — the shape of the
    corpora in the training data, so ``mentiondesk train`` can learn from them."""
    for row in uow.corrections.export_rows(workspace.id):
        yield json.dumps(
            {
                "task": TASKS[row["label"]],
                "lang": row["language"],
                "source": f"mentiondesk:{workspace.slug}",
                "text": row["text"],
                "label": row["value"],
                "post_id": row["post_id"],
                "corrected_at": row["at"].isoformat(),
            },
            ensure_ascii=False,
        )
