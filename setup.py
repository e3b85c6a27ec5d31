"""Build hook: the example project at the repository's top level ships inside the package.

The top-level campaigns/, statements/, signatories/ and recipients/ are the example
project (make run generates them); a wheel carries a copy as
advocacy/examples/cambodia-2021/, for 'advocacy init --example cambodia-2021'.
Everything else is configured in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXAMPLE = "cambodia-2021"
FOLDERS = ("campaigns", "statements", "signatories", "recipients")  # shipped.EXAMPLE_FOLDERS


class BuildWithExample(build_py):
    """Build the package, then copy the example project into it."""

    def run(self) -> None:  # noqa: D102
        super().run()
        if self.editable_mode:  # an editable install finds the example in the checkout
            return
        target = Path(self.build_lib, "advocacy", "examples", EXAMPLE)
        for folder in FOLDERS:
            shutil.copytree(folder, target / folder, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithExample})
