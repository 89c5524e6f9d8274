"""Only Meta, holding the app secret and the verify token, gets past the webhook checks."""

from __future__ import annotations

import json

from mentiondesk.connectors.meta.signature import sign, subscription_challenge, verify_signature

SECRET = "a0b1c2d3e4f5"
# Meta signs its escaped-unicode JSON; this is that form of {"message": "äöå"}.
BODY = json.dumps({"message": "äöå"}).encode()


def test_a_body_signed_with_the_app_secret_is_accepted() -> None:
    assert BODY == b'{"message": "\\u00e4\\u00f6\\u00e5"}'
    assert verify_signature(BODY, sign(BODY, SECRET), SECRET)


def test_the_signature_matches_an_independently_computed_hmac() -> None:
    # HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published test vector.
    header = sign(b"The quick brown fox jumps over the lazy dog", "key")
    assert header == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"


def test_the_same_text_re_serialised_without_escapes_does_not_match() -> None:
    unescaped = json.dumps({"message": "äöå"}, ensure_ascii=False).encode()
    assert not verify_signature(unescaped, sign(BODY, SECRET), SECRET)


def test_a_changed_body_or_another_secret_is_refused() -> None:
    header = sign(BODY, SECRET)
    assert not verify_signature(BODY + b" ", header, SECRET)
    assert not verify_signature(BODY, header, "another-secret")


def test_missing_malformed_or_legacy_headers_are_refused() -> None:
    digest = sign(BODY, SECRET).removeprefix("sha256=")
    for header in (None, "", digest, f"sha1={digest}", "sha256=", "sha256=zz", "sha256=ä"):
        assert not verify_signature(BODY, header, SECRET), header


def test_an_installation_without_an_app_secret_accepts_nothing() -> None:
    assert not verify_signature(BODY, sign(BODY, ""), "")


def test_uppercase_hex_and_surrounding_space_are_tolerated() -> None:
    header = "sha256=" + sign(BODY, SECRET).removeprefix("sha256=").upper()
    assert verify_signature(BODY, f" {header} ", SECRET)


def test_the_handshake_echoes_the_challenge_when_the_verify_token_matches() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "meatyhamhock", "hub.challenge": "1158"}
    assert subscription_challenge(params, "meatyhamhock") == "1158"


def test_php_style_parameter_names_are_understood() -> None:
    params = {"hub_mode": "subscribe", "hub_verify_token": "tok", "hub_challenge": "42"}
    assert subscription_challenge(params, "tok") == "42"


def test_the_handshake_is_refused_for_a_wrong_token_mode_or_missing_challenge() -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "42"}
    assert subscription_challenge({**good, "hub.verify_token": "nope"}, "tok") is None
    assert subscription_challenge({**good, "hub.mode": "unsubscribe"}, "tok") is None
    assert subscription_challenge({**good, "hub.challenge": ""}, "tok") is None
    assert subscription_challenge(good, "") is None
