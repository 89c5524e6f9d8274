"""``mentiondesk erasure|rules|audit``: data-subject erasure, auto-moderation rules and the
audit log from the command line. Thin: each command builds the services and calls one service.

Read-only commands (dry-run, export) act as the operator who runs the command, who already
holds the database; erasure and rule changes name the owner or admin who approves them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.cli.common import acting, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.audit_log import audit_filter, export_audit
from mentiondesk.domain.moderation import DryRunReport, RuleActions, RuleConditions
from mentiondesk.moderation.erasure import (
    do_approve_erasure,
    do_erase_author,
    do_request_erasure,
    sole_approver,
)
from mentiondesk.moderation.rules import do_save_rule, dry_run, list_rules

erasure_app = typer.Typer(help="Data-subject (GDPR) erasure requests.", no_args_is_help=True)
rules_app = typer.Typer(help="Auto-moderation rules.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]


@erasure_app.command("request")
def erasure_request(
    workspace: Workspace,
    platform: Annotated[str, typer.Option(help="The author's platform, e.g. x.")],
    handle: Annotated[str, typer.Option(help="The author's handle on that platform.")],
    requested_by: Annotated[str, typer.Option(help="Who asked (the person or a representative).")],
    reason: Annotated[
        str, typer.Option(help="The legal ground, e.g. 'GDPR art. 17, e-mail of …'.")
    ],
    approved_by: Annotated[str, typer.Option(help="E-mail of the owner or admin who requests it.")],
    confirm: Annotated[
        str | None,
        typer.Option(
            help="The author's handle typed again: erases at once where that owner or admin "
            "is the workspace's only one. Elsewhere the request waits for `erasure approve`."
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record an erasure request. A second owner or admin approves it (`erasure approve`);
    a workspace's sole owner or admin erases at once with --confirm HANDLE."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, approved_by)
        now = services.clock.now()
        if not sole_approver(uow, actor):
            pending = do_request_erasure(
                uow,
                actor,
                platform=platform,
                handle=handle,
                requested_by=requested_by,
                legal_reason=reason,
                now=now,
            )
            p = pending.preview
            typer.echo(
                f"erasure request {pending.request_id} is pending: it will erase {p.posts} "
                f"posts, {p.cases} cases, {p.replies} replies, {p.notes} notes once another "
                f"owner or admin runs `mentiondesk erasure approve --request "
                f"{pending.request_id}`"
            )
            return
        receipt = do_erase_author(
            uow,
            actor,
            platform=platform,
            handle=handle,
            requested_by=requested_by,
            legal_reason=reason,
            confirmation=confirm,
            now=now,
        )
    typer.echo(
        f"erasure request {receipt.request_id}: {receipt.posts_redacted} posts redacted, "
        f"author now {receipt.pseudonym}"
    )


@erasure_app.command("approve")
def erasure_approve(
    workspace: Workspace,
    request: Annotated[int, typer.Option(help="The pending request's number.")],
    approved_by: Annotated[
        str, typer.Option(help="E-mail of the approving owner or admin (not the requester).")
    ],
    confirm: Annotated[
        str | None,
        typer.Option(help="The author's handle, when the requester is the sole owner/admin."),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Approve a pending erasure request and erase the author's personal data."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, approved_by)
        receipt = do_approve_erasure(
            uow, actor, request, now=services.clock.now(), confirmation=confirm
        )
    typer.echo(
        f"erasure request {receipt.request_id}: {receipt.posts_redacted} posts redacted, "
        f"author now {receipt.pseudonym}"
    )


@rules_app.command("list")
def rules_list(
    workspace: Workspace, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """The workspace's rules as JSON lines."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, None)
        for rule in list_rules(uow, actor):
            record = {
                "id": rule.id,
                "name": rule.name,
                "enabled": rule.enabled,
                "conditions": rule.conditions.to_dict(),
                "actions": rule.actions.to_dict(),
            }
            typer.echo(json.dumps(record, ensure_ascii=False))


def _read_rule(path: Path) -> tuple[str, RuleConditions, RuleActions, bool]:
    """A rule in the API's shape: ``{"name", "enabled", "conditions": {…}, "actions": {…}}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return (
            str(data.get("name", "")),
            RuleConditions.from_dict(data.get("conditions") or {}),
            RuleActions.from_dict(data.get("actions") or {}),
            bool(data.get("enabled", True)),
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise typer.BadParameter(f"{path}: {exc}", param_hint="--file") from None


RuleFile = Annotated[
    Path, typer.Option("--file", exists=True, dir_okay=False, help="The rule as JSON.")
]


@rules_app.command("add")
def rules_add(
    workspace: Workspace,
    file: RuleFile,
    as_email: Annotated[str, typer.Option("--as", help="E-mail of an owner or admin.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Save a new rule from a JSON file (the API's shape)."""
    name, conditions, actions, enabled = _read_rule(file)
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_email)
        rule = do_save_rule(
            uow,
            actor,
            name=name,
            conditions=conditions,
            actions=actions,
            enabled=enabled,
            now=services.clock.now(),
        )
    typer.echo(f"rule {rule.id} {rule.name!r} saved" + ("" if enabled else " (switched off)"))


@rules_app.command("dry-run")
def rules_dry_run(
    workspace: Workspace,
    rule: Annotated[str | None, typer.Option(help="Name of a saved rule.")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", exists=True, dir_okay=False, help="An unsaved rule as JSON."),
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=90, help="How far back to look.")] = 7,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show what a rule would have done to the last days of posts; changes nothing."""
    if (rule is None) == (file is None):
        raise typer.BadParameter("give either --rule NAME or --file RULE.json")
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, None)
        if file is not None:
            name, conditions, actions, _ = _read_rule(file)
        else:
            saved = uow.moderation.rule_named(actor.workspace.id, rule or "")
            if saved is None:
                raise typer.BadParameter(f"no rule {rule!r} in {workspace}", param_hint="--rule")
            name, conditions, actions = saved.name, saved.conditions, saved.actions
        report = dry_run(
            uow,
            actor,
            name=name,
            conditions=conditions,
            actions=actions,
            now=services.clock.now(),
            days=days,
        )
    _print_report(report)


def _print_report(report: DryRunReport) -> None:
    would = ", ".join(f"{what} {n}" for what, n in report.would.items()) or "nothing"
    typer.echo(
        f"{report.rule_name}: {report.matched} of {report.scanned} posts since "
        f"{report.since:%Y-%m-%d %H:%M} UTC match; would {would}. Nothing was changed."
    )
    for item in report.sample:
        text = " ".join(str(item["text"]).split())[:80]
        typer.echo(f"  post {item['post_id']} @{item['author']}: {text}  -> {item['would']}")


@audit_app.command("export")
def audit_export(
    workspace: Workspace,
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    action: Annotated[str, typer.Option(help="Only this action, e.g. post.hide.")] = "",
    actor: Annotated[str, typer.Option(help="A user id or rule:<name>.")] = "",
    subject: Annotated[str, typer.Option(help="e.g. case:12 or post:99.")] = "",
    since: Annotated[str, typer.Option(help="From this date (ISO).")] = "",
    until: Annotated[str, typer.Option(help="To this date, inclusive (ISO).")] = "",
    output: Annotated[
        Path | None, typer.Option("--output", dir_okay=False, help="File (default: stdout).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the audit log, oldest first, as CSV (with a header) or JSON Lines."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        who = acting(uow, workspace, None)
        f = audit_filter(action=action, actor=actor, subject=subject, since=since, until=until)
        chunks = export_audit(uow, who, f, fmt)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
