"""The guard's other checks, one specification each."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.replies.guard import (
    CHECKS,
    GuardContext,
    GuardSettings,
    HotlineSchedule,
    check_reply,
)

WEEKDAYS_8_TO_17 = HotlineSchedule({d: [("08:00", "17:00")] for d in range(6)}, "Europe/Warsaw")


def test_a_jinja_placeholder_left_in_blocks(checks) -> None:
    assert "unfilled_placeholder" in checks("Hi {{ author.first_name }}, sorry!")


def test_a_greeting_with_an_empty_name_blocks(checks) -> None:
    assert "unfilled_placeholder" in checks("Gentile , ci scusiamo per il ritardo.")
    assert "unfilled_placeholder" in checks("Cześć [IMIĘ], przepraszamy!")


def test_a_plain_greeting_without_a_name_passes(checks) -> None:
    assert "unfilled_placeholder" not in checks("Hi, thanks for your message.")
    assert "unfilled_placeholder" not in checks("Dzień dobry Pani! Dziękujemy.")


def test_an_order_number_in_a_public_reply_blocks_in_a_private_one_it_does_not(checks) -> None:
    reply = "Hi Anna, sorry! Your order 4521337 has been shipped."
    assert "sensitive_public" in checks(reply, author_name="Anna Lee", public=True)
    assert "sensitive_public" not in checks(reply, author_name="Anna Lee", public=False)


def test_the_workspace_order_pattern_is_used(checks) -> None:
    ws = GuardSettings(order_pattern=r"\bZM-\d{6}\b")
    assert "sensitive_public" in checks("Przesyłka ZM-123456 dotrze jutro.", settings=ws)


def test_the_brands_own_hotline_number_is_not_a_leak(checks) -> None:
    assert "sensitive_public" not in checks("Call us on +44 20 7946 0018 and we'll fix it today.")


def test_a_customers_phone_number_in_public_blocks(checks) -> None:
    assert "sensitive_public" in checks("We'll ring you on +48 601 234 567 tomorrow at 10.")


def test_hotline_on_saturday_1707_when_it_closes_at_1700_warns_redirect_while_closed(
    checks,
) -> None:
    saturday_1707 = datetime(2025, 3, 15, 16, 7, tzinfo=UTC)  # 17:07 in Warsaw
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    reply = "Sorry! Please call our hotline and we'll sort it out."
    assert "redirect_while_closed" in checks(reply, settings=ws, now=saturday_1707)
    friday_1000 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    assert "redirect_while_closed" not in checks(reply, settings=ws, now=friday_1000)


def test_naming_the_opening_hours_is_not_misleading(checks) -> None:
    saturday_1707 = datetime(2025, 3, 15, 16, 7, tzinfo=UTC)
    reply = "Sorry! Our hotline opens again on Monday from 8:00, we'll sort it then."
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    assert "redirect_while_closed" not in checks(reply, settings=ws, now=saturday_1707)


def test_a_bare_dm_us_warns_channel_redirect_but_a_redirect_with_a_next_step_does_not(
    checks,
) -> None:
    assert "channel_redirect" in checks("Please DM us.")
    result = check_reply("Please DM us your order number so we can check it.", GuardContext())
    assert "channel_redirect" not in result.checks
    assert result.detected.redirect == ("dm",)
    assert result.detected.next_step


def test_redirect_kinds_are_detected(checks) -> None:
    reply = "Write to us at help@shop.example or use the contact form on www.shop.example/help."
    detected = check_reply(reply, GuardContext()).detected
    assert {"email", "form", "url"} <= set(detected.redirect)


def test_blaming_the_customer_warns_in_three_languages(checks) -> None:
    assert "blame" in checks("As clearly stated in our terms, returns take 30 days.")
    assert "blame" in checks("Powinien Pan był sprawdzić rozmiar przed zamówieniem.")
    assert "blame" in checks("Come indicato nelle condizioni, il reso non è possibile.")
    assert "blame" not in checks("We got this wrong and we're fixing it today.")


def test_corporate_boilerplate_warns(checks) -> None:
    assert "boilerplate" in checks("We apologise for any inconvenience caused.")
    assert "boilerplate" in checks("Dokładamy wszelkich starań, aby to się nie powtórzyło.")
    assert "boilerplate" in checks("La soddisfazione dei clienti è la nostra priorità.")


def test_no_apology_to_a_complaint_warns_and_an_apology_passes(checks) -> None:
    post = "Paczka nadal nie dotarła, skandal!"
    assert "missing_apology" in checks("Sprawdzimy to dziś.", post_text=post)
    assert "missing_apology" not in checks("Przepraszamy! Sprawdzimy to dziś.", post_text=post)
    assert "missing_apology" not in checks("Sprawdzimy to dziś.", post_text="Kiedy promocja?")


def test_triage_intent_overrides_the_post_cues(checks) -> None:
    assert "missing_apology" in checks("Thanks!", post_text="hmm", intent="complaint")
    assert "missing_apology" not in checks("Thanks!", post_text="worst ever", intent="praise")


def test_a_complaint_answered_without_a_next_step_warns(checks) -> None:
    post = "Still no refund after two weeks, unacceptable"
    assert "no_next_step" in checks("We're so sorry to hear that.", post_text=post)
    assert "no_next_step" not in checks(
        "So sorry! I've escalated it, refund by Friday.", post_text=post
    )


def test_missing_signature_warns_only_where_the_workspace_wants_it(checks) -> None:
    signed = GuardSettings(requires_signature=True)
    assert "missing_signature" in checks("Thanks Anna!", settings=signed)
    assert "missing_signature" not in checks("Thanks Anna! ^MK", settings=signed)
    assert "missing_signature" not in checks("Grazie!\nUn saluto, Marco", settings=signed)
    assert "missing_signature" not in checks("Thanks Anna!")


def test_the_signature_is_reported_as_detected() -> None:
    result = check_reply("Dziękujemy!\nPozdrawiam, Ola z zespołu Sklepu", GuardContext())
    assert result.detected.signature == "Ola z zespołu Sklepu"


def test_a_clean_reply_has_no_findings() -> None:
    ctx = GuardContext(
        post_text="My parcel is late and nobody answers!",
        author_name="Sarah Lee",
        settings=GuardSettings(requires_signature=True),
    )
    reply = (
        "Hi Sarah, I'm sorry your parcel is late. I've asked the depot to prioritise it and "
        "we'll update you by 6 pm today. ^MK"
    )
    assert check_reply(reply, ctx).findings == ()


def test_every_finding_names_a_known_check_and_a_span_inside_the_reply() -> None:
    reply = "Hi Marco, {{ x }} as clearly stated, call our hotline. Order 99887766."
    result = check_reply(reply, GuardContext(author_name="Giulia Rossi", post_text="worst"))
    assert result.findings
    for finding in result.findings:
        assert finding.check in CHECKS
        assert 0 <= finding.start <= finding.end <= len(reply)
        assert finding.message and finding.suggestion


@settings(max_examples=150, deadline=None)
@given(reply=st.text(max_size=400), post=st.text(max_size=200), name=st.text(max_size=30))
def test_the_guard_never_crashes_on_arbitrary_unicode(reply: str, post: str, name: str) -> None:
    ctx = GuardContext(
        post_text=post,
        author_name=name,
        author_handle=name,
        settings=GuardSettings(requires_signature=True, hotline=WEEKDAYS_8_TO_17),
        now=datetime(2025, 3, 15, 16, 7, tzinfo=UTC),
    )
    result = check_reply(reply, ctx)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(reply)


def test_a_title_with_a_dot_before_the_name_is_not_an_empty_placeholder(checks) -> None:
    assert "unfilled_placeholder" not in checks("Dear Mrs. Thompson, we are very sorry.")
    assert "unfilled_placeholder" in checks("Dear Mrs. , we are very sorry.")


def test_we_will_call_you_is_not_a_redirect() -> None:
    result = check_reply("Zadzwonimy do Pana jutro do 12:00.", GuardContext(public=False))
    assert "phone" not in result.detected.redirect


def test_a_time_commitment_counts_as_a_next_step(checks) -> None:
    post = "Paczka nadal nie dotarła"
    assert "no_next_step" not in checks("Przepraszamy! Kurier będzie u Pana jutro.", post_text=post)


def test_an_answer_in_another_clause_keeps_a_redirect_from_warning(checks) -> None:
    reply = "Your order shows as delivered to the neighbour at number 12, DM us for the photo."
    assert "channel_redirect" not in checks(reply)
    assert "channel_redirect" in checks("Sorry to hear that, DM us.")
