"""Only http(s) URLs from posts become links."""

from __future__ import annotations

import pytest

from mentiondesk.web.rendering import safe_url


@pytest.mark.parametrize(
    "url", ["https://x.com/anna/status/1", "http://forum.example/t/9", " HTTPS://Blog.example/p "]
)
def test_http_and_https_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https:evil",
        "https://ok.example/\nx",
        "",
        None,
    ],
)
def test_anything_else_is_not_a_link(url: str | None) -> None:
    assert safe_url(url) is None
