"""Each hostile test works in its own copy of the example project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_project

pytest.register_assert_rewrite("tests.hostile.helpers")  # show the messages that differ


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project, as the working folder."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path
