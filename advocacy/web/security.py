"""Who may talk to the app: the launch token, CSRF on every change, and request limits.

The app can write into the project folder, so every request is untrusted. A random
token per launch is in the opening URL (as Jupyter does); the first request with it
sets an HttpOnly, SameSite=Strict cookie and every later request must carry that
cookie. A page that changes something is a POST whose form carries the CSRF token;
read_form refuses one without it. The Host header must name this machine, so a web
page elsewhere cannot reach the app through DNS rebinding.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from advocacy.web.words import language_of, words_for

COOKIE = "advocacy_token"
MAX_BODY = 5 * 1024 * 1024  # an upload: far more than any sign-up form or statement
MAX_FIELDS = 200
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
HEADERS = {
    # Pages load only their own CSS and script; a letter PDF may be framed by its own page.
    "content-security-policy": "default-src 'self'; frame-ancestors 'self'; "
                               "form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # the opening URL holds the token
    "cache-control": "no-store",
}


class Refused(Exception):
    """A request refused for its security: no token, no CSRF token, too large.

    It carries the key of its words (words.py), said in the browser's language.
    """

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


def refused(request: Request, status: int, key: str) -> Response:
    """Say why a request was refused, in the browser's language."""
    words = words_for(language_of(request.headers.get("accept-language", "")))
    return PlainTextResponse(words[key].format(mb=MAX_BODY // 1024 // 1024), status)


def new_token() -> str:
    """Return a fresh random token (a launch token or a CSRF token)."""
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str) -> bool:
    """Compare tokens in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware: host, token and size checks before any route runs."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a request without the token (or from elsewhere); pass the others on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        given = request.query_params.get("token")
        if given is not None and request.method == "GET":
            # The opening URL: keep the token in a cookie and take it out of the address.
            query = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"")
                                                             .decode()) if k != "token"])
            response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), 303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict",
                                path="/")
            await response(scope, receive, send)
            return
        await self.app(scope, _limited(receive, MAX_BODY), _with_headers(send))

    def refusal(self, request: Request) -> Response | None:
        """Say why a request may not reach the app, as a response; None when it may."""
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        if host not in self.hosts:
            return refused(request, 403, "refused_host")
        given = request.query_params.get("token") if request.method == "GET" else None
        if not (same(request.cookies.get(COOKIE), self.token) or same(given, self.token)):
            return refused(request, 403, "refused_token")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return refused(request, 413, "refused_size")
        return None


def _limited(receive: Receive, limit: int) -> Receive:
    """Stop reading a body that grows past the limit (a chunked upload has no length)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise Refused(413, "refused_size")
        return message
    return wrapped


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers += [(name.encode(), value.encode()) for name, value in HEADERS.items()
                        if name.encode() not in present]
            message["headers"] = headers
        await send(message)
    return wrapped


async def read_form(request: Request) -> FormData:
    """Read a posted form with limits, and refuse it without the page's CSRF token."""
    form = await request.form(max_files=2, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)
    given = form.get("csrf")
    if not isinstance(given, str) or not same(given, request.app.state.csrf):
        raise Refused(403, "refused_csrf")
    return form
