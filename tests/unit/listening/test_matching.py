"""What the brand matcher catches without hand-typed variants, and what it leaves alone."""

from __future__ import annotations

import pytest

from mentiondesk.domain.posts import MentionKind, PostKind
from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.listening.matching import ProfileMatcher
from tests.unit.listening.helpers import BIEDRONKA, ESSELUNGA, OCADO, ORANGE, PLAY, ZABKA, a_post


def kinds(profile: BrandProfile, text: str) -> list[tuple[MentionKind, str]]:
    return [(m.kind, m.matched_text) for m in ProfileMatcher(profile).match(a_post(text))]


def test_a_tagged_handle_is_a_direct_mention_at_its_offsets() -> None:
    [mention] = ProfileMatcher(OCADO).match(a_post("Hey @Ocado, where is my order?"))
    assert (mention.kind, mention.start, mention.end) == (MentionKind.DIRECT, 4, 10)
    assert mention.matched_text == "@Ocado"
    assert mention.reason == "tagged @Ocado"
    assert mention.source == "ocado"


def test_a_handle_listed_for_another_platform_still_counts_as_a_tag() -> None:
    assert kinds(OCADO, "@ocadouk help") == [(MentionKind.DIRECT, "@ocadouk")]


def test_the_name_without_at_is_an_indirect_mention() -> None:
    [mention] = ProfileMatcher(OCADO).match(a_post("ordered from ocado again"))
    assert mention.kind is MentionKind.INDIRECT
    assert mention.matched_text == "ocado"
    assert "without @" in mention.reason


def test_a_private_message_to_the_page_is_direct_even_without_the_name() -> None:
    [mention] = ProfileMatcher(OCADO).match(
        a_post("where is my parcel", kind=PostKind.DM, to_brand=True)
    )
    assert mention.kind is MentionKind.DIRECT
    assert mention.reason == "a private message to the brand's page"


def test_a_comment_under_the_brands_post_is_direct() -> None:
    mentions = ProfileMatcher(OCADO).match(a_post("meh", kind=PostKind.COMMENT, to_brand=True))
    assert [m.reason for m in mentions] == ["a comment under the brand's own post"]


@pytest.mark.parametrize(
    ("written", "edit"),
    [
        ("Ocdao", "1 transposition"),
        ("Occado", "1 doubled letter"),
        ("Ocao", "1 missing letter"),
        ("Ocadoo", "1 doubled letter"),
        ("Ocafo", "1 wrong letter"),
    ],
)
def test_a_misspelt_name_is_a_fuzzy_mention_that_says_how_it_differs(
    written: str, edit: str
) -> None:
    [mention] = ProfileMatcher(OCADO).match(a_post(f"my {written} order is late"))
    assert mention.kind is MentionKind.FUZZY
    assert mention.matched_text == written
    assert mention.reason == f"fuzzy: '{written}' is {edit} from 'Ocado'"


def test_missing_diacritics_and_a_wrong_letter_are_both_caught_for_zabka() -> None:
    assert kinds(ZABKA, "Zabka na rogu") == [(MentionKind.FUZZY, "Zabka")]
    assert kinds(ZABKA, "znowu ta Żapka") == [(MentionKind.FUZZY, "Żapka")]
    [mention] = ProfileMatcher(ZABKA).match(a_post("Zabka na rogu"))
    assert mention.reason == "fuzzy: 'Zabka' is 'Żabka' without its diacritics"


def test_short_names_are_not_fuzzy_matched() -> None:
    lidl = BrandProfile("lidl", ("Lidl",))
    assert kinds(lidl, "the lid is broken") == []


def test_a_polish_locative_w_biedronce_is_an_indirect_mention_of_biedronka() -> None:
    [mention] = ProfileMatcher(BIEDRONKA).match(a_post("kolejka w Biedronce jak zwykle"))
    assert mention.kind is MentionKind.INDIRECT
    assert mention.matched_text == "Biedronce"
    assert mention.term == "Biedronka"
    assert mention.reason == "inflected Polish form (locative) of name 'Biedronka'"


@pytest.mark.parametrize("form", ["Biedronki", "Biedronkę", "Biedronką", "Biedronkach"])
def test_other_polish_cases_of_biedronka_match(form: str) -> None:
    assert kinds(BIEDRONKA, f"coś o {form} dzisiaj") == [(MentionKind.INDIRECT, form)]


def test_a_misspelt_inflected_form_is_fuzzy() -> None:
    [mention] = ProfileMatcher(BIEDRONKA).match(a_post("byłam w Bidronce"))
    assert mention.kind is MentionKind.FUZZY
    assert "inflected form" in mention.reason


def test_an_instrumental_z_playem_with_context_matches() -> None:
    assert kinds(PLAY, "z Playem mam abonament od lat") == [(MentionKind.INDIRECT, "Playem")]


def test_an_italian_elision_allesselunga_matches_and_says_so() -> None:
    [mention] = ProfileMatcher(ESSELUNGA).match(a_post("spesa all'Esselunga oggi"))
    assert mention.matched_text == "Esselunga"
    assert mention.reason == "Italian elided form (all') of name 'Esselunga'"


def test_a_typographic_apostrophe_elision_matches_too() -> None:
    assert kinds(ESSELUNGA, "dell’Esselunga") == [(MentionKind.INDIRECT, "Esselunga")]


@pytest.mark.parametrize("text", ["#OcadoFail again", "#ocadofail", "#FailOcado", "OcadoFail"])
def test_a_name_glued_to_a_hashtag_or_camel_case_word_matches(text: str) -> None:
    [mention] = ProfileMatcher(OCADO).match(a_post(text))
    assert mention.matched_text.lower() == "ocado"
    assert "glued" in mention.reason


