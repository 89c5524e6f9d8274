"""Saved replies: per-workspace, per-language texts with variables, rendered in a sandbox.

Templates are written by workspace admins and hold variables only: a variable path
(``author.first_name``), the filters in ``ALLOWED_FILTERS`` with constant arguments, and
``{% if %}`` on a variable. Anything else (arithmetic such as ``{{ 7*7 }}``, calls, loops,
``set``, macros, includes) is refused when the template is parsed, before anything runs; what
is left renders in Jinja2's immutable sandbox as a second wall.
A variable that is missing or empty must never print as blank ("Hi , sorry..."): the renderer
leaves a visible ``{{ author.first_name }}`` in its place and lists it, so the reply guard
blocks the reply until the agent fills it in, or, with ``strict=True``, raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from jinja2 import ChainableUndefined, Undefined, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mentiondesk.domain.saved_replies import SavedReply
from mentiondesk.replies.vocative import vocative

__all__ = [
    "RenderedReply",
    "SavedReply",
    "UnfilledPlaceholderError",
    "build_context",
    "render_saved_reply",
    "render_template",
]

ALLOWED_FILTERS = frozenset(
    {"vocative", "default", "d", "upper", "lower", "title", "capitalize", "trim"}
)
_ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Name, nodes.Getattr,
    nodes.Getitem, nodes.Const, nodes.Filter, nodes.Keyword, nodes.Not, nodes.And, nodes.Or,
    nodes.CondExpr,
)  # fmt: skip
_COLLECTOR = "__mentiondesk_unfilled__"
_MARK = "__mentiondesk_placeholder__"


class UnfilledPlaceholderError(ValueError):
    """Raised by a strict render when a variable is missing or empty."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__("unfilled placeholders: " + ", ".join(names))
        self.names = names


@dataclass(frozen=True, slots=True)
class RenderedReply:
    """The text to put in the composer, and the placeholders that still need a value."""

    text: str
    unfilled: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.unfilled


class _Placeholder(str):
    """The visible stand-in for an unfilled variable; filters pass it through untouched."""

    __slots__ = ()


def _blank(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, Undefined)
        or (isinstance(value, str) and not value.strip())
    )


class _ReplyEnvironment(ImmutableSandboxedEnvironment):
    """A read-only sandbox where an empty attribute counts as missing, so ``default`` and the
    unfilled-placeholder check treat "" and None like an absent variable."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        return self.undefined(obj=obj, name=attribute) if _blank(value) else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        return self.undefined(obj=obj, name=argument) if _blank(value) else value


def _vocative_filter(value: Any, familiar: bool = False) -> Any:
    if isinstance(value, Undefined | _Placeholder) or not isinstance(value, str):
        return value
    return vocative(value, familiar=familiar)


@pass_context
def _placeholder(context: Context, path: str, value: Any) -> Any:
    if not _blank(value):
        return value
    collector = context.get(_COLLECTOR)
    if isinstance(collector, list) and path not in collector:
        collector.append(path)
    return _Placeholder("{{ " + path + " }}")


def _path_of(node: nodes.Node) -> str | None:
    """``author.first_name`` for a chain of names and constant lookups, else None."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _path_of(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _path_of(node.node)
        return f"{base}.{node.arg.value}" if base else None
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _path_of(node.node)
    return None


def _wrap(expr: nodes.Expr) -> nodes.Expr:
    """Route each printed variable through the placeholder check, keeping its filters inside
    so ``default`` and ``vocative`` still see the real value."""
    if isinstance(expr, nodes.CondExpr):
        expr.expr1 = _wrap(expr.expr1)
        if expr.expr2 is not None:
            expr.expr2 = _wrap(expr.expr2)
        return expr
    if isinstance(expr, nodes.Concat):
        expr.nodes = [_wrap(n) for n in expr.nodes]
        return expr
    path = _path_of(expr)
    if path is None:
        return expr
    call = nodes.Call(nodes.Name(_MARK, "load"), [nodes.Const(path), expr], [], None, None)
    call.set_lineno(expr.lineno or 1)
    return call


@cache
def _environment() -> _ReplyEnvironment:
    env = _ReplyEnvironment(
        undefined=ChainableUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters["vocative"] = _vocative_filter
    env.globals[_MARK] = _placeholder
    return env


def _refuse_expressions(tree: nodes.Template) -> None:
    """Variables, allowed filters with constant arguments and ``if`` only; else SecurityError."""
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            kind = type(node).__name__.lower()
            raise SecurityError(
                f"saved replies hold variables only; {kind!r} is not allowed "
                "(no arithmetic, calls, loops or assignments)"
            )
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise SecurityError(
                f"filter {node.name!r} is not allowed; use {', '.join(sorted(ALLOWED_FILTERS))}"
            )
        if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
            raise SecurityError("look a variable up by a constant name only")


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    env = _environment()
    tree = env.parse(source)
    _refuse_expressions(tree)
    for output in tree.find_all(nodes.Output):
        output.nodes = [n if isinstance(n, nodes.TemplateData) else _wrap(n) for n in output.nodes]
    return env.from_string(tree)


def render_template(
    source: str, context: Mapping[str, Any], *, strict: bool = False
) -> RenderedReply:
    """Render a template text; unfilled or empty variables are listed (or raised when strict).

    Syntax errors and sandbox violations raise Jinja2's own exceptions: they are the author's
    mistake and should reach them, not be hidden.
    """
    unfilled: list[str] = []
    values = {k: v for k, v in context.items() if not _blank(v)}
    text = _compile(source).render({**values, _COLLECTOR: unfilled})
    if strict and unfilled:
        raise UnfilledPlaceholderError(tuple(unfilled))
    return RenderedReply(text=text, unfilled=tuple(unfilled))


def render_saved_reply(
    reply: SavedReply, context: Mapping[str, Any], *, strict: bool = False
) -> RenderedReply:
    """Render a saved reply for one case (see ``build_context`` for the usual variables)."""
    return render_template(reply.body, context, strict=strict)


_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")


def _looks_like_handle(name: str, handle: str) -> bool:
    """A display name that is really a handle ("tea_ben875") gives no first name: a reply
    must never greet someone by their handle as if it were their name."""
    first = name.split(maxsplit=1)[0] if name.split() else ""
    if not first:
        return False
    bare = handle.lstrip("@").split("@")[0].lower()
    return first.lower() == bare or not _NAME_WORD.match(first) or first.lstrip("@") != first


def build_context(
    *,
    author_name: str = "",
    author_handle: str = "",
    agent_name: str = "",
    order_number: str | None = None,
    case_id: int | str | None = None,
    custom: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The variables saved replies may use: ``author.*``, ``agent.*``, ``case.*``, ``custom.*``."""
    parts = [] if _looks_like_handle(author_name, author_handle) else author_name.split()
    return {
        "author": {
            "name": author_name.strip(),
            "first_name": parts[0] if parts else "",
            "last_name": parts[-1] if len(parts) > 1 else "",
            "handle": author_handle,
        },
        "agent": {
            "name": agent_name,
            "first_name": agent_name.split(maxsplit=1)[0] if agent_name.strip() else "",
        },
        "case": {"order_number": order_number or "", "id": "" if case_id is None else str(case_id)},
        "custom": dict(custom or {}),
    }
