"""A web app over a copy of the example project, and a client that holds its token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from advocacy.web.app import create_app
from tests.helpers import copy_project

TOKEN = "test-token-0123456789"


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
