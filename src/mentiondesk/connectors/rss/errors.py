"""What a feed server's answer means, decided in one place.

Feeds have no error bodies worth reading; the status and ``Retry-After`` say it all::

    2xx, 304, 3xx  not a failure (the fetcher follows redirects and reads 304 as "unchanged")
    429            RATE_LIMITED, waiting ``Retry-After`` (else an hour: the publisher may ban
                   a reader that keeps asking)
    503            RATE_LIMITED when ``Retry-After`` says how long, else SERVER
    other 5xx      SERVER (transient)
    401, 403       FORBIDDEN (the site refuses this reader)
    404            NOT_FOUND;  410  NOT_FOUND with code ``gone``: stop polling the feed
    other 4xx      REFUSED
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from mentiondesk.connectors.refusals import Failure, FailureKind, retry_after_header

__all__ = ["DEFAULT_RATE_LIMIT_WAIT", "classify"]

DEFAULT_RATE_LIMIT_WAIT = 3600.0


def classify(status: int, headers: Mapping[str, str], body: bytes, now: datetime) -> Failure | None:
    if status < 400:
        return None
    wait = retry_after_header(headers, now)
    if status == 429:
        return Failure(
            FailureKind.RATE_LIMITED,
            "the feed server asked to slow down (429)",
            wait if wait is not None else DEFAULT_RATE_LIMIT_WAIT,
            status,
        )
    if status == 503 and wait is not None:
        return Failure(FailureKind.RATE_LIMITED, "the feed server is busy (503)", wait, status)
    if status >= 500:
        return Failure(FailureKind.SERVER, f"the feed server failed ({status})", status=status)
    if status in (401, 403):
        return Failure(
            FailureKind.FORBIDDEN, f"the site refuses to serve the feed ({status})", status=status
        )
    if status == 410:
        return Failure(
            FailureKind.NOT_FOUND,
            "the feed is gone for good (410); stop polling it",
            status=status,
            code="gone",
        )
    if status == 404:
        return Failure(FailureKind.NOT_FOUND, "no feed at this address (404)", status=status)
    return Failure(
        FailureKind.REFUSED, f"the feed server refused the request ({status})", status=status
    )
