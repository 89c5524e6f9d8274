"""wrong_name: the reply must address the author, in whatever form people use."""

from mentiondesk.replies.guard import GuardContext, Person, Severity, check_reply


def test_greeting_marco_to_giulia_rossi_is_blocked_as_wrong_name() -> None:
    result = check_reply("Ciao Marco, ci dispiace!", GuardContext(author_name="Giulia Rossi"))
    [finding] = [f for f in result.findings if f.check == "wrong_name"]
    assert finding.severity is Severity.BLOCK
    assert (finding.start, finding.end) == (5, 10)


def test_czesc_tomku_to_tomasz_nowak_passes(checks) -> None:
    assert "wrong_name" not in checks("Cześć Tomku, sprawdzimy to!", author_name="Tomasz Nowak")


def test_formal_vocative_pani_anno_passes(checks) -> None:
    assert "wrong_name" not in checks("Dzień dobry, Pani Anno!", author_name="Anna Kowalska")


def test_diminutive_kasiu_for_katarzyna_passes(checks) -> None:
    assert "wrong_name" not in checks("Hej Kasiu!", author_name="Katarzyna Wójcik")


def test_a_one_letter_typo_in_the_name_passes_but_another_name_does_not(checks) -> None:
    assert "wrong_name" not in checks("Hi Guilia!", author_name="Giulia Rossi")
    assert "wrong_name" in checks("Hi Mario!", author_name="Marco Bianchi")


def test_english_nickname_passes(checks) -> None:
    assert "wrong_name" not in checks("Hi Mike, thanks!", author_name="Michael Brown")


def test_a_name_typed_without_polish_letters_passes(checks) -> None:
    assert "wrong_name" not in checks("Czesc Lukasz!", author_name="Łukasz Wiśniewski")


def test_someone_elses_handle_is_blocked_and_the_authors_passes(checks) -> None:
    assert "wrong_name" in checks("Thanks @mike_k!", author_name="Tom B", author_handle="tom_b")
    assert "wrong_name" not in checks("Thanks @tom_b!", author_name="Tom B", author_handle="@tom_b")


def test_a_former_author_of_the_case_may_be_named(checks) -> None:
    ctx = GuardContext(author_name="Anna Nowak", former_authors=(Person("Piotr Nowak", "pnowak"),))
    assert "wrong_name" not in check_reply("Cześć Piotrze i Anno!", ctx).checks


def test_the_agents_signature_is_not_taken_for_a_wrong_name(checks) -> None:
    assert "wrong_name" not in checks("Hi Sarah, sorted!\nThanks, Marta", author_name="Sarah Lee")


def test_a_capitalised_word_after_hi_comma_is_not_a_name(checks) -> None:
    assert "wrong_name" not in checks("Hi, Please check your inbox.", author_name="Sarah Lee")
