"""Small promises of the pages' looks: one line per reason, decoded demo texts."""

from __future__ import annotations

from mentiondesk.demo.setup import stream_lines
from mentiondesk.domain.posts import Mention, MentionKind
from mentiondesk.web.rendering import why_lines


def test_a_reason_that_matched_many_times_is_one_line_with_its_count() -> None:
    same = Mention(MentionKind.DIRECT, "skylot", 0, 6, "Skylot", "profile", "brand name")
    other = Mention(MentionKind.FUZZY, "skylot", 9, 16, "Skylott", "profile", "misspelt name")
    assert why_lines([same] * 512 + [other]) == [
        ("brand name (profile)", 512),
        ("misspelt name (profile)", 1),
    ]


def test_demo_texts_carry_no_html_entities() -> None:
    texts = [post["text"] for post in stream_lines()]
    assert not [t for t in texts if "&lt;" in t or "&amp;" in t or "&gt;" in t]
    assert any("<3" in t for t in texts)
