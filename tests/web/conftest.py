"""A web app over a copy of the example project, and a client that holds its token."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from advocacy.web.app import create_app
from tests.helpers import copy_project

TOKEN = "test-token-0123456789"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (scripts/system-packages.sh)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    """A browser that opened the launch URL: it has the cookie."""
    with TestClient(create_app(project, TOKEN), base_url="http://127.0.0.1") as opened:
        response = opened.get(f"/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"
        yield opened


def csrf_of(html: str) -> str:
    """Return the CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright (tests that use it skip without it)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@contextlib.contextmanager
def serving(project: Path) -> Iterator[str]:
    """Run 'advocacy serve' over a project as a person would; yield the address it prints."""
    process = subprocess.Popen([sys.executable, "-m", "advocacy", "serve", str(project),
                                "--no-browser"], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            found = re.search(r"Open (http://127\.0\.0\.1:\d+/\?token=\S+)",
                              process.stdout.readline())
            url = found[1] if found else ""
        assert url, "advocacy serve printed no address"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """Serve a copy of the example project; yield the project and the printed URL."""
    project = copy_project(tmp_path / "project")
    with serving(project) as url:
        yield project, url
