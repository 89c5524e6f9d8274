"""Saved replies hold variables, not code; a handle is never used as a first name."""

import pytest
from jinja2.exceptions import SecurityError

from mentiondesk.replies.templates import build_context, render_template


@pytest.mark.parametrize(
    "source",
    [
        "{{ 7*7 }}",
        "{% for x in [1, 2, 3] %}{{ x }}{% endfor %}",
        "{% set a = 'x' %}{{ a }}",
        "{{ author.name ~ 'x' }}",
        "{{ author.first_name | replace('a', 'b') }}",
        "{{ custom[author.name] }}",
    ],
)
def test_anything_but_variables_filters_and_if_is_refused_before_it_runs(source: str) -> None:
    with pytest.raises(SecurityError):
        render_template(source, build_context(author_name="Anna Nowak"))


def test_variables_with_allowed_filters_and_conditions_still_render() -> None:
    out = render_template(
        "{% if author.first_name %}Hi {{ author.first_name | upper }}{% endif %}!",
        build_context(author_name="Anna Nowak"),
    )
    assert out.text == "Hi ANNA!"


@pytest.mark.parametrize(
    ("name", "handle"),
    [("tea_ben875", "tea_ben875"), ("kasia", "@kasia"), ("@tomek", "tomek"), ("2fast", "x")],
)
def test_a_handle_is_never_taken_for_a_first_name(name: str, handle: str) -> None:
    out = render_template(
        "Hi {{ author.first_name | default('there') }}!",
        build_context(author_name=name, author_handle=handle),
    )
    assert out.text == "Hi there!"


def test_a_real_first_name_is_used_with_its_diacritics() -> None:
    out = render_template(
        "Ciao {{ author.first_name }}!", build_context(author_name="Zoë O'Neil", author_handle="z1")
    )
    assert out.text == "Ciao Zoë!"
