"""What the guard must not block, and the redirects it must still see."""

from datetime import UTC, datetime

import pytest

from mentiondesk.replies.guard import GuardContext, GuardSettings, HotlineSchedule, check_reply
from mentiondesk.replies.guard.names import handle_identity
from mentiondesk.triage.sensitive import find_sensitive

WEEKDAYS_8_TO_17 = HotlineSchedule({d: [("08:00", "17:00")] for d in range(5)}, "Europe/Warsaw")
FRIDAY_1000 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
SATURDAY_1707 = datetime(2025, 3, 15, 16, 7, tzinfo=UTC)
SKYLOT = GuardSettings(brand_contacts=("+48 22 123 45 67", "pomoc@skylot.pl", "www.skylot.pl"))


@pytest.mark.parametrize(
    "reply",
    [
        "Hi, I'm really sorry about the delay, we'll check it today.",
        "Hi I'm Marta from the support team, we'll check it today.",
        "Hej, przepraszam za kłopot, sprawdzimy to dziś.",
        "Hej, Przepraszamy za kłopot, sprawdzimy to dziś.",
        "Ciao, mi dispiace per il ritardo, controlliamo oggi.",
        "Ciao, Mi dispiace per il ritardo, controlliamo oggi.",
        "Dear customer, we're sorry, we'll check it today.",
        "Dear Customer, we're sorry, we'll check it today.",
        "Hello there, we're sorry, we'll check it today.",
        "Hi all, we're sorry, we'll check it today.",
        "Good morning, we're sorry, we'll check it today.",
        "Good morning Everyone! We're checking it today.",
        "Thanks, We're on it and will update you today.",
        "Dzień dobry, Niestety paczka utknęła w sortowni, sprawdzimy to dziś.",
        "Buongiorno, Purtroppo il pacco è fermo, verifichiamo oggi.",
    ],
)
def test_pronouns_greetings_and_common_words_are_never_names(reply: str) -> None:
    result = check_reply(reply, GuardContext(author_name="Sarah Lee"))
    assert "wrong_name" not in result.checks


def test_a_real_other_name_after_a_greeting_is_still_blocked(checks) -> None:
    assert "wrong_name" in checks("Hi, Marco! Sorry, we'll check it today.", author_name="Anna")
    assert "wrong_name" in checks("Hi Marco, sorry, we'll check it today.", author_name="Anna")


@pytest.mark.parametrize(
    ("handle", "written"),
    [
        ("anna@mastodon.social", "@anna@mastodon.social"),
        ("@anna@mastodon.social", "@anna"),
        ("anna.bsky.social", "@anna.bsky.social"),
        ("anna_k", "u/anna_k"),
        ("u/anna_k", "/u/anna_k"),
        ("@anna_k", "@anna_k"),
    ],
)
def test_the_authors_own_handle_in_any_platform_format_is_the_author(
    handle: str, written: str
) -> None:
    reply = f"{written} sorry about that, we'll check it today."
    result = check_reply(reply, GuardContext(author_name="Anna", author_handle=handle))
    assert not result.blocked, result.findings


def test_another_account_on_another_instance_or_subreddit_user_is_a_wrong_name(checks) -> None:
    mastodon = {"author_name": "Anna", "author_handle": "anna@mastodon.social"}
    assert "wrong_name" in checks("@anna@other.social sorry!", **mastodon)
    assert "wrong_name" in checks("u/someone_else sorry!", author_name="Anna", author_handle="an")


def test_handle_identity_reads_every_platform_format() -> None:
    assert handle_identity("@Anna@Mastodon.social") == ("anna", "mastodon.social")
    assert handle_identity("anna.bsky.social") == ("anna", "bsky.social")
    assert handle_identity("/u/anna") == ("anna", "")


def test_a_mastodon_handle_in_a_post_is_not_an_email_but_an_address_still_is() -> None:
    assert find_sensitive("hey @anna@mastodon.social, is the app down?") == []
    [span] = find_sensitive("write to anna@example.com please")
    assert span.kind == "email"


