"""A corpus of hostile inbound bodies: each one is something a channel, a proxy or an attacker
has sent at some point. The webhook tests and the importer tests feed the same list."""

from __future__ import annotations

import json

from tests.e2e.conftest import raw_post


def _post(pid: str, **extra: object) -> dict[str, object]:
    return {**raw_post(pid, "@skylot hostile input"), **extra}


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def bad_bodies() -> dict[str, bytes]:
    """Name → raw body (one line: no newline inside), none of which is a clean post."""
    deep_meta: object = {}
    for _ in range(40):
        deep_meta = {"x": deep_meta}
    return {
        "invalid UTF-8": b'{"platform": "x", "text": "caf\xe9 \xff"}',
        "invalid UTF-8 inside a valid post": _json(_post("b1"))[:-1] + b', "lang": "\xc3"}',
        "NUL byte": b'{"platform": "x"\x00}',
        "very deep JSON": b"[" * 100_000 + b"]" * 100_000,
        "deep meta": _json(_post("b3", meta=deep_meta)),
        "year 0001": _json(_post("b4", created_at="0001-01-01T00:00:00+01:00")),
        "year 9999": _json(_post("b5", created_at="9999-12-31T23:59:59-05:00")),
        "no time zone": _json(_post("b6", created_at="2026-11-14T17:07:00")),
        "follower count 10^30 and negative": _json(_post("b7", author_followers=-(10**30))),
        "NaN": _json(_post("b8"))[:-1] + b', "author_followers": NaN}',
        "Infinity in meta": _json(_post("b9"))[:-1] + b', "meta": {"score": Infinity}}',
        "a JSON array": _json([_post("b10")]),
        "a JSON string": b'"@skylot hi"',
        "a JSON number": b"1e999",
        "null": b"null",
        "empty body": b"",
        "whitespace": b"   ",
        "truncated": _json(_post("b11"))[:40],
        "unknown field": _json(_post("b12", colour="red")),
        "unknown platform": _json(_post("b13", platform="myspace")),
        "text of control characters": _json(_post("b14", text="\u0000\u0007\u001b")),
        "text too long": _json(_post("b15", text="x" * 20_001)),
        "huge id": _json(_post("b16", platform_post_id="9" * 500)),
        "oversize body": _json(_post("b17", text="a" * 300_000)),
        "wrong types": _json(_post("b18", text=["a"], author_handle={"h": 1})),
        "missing everything": b"{}",
    }


def clean_surprises() -> dict[str, bytes]:
    """Odd but acceptable bodies: each becomes a post (what was wrong is repaired)."""
    return {
        "follower count 10^30": _json(_post("c1", author_handle="famous", author_followers=10**30)),
        "lone surrogate in the text": _json(_post("c2")).replace(b"hostile", b"\\ud800 hostile"),
        "huge integer in meta": _json(_post("c3", meta={"n": 10**40})),
    }
