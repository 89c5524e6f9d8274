"""Personal and order data is found where it is, and only when its checksum holds."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.triage import SensitiveSpan
from mentiondesk.triage.sensitive import find_sensitive


def kinds_and_texts(text: str, pattern: str | None = None) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in find_sensitive(text, pattern)]


def test_a_polish_mobile_number_is_found_at_its_offsets() -> None:
    text = "Proszę o kontakt 601 234 567, czekam od tygodnia"
    assert find_sensitive(text) == [SensitiveSpan("phone", 17, 28)]


@pytest.mark.parametrize(
    "number",
    ["+39 06 6982 1234", "(212) 555-0199", "+44 20 7946 0958", "+48 22 123 45 67", "333 123 4567"],
)
def test_phones_in_the_served_regions_and_international_form_are_found(number: str) -> None:
    assert kinds_and_texts(f"call me at {number} please") == [("phone", number)]


def test_an_email_address_is_found_but_a_handle_is_not() -> None:
    text = "@orange napiszcie na jan.kowalski@wp.pl"
    assert kinds_and_texts(text) == [("email", "jan.kowalski@wp.pl")]


def test_a_valid_pesel_is_found_and_one_with_a_wrong_checksum_is_not() -> None:
    assert kinds_and_texts("mój PESEL 44051401359") == [("pesel", "44051401359")]
    assert find_sensitive("mój PESEL 44051401358") == []


def test_a_codice_fiscale_needs_its_check_letter() -> None:
    assert kinds_and_texts("CF: RSSMRA85T10A562S") == [("codice_fiscale", "RSSMRA85T10A562S")]
    assert find_sensitive("CF: RSSMRA85T10A562T") == []


@pytest.mark.parametrize(
    "iban",
    [
        "PL61 1090 1014 0000 0712 1981 2874",
        "PL61109010140000071219812874",
        "61 1090 1014 0000 0712 1981 2874",
        "IT60X0542811101000000123456",
        "GB82 WEST 1234 5698 7654 32",
    ],
)
def test_ibans_with_a_good_mod97_are_found(iban: str) -> None:
    assert kinds_and_texts(f"przelew na {iban} dziś") == [("iban", iban)]


def test_an_iban_with_a_typo_is_not_flagged() -> None:
    assert find_sensitive("IBAN PL61 1090 1014 0000 0712 1981 2875") == []


def test_card_numbers_need_luhn() -> None:
    assert kinds_and_texts("karta 4111 1111 1111 1111 nie działa") == [
        ("card", "4111 1111 1111 1111")
    ]
    assert find_sensitive("karta 4111 1111 1111 1112 nie działa") == []


def test_order_numbers_follow_the_workspace_pattern() -> None:
    text = "Zamówienie ZAM-123456 nie dotarło"
    assert kinds_and_texts(text, r"ZAM-\d{6}") == [("order", "ZAM-123456")]
    assert find_sensitive(text) == []


def test_an_invalid_order_pattern_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="order-number pattern"):
        find_sensitive("ZAM-1", "ZAM-(")


def test_findings_never_overlap_and_the_checksummed_kind_wins() -> None:
    text = "4111111111111111 i 44051401359"
    spans = find_sensitive(text, r"\d{11,}")
    assert [s.kind for s in spans] == ["card", "pesel"]


def test_prices_dates_and_plain_numbers_are_not_sensitive() -> None:
    text = "Kupiłem 12.03.2024 za 1299,99 zł, 3 sztuki, kod rabatowy 2024"
    assert find_sensitive(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.sampled_from([r"\d+", r"#\w+", "ZAM-[0-9]{4}"])))
def test_any_text_gives_ordered_non_overlapping_spans_inside_the_text(
    text: str, pattern: str | None
) -> None:
    spans = find_sensitive(text, pattern)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    for first, second in itertools.pairwise(spans):
        assert first.end <= second.start


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +-()./@abcPLITZAM", max_size=80))
def test_digit_heavy_noise_never_crashes(text: str) -> None:
    find_sensitive(text, r"ZAM-\d+")
