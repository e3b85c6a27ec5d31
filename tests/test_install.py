"""Built and installed like any Python tool: the wheel alone makes a working tool anywhere.

One test, all steps, because each needs the one before: build the sdist and the wheel
(uv build makes the wheel from the sdist, so both are checked), install the wheel into
a fresh virtual environment (dependencies at the lock's versions), then, in an empty
folder far from the repository: init, check, plan, generate, recipients lookup, and the
PDF read back. About 60-90 s on two cores, most of it installing and the import in init.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, pdf_text

UV = shutil.which("uv", path=str(REPO / ".uv" / "bin")) or shutil.which("uv")


def test_the_wheel_installs_a_working_tool(tmp_path: Path) -> None:
    if UV is None:
        pytest.skip("uv is not installed; 'make test' installs it into .uv/")
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT")}
    env["UV_PYTHON_DOWNLOADS"] = "never"

    def sh(*command: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, text=True,
                              capture_output=True, timeout=900)
        assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
        return done.stdout

    dist = tmp_path / "dist"
    sh(UV, "build", "--quiet", "--out-dir", dist, REPO)
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    wheel = dist / f"advocacy-{version}-py3-none-any.whl"
    assert (dist / f"advocacy-{version}.tar.gz").is_file()
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("advocacy/templates/letter.html.j2", "advocacy/templates/print.css",
                    "advocacy/data/sources.yaml", "advocacy/data/legislators-current.yaml",
                    "advocacy/starter/campaigns/example.yaml",
                    "advocacy/examples/cambodia-2021/campaigns/cambodia-2021-committee.yaml",
                    "advocacy/examples/cambodia-2021/recipients/us-zip-districts.csv"):
        assert shipped in names, shipped
    assert not [n for n in names if n.startswith("tests/") or n.endswith(".pyc")]

    # A fresh environment, with the dependencies the lock names (uv's cache, or PyPI).
    pins = tmp_path / "pins.txt"
    sh(UV, "export", "--frozen", "--no-emit-project", "--no-hashes", "--no-header",
       "--output-file", pins, cwd=REPO)
    venv = tmp_path / "venv"
    sh(UV, "venv", "--quiet", "--python", "python3", venv)
    sh(UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", "-c", pins, wheel)
    advocacy = venv / "bin" / "advocacy"
    where = sh(venv / "bin" / "python", "-c", "import advocacy; print(advocacy.__file__)")
    assert Path(where.strip()).is_relative_to(venv)  # not the checkout
    assert sh(advocacy, "--version") == f"advocacy, version {version}\n"

    org = tmp_path / "our-campaigns"
    org.mkdir()
    assert "Next: advocacy check campaigns/example.yaml" in sh(advocacy, "init", cwd=org)
    sh(advocacy, "check", "campaigns/example.yaml", cwd=org)
    assert "amy-klobuchar-k000367" in sh(advocacy, "plan", "campaigns/example.yaml", cwd=org)
    campaigns = sorted(p.relative_to(org).as_posix() for p in org.glob("campaigns/*.yaml"))
    sh(advocacy, "generate", *campaigns, cwd=org)
    text = pdf_text(org / "output" / "example" / "amy-klobuchar-k000367.pdf")
    assert "Dear Senator Klobuchar:" in text
    assert "Example statement on human rights defenders" in text
    assert sh(advocacy, "recipients", "lookup", "55407", cwd=org).startswith(
        "ZIP 55407 (MN): district MN-5\n  Senator Amy Klobuchar (Democrat)\n")

    # The example project travels in the wheel too.
    sh(advocacy, "init", "example", "--example", "cambodia-2021", cwd=tmp_path)
    sh(advocacy, "check", "campaigns/cambodia-2021-committee.yaml", cwd=tmp_path / "example")
