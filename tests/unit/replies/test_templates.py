"""Saved replies render in a sandbox and never print a blank where a variable was."""

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from mentiondesk.replies.templates import (
    SavedReply,
    UnfilledPlaceholderError,
    build_context,
    render_saved_reply,
    render_template,
)


def test_variables_are_filled_from_the_case() -> None:
    context = build_context(author_name="Giulia Rossi", agent_name="Marco", order_number="A-1234")
    out = render_template(
        "Ciao {{ author.first_name }}, l'ordine {{ case.order_number }} è partito. "
        "{{ agent.name }}",
        context,
    )
    assert out.text == "Ciao Giulia, l'ordine A-1234 è partito. Marco"
    assert out.complete


def test_polish_greeting_uses_the_vocative_filter() -> None:
    context = build_context(author_name="Tomasz Nowak")
    out = render_template("Cześć {{ author.first_name | vocative(familiar=True) }}!", context)
    assert out.text == "Cześć Tomku!"
    formal = render_template("Pani {{ 'Anna' | vocative }},", context)
    assert formal.text == "Pani Anno,"


def test_a_missing_variable_stays_visible_and_is_listed() -> None:
    out = render_template(
        "Hi {{ author.first_name }}, order {{ case.order_number }}.", build_context()
    )
    assert out.unfilled == ("author.first_name", "case.order_number")
    assert "{{ author.first_name }}" in out.text
    assert not out.complete


def test_an_empty_custom_field_counts_as_unfilled() -> None:
    context = build_context(author_name="Anna Nowak", custom={"voucher": "  "})
    out = render_template("Kod: {{ custom.voucher | upper }}", context)
    assert out.unfilled == ("custom.voucher",)


def test_default_filter_still_applies_to_a_missing_value() -> None:
    out = render_template("Hi {{ author.first_name | default('there') }}!", build_context())
    assert out.text == "Hi there!"
    assert out.complete


def test_conditions_on_missing_values_do_not_flag() -> None:
    out = render_template(
        "{% if case.order_number %}Order {{ case.order_number }}.{% endif %}Thanks!",
        build_context(),
    )
    assert out.text == "Thanks!"
    assert out.complete


def test_strict_render_raises_with_every_unfilled_name() -> None:
    reply = SavedReply(1, 1, "en", "delay", "Hi {{ author.first_name }}, {{ custom.eta }}")
    with pytest.raises(UnfilledPlaceholderError) as raised:
        render_saved_reply(reply, build_context(), strict=True)
    assert raised.value.names == ("author.first_name", "custom.eta")


def test_templates_cannot_reach_python_internals() -> None:
    context = build_context(author_name="Anna Nowak")
    with pytest.raises((SecurityError, UndefinedError)):
        render_template("{{ author.update({'name': 'x'}) }}", context)
    assert context["author"]["name"] == "Anna Nowak"
    with pytest.raises((SecurityError, UndefinedError)):
        render_template("{{ ''.__class__.__mro__[1].__subclasses__() }}", build_context())
    out = render_template("{{ author.__class__ }}", build_context(author_name="A B"))
    assert out.unfilled == ("author.__class__",)