@pytest.mark.parametrize(
    "reply",
    [
        "Sorry! Please call us on 22 123 45 67 and we'll sort it today.",
        "Przepraszamy! Infolinia: +48 22-123-45-67, zajmiemy się tym od ręki.",
        "Sorry! Our hotline is (022) 123 45 67, we'll fix it today.",
        "Sorry! Mail returns@skylot.pl and we'll refund you today.",
        "Sorry! The form is at www.skylot.pl/zwroty/4521337890 and we'll refund you today.",
    ],
)
def test_the_workspaces_own_contacts_are_never_sensitive_data(reply: str) -> None:
    result = check_reply(reply, GuardContext(settings=SKYLOT))
    assert "sensitive_public" not in result.checks


def test_a_customers_number_is_still_sensitive_when_contacts_are_set(checks) -> None:
    reply = "We'll ring you on +48 601 234 567 tomorrow at 10."
    assert "sensitive_public" in checks(reply, settings=SKYLOT)


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Please call our hotline.", "phone"),
        ("Zadzwoń na infolinię.", "phone"),
        ("Chiami il numero verde.", "phone"),
        ("Write to us at the address on our site.", "email"),
        ("Napisz na czacie.", "chat"),
        ("Contact us via DM.", "dm"),
        ("Fill in the form.", "form"),
        ("Wypełnij formularz reklamacyjny.", "form"),
        ("Scrivici in privato.", "dm"),
        ("Call 22 123 45 67.", "phone"),
        ("Tel. 22 123 45 67.", "phone"),
    ],
)
def test_redirects_are_detected_in_three_languages_with_or_without_a_number(
    reply: str, kind: str
) -> None:
    result = check_reply(reply, GuardContext(settings=SKYLOT))
    assert kind in result.detected.redirect


def test_call_on_saturday_evening_is_flagged_when_the_hotline_is_closed_then(checks) -> None:
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    reply = "please call our hotline on Saturday evening"
    result = check_reply(reply, GuardContext(settings=ws, now=FRIDAY_1000))
    [finding] = [f for f in result.findings if f.check == "redirect_while_closed"]
    assert "Saturday evening" in finding.message and "Mon-Fri 08:00-17:00" in finding.message
    assert "redirect_while_closed" not in checks(
        "please call our hotline on Monday morning", settings=ws, now=FRIDAY_1000
    )


@pytest.mark.parametrize(
    "reply",
    [
        "Przepraszamy! Zadzwoń na infolinię wieczorem, pomożemy.",
        "Ci scusiamo! Chiami il numero verde sabato, la aiutiamo.",
        "Sorry! Give us a call tonight and we'll sort it.",
        "Sorry! Call us at 19:00 and we'll sort it.",
    ],
)
def test_a_named_time_when_the_line_is_closed_is_flagged_in_three_languages(
    checks, reply: str
) -> None:
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    assert "redirect_while_closed" in checks(reply, settings=ws, now=FRIDAY_1000)


def test_the_agent_is_told_when_the_hotline_opens(checks) -> None:
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    result = check_reply(
        "Sorry! Please call our hotline.", GuardContext(settings=ws, now=SATURDAY_1707)
    )
    [finding] = [f for f in result.findings if f.check == "redirect_while_closed"]
    assert "closed now (opens Monday 08:00)" in finding.message


def test_the_brands_own_number_alone_counts_as_a_phone_redirect_while_closed(checks) -> None:
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17, brand_contacts=("800 123 456",))
    assert "redirect_while_closed" in checks(
        "Ci scusiamo! 800-123-456, la aiutiamo subito.", settings=ws, now=SATURDAY_1707
    )


def test_stating_the_hours_is_trusted(checks) -> None:
    ws = GuardSettings(hotline=WEEKDAYS_8_TO_17)
    for reply in (
        "Sorry! Our hotline is open Mon-Fri 8-17, we'll sort it then.",
        "Przepraszamy! Infolinia działa w dni robocze w godzinach 8-17.",
        "Ci scusiamo! Il numero verde è attivo dal lunedì al venerdì, orario 8-17.",
    ):
        assert "redirect_while_closed" not in checks(reply, settings=ws, now=SATURDAY_1707)


def test_schedule_next_opening_and_description() -> None:
    schedule = HotlineSchedule(
        {0: [("08:00", "12:00"), ("13:00", "17:00")], 1: [("08:00", "17:00")]}
    )
    opens = schedule.next_opening(datetime(2025, 3, 17, 11, 30, tzinfo=UTC))  # Mon 12:30 local
    assert opens is not None and (opens.weekday(), opens.hour) == (0, 13)
    assert schedule.describe() == "Mon 08:00-12:00, 13:00-17:00; Tue 08:00-17:00"