def test_a_name_glued_to_an_emoji_matches() -> None:
    assert kinds(OCADO, "Ocado😡😡") == [(MentionKind.INDIRECT, "Ocado")]


def test_a_name_inside_a_longer_word_does_not_match() -> None:
    assert kinds(BrandProfile("tesco", ("Tesco",)), "grotescos art") == []


def test_play_in_play_football_does_not_match_without_a_context_term() -> None:
    assert kinds(PLAY, "let's play football tonight") == []


def test_play_matches_when_a_context_term_appears_and_the_reason_names_it() -> None:
    [mention] = ProfileMatcher(PLAY).match(a_post("Play ma słaby zasięg u mnie"))
    assert mention.reason.endswith("counted because of context term 'zasięg'")


def test_a_common_word_name_counts_when_the_post_tags_the_brand() -> None:
    found = kinds(PLAY, "@play_polska play is down again")
    assert found == [(MentionKind.DIRECT, "@play_polska"), (MentionKind.INDIRECT, "play")]


def test_an_exclusion_term_vetoes_indirect_mentions() -> None:
    assert kinds(ORANGE, "Orange County abonament weekend") == []


def test_an_exclusion_never_vetoes_a_tag() -> None:
    assert kinds(
        OCADO.__class__("o", ("Ocado",), handles={"x": ("ocado",)}, exclude_terms=("job",)),
        "@ocado job offer",
    ) == [(MentionKind.DIRECT, "@ocado")]


def test_a_competitor_is_not_a_brand_mention_but_is_reported_separately() -> None:
    matcher = ProfileMatcher(BIEDRONKA)
    post = a_post("w Lidlu taniej")
    assert matcher.match(post) == []
    [competitor] = matcher.match_competitors(post)
    assert (competitor.term, competitor.source) == ("Lidl", "biedronka:competitor")


def test_a_near_spelling_of_a_competitor_is_not_read_as_the_brand() -> None:
    profile = BrandProfile("orlen", ("Orlen",), competitors=("Orlan",))
    assert kinds(profile, "tankuję na Orlan") == []


def test_an_everyday_word_is_not_a_misspelt_brand() -> None:
    united = BrandProfile("united", ("United",))
    assert kinds(united, "we stand unite today") == []


def test_homoglyphs_and_zero_width_characters_do_not_hide_the_name() -> None:
    cyrillic = "\u041e\u0441\u0430do"  # Cyrillic О, с, а
    [mention] = ProfileMatcher(OCADO).match(a_post(f"love {cyrillic}!"))
    assert (mention.start, mention.end, mention.matched_text) == (5, 10, cyrillic)
    assert "look-alike" in mention.reason
    hidden = "Oc\u200bado"
    [mention] = ProfileMatcher(OCADO).match(a_post(f"x {hidden} y"))
    assert (mention.start, mention.end) == (2, 8)


def test_offsets_point_into_the_original_text_after_dropped_characters() -> None:
    text = "a\u200b\u200b b\u00adc Biedronce"
    [mention] = ProfileMatcher(BIEDRONKA).match(a_post(text))
    assert text[mention.start : mention.end] == "Biedronce"


def test_fuzzy_matching_can_be_switched_off() -> None:
    off = BrandProfile("ocado", ("Ocado",), fuzzy=False)
    assert kinds(off, "Ocdao is late") == []


def test_products_match_as_indirect_mentions() -> None:
    [mention] = ProfileMatcher(ZABKA).match(a_post("apka Żappka nie działa"))
    assert (mention.term, mention.kind) == ("Żappka", MentionKind.INDIRECT)
    assert mention.reason.startswith("product 'Żappka'")


def test_a_multi_word_name_matches_glued_or_hyphenated() -> None:
    profile = BrandProfile("mm", ("Media Markt",))
    assert kinds(profile, "w MediaMarkt i Media-Markt") == [
        (MentionKind.INDIRECT, "MediaMarkt"),
        (MentionKind.INDIRECT, "Media-Markt"),
    ]


def test_a_misspelt_word_of_a_multi_word_name_matches_across_the_space() -> None:
    profile = BrandProfile("us", ("US Airways",))
    [mention] = ProfileMatcher(profile).match(a_post("flying US Airwasy today"))
    assert (mention.kind, mention.matched_text) == (MentionKind.FUZZY, "US Airwasy")


def test_one_word_short_of_a_multi_word_name_is_not_a_mention() -> None:
    assert kinds(BrandProfile("us", ("US Airways",)), "British Airways today") == []


def test_a_camel_case_name_written_as_two_words_matches() -> None:
    profile = BrandProfile("jb", ("JetBlue",))
    [mention] = ProfileMatcher(profile).match(a_post("Jet Blue lost my bag"))
    assert mention.reason == "written as separate words of name 'JetBlue'"


def test_a_name_with_letters_added_at_its_end_is_another_word() -> None:
    iliad = BrandProfile("iliad", ("Iliad",), languages=("it",))
    assert kinds(iliad, "rileggo l'Iliade di Omero") == []
    assert kinds(iliad, "Iliadd non funziona") == [(MentionKind.FUZZY, "Iliadd")]


def test_a_polish_form_with_a_dropped_letter_in_the_stem_is_fuzzy() -> None:
    empik = BrandProfile("empik", ("Empik",), languages=("pl",))
    assert kinds(empik, "kupiłem w Epiku") == [(MentionKind.FUZZY, "Epiku")]
