"""How a post reads on the page: links, pictures and initials."""

from __future__ import annotations

from mentiondesk.web.post_text import initials, linked_text, post_images


def test_links_become_anchors_and_the_rest_stays_escaped() -> None:
    html = str(linked_text("see https://ex.ample/a?b=1&c=2. <b>now</b> javascript:alert(1)"))
    assert '<a href="https://ex.ample/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"' in html
    assert "</a>. &lt;b&gt;now&lt;/b&gt; javascript:alert(1)" in html


def test_pictures_come_from_the_channel_and_from_image_links_https_only() -> None:
    text = "look http://ex.ample/x.png and https://ex.ample/y.JPG?size=2, thanks"
    extra = {"images": ["https://cdn.ex.ample/1.webp", "javascript:alert(1)", 5]}
    assert post_images(text, extra) == [
        "https://cdn.ex.ample/1.webp",
        "https://ex.ample/y.JPG?size=2",
    ]


def test_initials_skip_the_at_sign_and_digits() -> None:
    assert initials("Ania Nowak") == "AN"
    assert initials("@tea_ben875") == "TB"
    assert initials("Łucja") == "Ł"
    assert initials("") == "?"
