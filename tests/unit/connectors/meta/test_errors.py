"""Meta's documented error envelopes and usage headers map to what the outbox must do."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mentiondesk.connectors.base import DeliveryFailed
from mentiondesk.connectors.meta.errors import (
    DEFAULT_RATE_LIMIT_WAIT,
    FailureKind,
    GraphFailure,
    MetaRefused,
    TokenInvalid,
    classify,
    meta_refusal,
    parse_usage,
)


def envelope(code: int, message: str, subcode: int | None = None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": {**error, "fbtrace_id": "Fz54k3GZrio", **extra}}


def failure(status: int, body: Any, headers: dict[str, str] | None = None) -> GraphFailure:
    result = classify(status, headers or {}, body)
    assert result is not None
    return result


BUC = {
    "X-Business-Use-Case-Usage": json.dumps(
        {
            "1234567890321": [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 23,
                    "total_time": 23,
                    "estimated_time_to_regain_access": 7,
                }
            ]
        }
    )
}


def test_a_success_is_no_failure() -> None:
    assert classify(200, {}, {"id": "1_2"}) is None


@pytest.mark.parametrize("code", [4, 17, 32, 341, 613, 80001, 80002, 80006])
def test_throttling_codes_are_rate_limits_with_meta_s_estimate(code: int) -> None:
    result = failure(400, envelope(code, f"(#{code}) limit reached"), BUC)

    assert result.kind is FailureKind.RATE_LIMITED
    assert result.kind.transient
    assert result.retry_after == 7 * 60
    assert result.fbtrace_id == "Fz54k3GZrio"


def test_the_documented_page_limit_envelope_without_headers_waits_the_default() -> None:
    body = {
        "error": {
            "message": "(#32) Page request limit reached",
            "type": "OAuthException",
            "code": 32,
            "fbtrace_id": "Fz54k3GZrio",
        }
    }
    result = failure(403, body)
    assert result.kind is FailureKind.RATE_LIMITED
    assert result.retry_after == DEFAULT_RATE_LIMIT_WAIT
    assert result.reason == "Meta refused (#32): (#32) Page request limit reached"


def test_a_zero_estimate_falls_back_to_the_default_wait() -> None:
    headers = {
        "x-page-usage": json.dumps({"call_count": 100, "estimated_time_to_regain_access": 0})
    }
    assert failure(400, envelope(80001, "too many"), headers).retry_after == DEFAULT_RATE_LIMIT_WAIT


def test_an_http_429_without_an_envelope_is_a_rate_limit_honouring_retry_after() -> None:
    result = failure(429, None, {"Retry-After": "120"})
    assert result.kind is FailureKind.RATE_LIMITED
    assert result.retry_after == 120


@pytest.mark.parametrize(
    ("subcode", "words"),
    [(None, "Invalid OAuth"), (460, "password was changed"), (463, "expired"), (467, "invalid")],
)
def test_code_190_is_an_invalid_token_whatever_the_subcode(subcode: int | None, words: str) -> None:
    result = failure(400, envelope(190, "Invalid OAuth access token.", subcode))
    assert result.kind is FailureKind.TOKEN_INVALID
    assert not result.kind.transient
    assert words in result.message


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, envelope(2, "An unexpected error has occurred. Please retry your request later.")),
        (500, envelope(1, "An unknown error occurred")),
        (400, envelope(99, "hiccup", is_transient=True)),
        (502, None),
        (503, "<html>Service Unavailable</html>"),
    ],
)
def test_server_errors_are_transient_and_may_have_happened(status: int, body: Any) -> None:
    result = failure(status, body)
    assert result.kind is FailureKind.SERVER
    assert result.kind.transient
    assert result.uncertain
    assert result.retry_after is None


@pytest.mark.parametrize(
    ("code", "subcode", "kind"),
    [
        (10, 2018278, FailureKind.WINDOW_CLOSED),
        (10900, None, FailureKind.ALREADY_REPLIED),
        (551, None, FailureKind.UNREACHABLE),
        (100, 33, FailureKind.GONE),
        (10, None, FailureKind.PERMISSION),
        (200, None, FailureKind.PERMISSION),
        (368, None, FailureKind.BLOCKED),
        (506, None, FailureKind.DUPLICATE),
        (100, None, FailureKind.REFUSED),
    ],
)
def test_policy_and_request_refusals_are_final(
    code: int, subcode: int | None, kind: FailureKind
) -> None:
    result = failure(400, envelope(code, "Meta says no", subcode))
    assert result.kind is kind
    assert not result.kind.transient


def test_the_window_refusal_keeps_meta_s_message_for_the_case() -> None:
    body = envelope(10, "(#10) This message is sent outside of allowed window.", 2018278)
    result = failure(400, body)
    assert result.reason == (
        "Meta refused (#10/2018278): (#10) This message is sent outside of allowed window."
    )


def test_a_message_meant_for_people_is_preferred() -> None:
    body = envelope(368, "(#368) blocked", error_user_msg="You can't post this right now.")
    assert failure(400, body).message == "You can't post this right now."


def test_an_error_body_on_a_2xx_still_counts_as_a_failure() -> None:
    assert failure(200, envelope(100, "Unsupported post request")).kind is FailureKind.REFUSED


def test_usage_reads_every_header_and_keeps_the_worst() -> None:
    headers = {
        "X-App-Usage": json.dumps({"call_count": 28, "total_time": 25, "total_cputime": 25}),
        **BUC,
    }
    usage = parse_usage(headers)
    assert usage.percent == 100
    assert usage.regain_after == 420


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"x": "y"}', '{"call_count": true}'])
def test_malformed_usage_headers_count_as_absent(raw: str) -> None:
    usage = parse_usage({"X-App-Usage": raw})
    assert usage.percent == 0 and usage.regain_after is None


def test_refusals_reach_the_outbox_as_delivery_failures() -> None:
    limited = MetaRefused(failure(400, envelope(613, "Calls limited"), BUC))
    token = meta_refusal(failure(400, envelope(190, "Error validating access token", 460)))

    assert isinstance(limited, DeliveryFailed) and limited.transient
    assert limited.retry_after == 420
    assert isinstance(token, TokenInvalid) and not token.transient
    assert token.retry_after is None
