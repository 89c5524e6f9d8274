"""One HTTP seam for the open-network clients: a base URL, timeouts, and one classifier.

Every platform client (Bluesky, Mastodon, Reddit, RSS, X) sends through ``PlatformHTTP``. It
turns transport trouble into ``Failure``s (a timeout on a write is ``uncertain``: it may have
been carried out), asks the platform's one ``classify`` what an answer means, and raises
``refusal(failure)`` for anything that is not a success. The base URL is configuration, so the
same code talks to the platform or to the fake that ships beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from mentiondesk.connectors.refusals import Failure, FailureKind, refusal

__all__ = ["Classifier", "Clock", "PlatformHTTP", "utc_now"]

Classifier = Callable[[int, Mapping[str, str], bytes, datetime], Failure | None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class PlatformHTTP:
    """A synchronous httpx client bound to one platform's base URL and classifier."""

    def __init__(
        self,
        base_url: str,
        classify: Classifier,
        *,
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.classify = classify
        self.clock = clock
        self.last_response: httpx.Response | None = None
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers=dict(headers or {}),
            transport=transport,
            follow_redirects=False,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        write: bool = False,
    ) -> httpx.Response:
        """Send one request; return the response when the platform took it, else raise
        ``PlatformRefused`` (``TokenInvalid`` for credentials). ``write``: the request changes
        something, so a timeout leaves its outcome unknown."""
        try:
            response = self._client.request(
                method,
                path,
                params=params,
                json=json,
                data=data,
                headers=headers,
                auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise refusal(
                Failure(FailureKind.SERVER, f"timed out: {exc}", uncertain=write)
            ) from exc
        except httpx.TransportError as exc:
            unsent = isinstance(exc, httpx.ConnectError)
            broken = Failure(
                FailureKind.SERVER,
                f"could not reach the platform: {exc}",
                uncertain=write and not unsent,
            )
            raise refusal(broken) from exc
        self.last_response = response
        failure = self.classify(
            response.status_code, response.headers, response.content, self.clock()
        )
        if failure is not None:
            if write and failure.kind is FailureKind.SERVER and not failure.uncertain:
                failure = Failure(
                    failure.kind,
                    failure.reason,
                    failure.retry_after,
                    failure.status,
                    failure.code,
                    uncertain=True,
                )
            raise refusal(failure)
        return response

    def stream(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        headers: Mapping[str, str] | None = None,
        opened: Callable[[], None] | None = None,
    ) -> Generator[str, None, None]:
        """The text of a long-lived answer (server-sent events, NDJSON) as it arrives, until
        the server closes it; a refusal or a broken connection raises ``PlatformRefused``.
        ``opened`` runs once the server accepted the stream, before anything is read from it
        (a backfill there misses nothing: what arrives meanwhile waits in the stream)."""
        try:
            with self._client.stream(
                method,
                path,
                params=params,
                headers=headers,
                timeout=httpx.Timeout(None, connect=10),
            ) as response:
                if response.status_code >= 400:
                    response.read()
                failure = self.classify(
                    response.status_code,
                    response.headers,
                    response.content if response.status_code >= 400 else b"",
                    self.clock(),
                )
                if failure is not None:
                    raise refusal(failure)
                if opened is not None:
                    opened()
                yield from response.iter_text()
        except httpx.TransportError as exc:
            raise refusal(Failure(FailureKind.SERVER, f"stream interrupted: {exc}")) from exc

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PlatformHTTP:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
