"""The HTTP client under firebase-admin's `send_each_async`: pooled HTTP/1.1 connections with
aiohttp's C parser, in place of the httpx client the SDK builds (httpx + httpcore + h2).

The SDK's `HttpxAsyncClient.request` makes one call on the client it holds,
`request(method, url, headers=..., json=..., timeout=...)`, then `raise_for_status()` and
`json()` on the httpx.Response it gets back, and maps httpx errors to FirebaseErrors. This
class answers that call and nothing else, so the SDK's encoding, its per-message responses and
its error mapping stay as they are. Measured with bench/push_send.py, httpx's client layers
alone (URL merging, cookie jar, auth generator, redirects, response streaming) cost more CPU
per message than aiohttp's whole request, and an httpx client over an aiohttp transport
(httpx-aiohttp) kept those layers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
import httpx
import orjson
from multidict import CIMultiDict
from yarl import URL

JSON = {"Content-Type": "application/json"}


class Answer(httpx.Response):
    """The httpx response the SDK reads; `json()` (the SDK's only read of a delivered
    message's answer) through orjson, a whole body already in memory."""

    def json(self, **kwargs: Any) -> Any:
        return orjson.loads(self._content) if not kwargs else super().json(**kwargs)


class AiohttpFcmClient:
    """`credential`: the SDK's google-auth credential; its OAuth token is refreshed (a blocking
    call, as in the SDK, about once an hour) when missing, expiring, or refused with 401."""

    def __init__(
        self, credential: Any, *, connections: int, headers: Mapping[str, str], timeout: float
    ) -> None:
        from google.auth.transport import requests as google_requests

        self._credential = credential
        self._refresh_request = google_requests.Request()
        self._connections = connections
        self._headers = dict(headers)
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}
        self._default_timeout = timeout
        self._requests: dict[tuple[str, str], httpx.Request] = {}
        self._urls: dict[str, URL] = {}
        self._sent: CIMultiDict[str] = CIMultiDict()  # the last request's headers, as sent
        self._asked: Mapping[str, str] | None = None  # the SDK's headers they were made from
        self._stale = True  # no headers made yet, or the token changed
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._token: dict[str, str] = {}  # the Authorization header, as the credential sets it
        self._checked = 0.0

    def _open(self) -> aiohttp.ClientSession:
        """One session per event loop: a session (and its connections) cannot outlive the loop
        that opened it, and a caller may run each batch in a fresh loop."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._session is None:
            self._loop = loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers=self._headers,
                # FCM sets no cookies; the jar would still be consulted on every answer.
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    def _timeout(self, seconds: float) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get(seconds)
        if timeout is None:
            timeout = self._timeouts[seconds] = aiohttp.ClientTimeout(total=seconds)
        return timeout

    def _authorized(self, headers: Mapping[str, str] | None, refresh: bool) -> CIMultiDict[str]:
        """The token's validity (a clock read and a datetime compare) is checked at most once
        a second: google-auth already calls it invalid minutes before it expires. The headers
        are merged again only when the token or the SDK's headers change (the SDK sends the
        same two on every message)."""
        now = time.monotonic()
        if refresh or now >= self._checked + 1.0 or not self._token:
            if refresh or not self._credential.valid:
                self._credential.refresh(self._refresh_request)
            token: dict[str, str] = {}
            self._credential.apply(token)
            self._checked = now
            if token != self._token:
                self._token, self._stale = token, True
        if self._stale or headers != self._asked:
            self._asked, self._stale = (dict(headers) if headers is not None else None), False
            self._sent = CIMultiDict({**JSON, **(headers or {}), **self._token})
        return self._sent

    def _url(self, url: str) -> URL:
        """Parsed once: the SDK asks for the same FCM URL on every message."""
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = self._urls[url] = URL(url)
        return parsed

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK passes it, as to httpx
    ) -> httpx.Response:
        session = self._open()
        body = orjson.dumps(json)
        limit = self._timeout(self._default_timeout if timeout is None else timeout)
        status, content = 0, b""
        raw_headers: tuple[tuple[bytes, bytes], ...] = ()
        for attempt in range(2):
            sent = self._authorized(headers, refresh=attempt > 0)
            try:
                async with session.request(
                    method, self._url(url), data=body, headers=sent, timeout=limit
                ) as response:
                    content = await response.read()
                    status, raw_headers = response.status, response.raw_headers
            except aiohttp.ClientConnectorError as exc:  # as httpx: the SDK's UnavailableError
                raise httpx.ConnectError(str(exc)) from exc
            except TimeoutError as exc:  # the SDK's DeadlineExceededError
                raise httpx.ReadTimeout(str(exc) or "timed out") from exc
            except aiohttp.ClientError as exc:  # the SDK's UnknownError
                raise httpx.ReadError(str(exc)) from exc
            if status != 401:
                break
        answer = Answer(
            status,
            headers=raw_headers,
            stream=httpx.ByteStream(content),
            request=self._request(method, url),
        )
        # What `read()` leaves behind, without its decoder and chunker pass (a tenth of the
        # request's CPU): the body is whole and aiohttp has already decompressed it, which a
        # second decoding for the Content-Encoding header would not survive.
        answer._content = content
        return answer

    def _request(self, method: str, url: str) -> httpx.Request:
        """What the response names in the SDK's error messages (the body is not kept)."""
        key = (method, url)
        request = self._requests.get(key)
        if request is None:
            request = self._requests[key] = httpx.Request(method.upper(), url)
        return request

    async def aclose(self) -> None:
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = self._loop = None
