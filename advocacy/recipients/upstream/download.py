"""Fetch upstream files over HTTPS: bounded in size, never redirected, with progress.

The public data lives in GitHub repositories: GitHub's API says which commit a
repository is at, and its raw-file server gives each file at that commit, so the
files of one repository always come from one commit, and the commit is recorded.
Both addresses can be replaced (a mirror, or a local server in tests); plain HTTP is
accepted only for this machine.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from advocacy import __version__
from advocacy.errors import AdvocacyError

GITHUB_API = "https://api.github.com"
GITHUB_RAW = "https://raw.githubusercontent.com"
MAX_COMMIT_BYTES = 2 * 1024 * 1024  # the API's answer lists the commit's changed files
TIMEOUT = httpx.Timeout(30.0)
COMMIT = re.compile(r"^[0-9a-f]{40}$")
UNCHANGED = "Nothing was changed."

Progress = Callable[[int, int], None]  # bytes received, bytes expected (0: unknown)


@dataclass(frozen=True)
class Servers:
    """Where repositories are asked for their commit (api) and files are fetched (raw)."""

    api: str = GITHUB_API
    raw: str = GITHUB_RAW

    def __post_init__(self) -> None:
        for url in (self.api, self.raw):
            check_address(url)


@dataclass(frozen=True)
class Commit:
    """The commit a repository's files are fetched at."""

    sha: str
    date: str  # YYYY-MM-DD, the day it was committed


def check_address(url: str) -> None:
    """Refuse an address that is not HTTPS, unless it is this machine's (a test server)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and _loopback(parts.hostname or ""):
        return
    raise AdvocacyError(f"{url}: downloads use HTTPS (an https:// address); plain http:// is "
                        "accepted only for this machine (127.0.0.1 or localhost)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def client() -> httpx.Client:
    """Return the HTTP client: certificates checked, redirects not followed."""
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False,
                        headers={"User-Agent": f"advocacy/{__version__}"})


def commit_of(http: httpx.Client, servers: Servers, repository: str) -> Commit:
    """Ask which commit a repository's default branch is at, and when it was made."""
    url = f"{servers.api}/repos/{quote(repository)}/commits/HEAD"
    data = fetch(http, url, MAX_COMMIT_BYTES, headers={"Accept": "application/vnd.github+json"})
    try:
        answer: Any = json.loads(data)
        sha, date = answer["sha"], answer["commit"]["committer"]["date"]
    except (ValueError, KeyError, TypeError):
        raise AdvocacyError(f"{url}: the answer is not a commit (not GitHub's JSON); "
                            f"{UNCHANGED}") from None
    if not isinstance(sha, str) or not COMMIT.match(sha) or not isinstance(date, str) \
            or not re.match(r"^\d{4}-\d{2}-\d{2}", date):
        raise AdvocacyError(f"{url}: the answer names no commit and date; {UNCHANGED}")
    return Commit(sha, date[:10])


def file_url(servers: Servers, repository: str, commit: Commit, path: str) -> str:
    """Return the address of a file of a repository at a commit."""
    return f"{servers.raw}/{quote(repository)}/{commit.sha}/{quote(path)}"


def fetch(http: httpx.Client, url: str, limit: int, progress: Progress = lambda d, t: None,
          headers: dict[str, str] | None = None) -> bytes:
    """Return the body of a 200 answer; refuse a redirect, an error or more than limit bytes."""
    check_address(url)
    try:
        with http.stream("GET", url, headers=headers) as response:
            _check_answer(url, response, limit)
            expected = int(response.headers.get("Content-Length", 0) or 0)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise _too_big(url, limit)
                progress(len(body), expected)
    except httpx.RemoteProtocolError as error:
        raise AdvocacyError(f"{url}: the download ended early ({error}); run again. "
                            f"{UNCHANGED}") from None
    except httpx.HTTPError as error:
        raise AdvocacyError(f"{url}: cannot download: {error or type(error).__name__}; check "
                            f"the connection and run again. {UNCHANGED}") from None
    return bytes(body)


def _check_answer(url: str, response: httpx.Response, limit: int) -> None:
    if response.is_redirect:
        target = response.headers.get("Location", "?")
        raise AdvocacyError(f"{url}: the server redirects to {target}; a download is taken only "
                            f"from the address asked. {UNCHANGED}")
    if response.status_code != 200:
        raise AdvocacyError(f"{url}: the server answered {response.status_code} "
                            f"{response.reason_phrase}. {UNCHANGED}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(url, limit)


def _too_big(url: str, limit: int) -> AdvocacyError:
    return AdvocacyError(f"{url}: the file is larger than {limit // (1024 * 1024)} MB, far "
                         f"more than this file ever was; refused. {UNCHANGED}")
