"""Read a Boolean query: AND OR NOT, parentheses, "exact phrases", NEAR/n, wildcards and
filters such as ``lang:pl platform:x country:PL author:jan followers:>1000``.

Operators are upper case, as in the listening tools users already know; two terms side by
side mean AND. Errors name the column they stand at so the editor can underline it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from mentiondesk.listening.normalise import normalise
from mentiondesk.listening.queries.ast import And, Filter, Near, Node, Not, Or, Phrase, Word

MAX_NESTING = 32
FIELDS = ("lang", "platform", "country", "author", "followers")
_NEAR = re.compile(r"NEAR/(\d{1,4})")
_FOLLOWERS = re.compile(r"(>=|<=|>|<|=)?(\d{1,12})")
_WORD_PIECE = re.compile(r"[^\W_]+|[*?]+")


class QuerySyntaxError(ValueError):
    """A query that cannot be read; ``column`` is 1-based."""

    def __init__(self, message: str, query: str, position: int) -> None:
        self.message = message
        self.query = query
        self.position = max(0, min(position, len(query)))
        self.column = self.position + 1
        super().__init__(f"{message} at column {self.column}")

    def pointer(self) -> str:
        """The query with a caret under the offending column."""
        return f"{self.query}\n{' ' * self.position}^"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ( ) AND OR NOT NEAR PHRASE WORD FILTER END
    text: str
    position: int
    value: object = None


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif char == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QuerySyntaxError("unclosed quotation mark", query, i)
            tokens.append(_Token("PHRASE", query[i + 1 : close], i))
            i = close + 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()"':
                i += 1
            tokens.append(_bare_token(query, query[start:i], start))
    tokens.append(_Token("END", "", n))
    return tokens


def _bare_token(query: str, text: str, position: int) -> _Token:
    if text in ("AND", "OR", "NOT"):
        return _Token(text, text, position)
    if text.startswith("NEAR"):
        found = _NEAR.fullmatch(text)
        if not found or int(found.group(1)) < 1:
            raise QuerySyntaxError("NEAR needs a distance, e.g. NEAR/5", query, position)
        return _Token("NEAR", text, position, int(found.group(1)))
    field, colon, value = text.partition(":")
    if colon and field.isalpha():
        if field.lower() not in FIELDS:
            known = ", ".join(FIELDS)
            raise QuerySyntaxError(f"unknown filter '{field}' (known: {known})", query, position)
        if not value:
            raise QuerySyntaxError(f"filter '{field}:' needs a value", query, position)
        return _Token("FILTER", text, position, (field.lower(), value))
    return _Token("WORD", text, position)


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def fail(self, message: str, token: _Token | None = None) -> QuerySyntaxError:
        return QuerySyntaxError(message, self.query, (token or self.current).position)

    def parse(self) -> Node:
        if self.current.kind == "END":
            raise self.fail("the query is empty")
        node = self.or_expr()
        if self.current.kind == ")":
            raise self.fail("closing parenthesis without an opening one")
        if self.current.kind != "END":
            raise self.fail(f"unexpected '{self.current.text}'")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.current.kind == "OR":
            self.index += 1
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.current.kind not in ("OR", ")", "END"):
            if self.current.kind == "AND":
                self.index += 1
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Node:
        token = self.current
        if token.kind == "NOT":
            self.index += 1
            return Not(self.nested(self.not_expr, token), token.position)
        return self.near_expr()

    def nested(self, parse: Callable[[], Node], token: _Token) -> Node:
        """Parse one level deeper; deep nesting is refused before it exhausts the stack."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"nested deeper than {MAX_NESTING} levels", token)
        node = parse()
        self.depth -= 1
        return node

    def near_expr(self) -> Node:
        node = self.primary()
        while self.current.kind == "NEAR":
            token = self.current
            self.index += 1
            right = self.primary()
            node = Near(node, right, int(str(token.value)), token.position)
        return node

    def primary(self) -> Node:
        token = self.current
        if token.kind == "(":
            self.index += 1
            if self.current.kind == ")":
                raise self.fail("empty parentheses")
            node = self.nested(self.or_expr, token)
            if self.current.kind != ")":
                raise self.fail("missing closing parenthesis for the one", token)
            self.index += 1
            return node
        if token.kind in ("AND", "OR", "NEAR"):
            raise self.fail(f"{token.text} needs a term on its left")
        if token.kind in (")", "END"):
            raise self.fail("expected a term here")
        self.index += 1
        if token.kind == "PHRASE":
            return self.phrase(token)
        if token.kind == "FILTER":
            return self.filter(token)
        return self.word(token)

    def phrase(self, token: _Token) -> Node:
        words = tuple(_WORD_PIECE.findall(normalise(token.text).text))
        if not words:
            raise self.fail("empty phrase", token)
        if any("*" in w or "?" in w for w in words):
            raise self.fail("wildcards are not allowed inside a phrase", token)
        return Phrase(words, token.position) if len(words) > 1 else Word(words[0], token.position)

    def word(self, token: _Token) -> Node:
        folded = normalise(token.text).text.lstrip("#@")
        pieces = _WORD_PIECE.findall(folded)
        if not pieces:
            raise self.fail(f"'{token.text}' has no letters or digits", token)
        if len(pieces) == 1 or any(p[0] in "*?" for p in pieces):
            return Word("".join(pieces), token.position)
        return Phrase(tuple(pieces), token.position)

    def filter(self, token: _Token) -> Node:
        field, value = cast(tuple[str, str], token.value)
        op = "="
        if field == "followers":
            found = _FOLLOWERS.fullmatch(value)
            if not found:
                raise self.fail("followers needs a number, e.g. followers:>1000", token)
            op, value = found.group(1) or "=", found.group(2)
        elif field in ("lang", "country") and not re.fullmatch(r"[A-Za-z]{2,3}", value):
            raise self.fail(f"{field} needs a two-letter code, e.g. {field}:pl", token)
        return Filter(field, op, value.lower().lstrip("@"), token.position)


def parse_query(query: str) -> Node:
    """Parse ``query`` into its AST; raises ``QuerySyntaxError`` with the column at fault."""
    return _Parser(query).parse()
