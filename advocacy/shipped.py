"""What the package ships besides code: its templates, the public data, the starter files.

These are the tool's own files, trusted as its code is: a project's templates/
overrides the package's file of the same name, and a project file is never
trusted (it is read through the checked opener, rendered in the sandbox). The
example project is the repository's top-level folders; the build copies it into
the package (setup.py), and a source checkout uses the folders where they are.
"""

from __future__ import annotations

from pathlib import Path

from advocacy.errors import AdvocacyError

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"  # letter, print and page files: letter.css, print.css ...
DATA = PACKAGE / "data"  # the public data snapshot, with sources.yaml (what, whence, licence)
STARTER = PACKAGE / "starter"  # what 'advocacy init' writes: a README and one example campaign
EXAMPLES = ("cambodia-2021",)
EXAMPLE_FOLDERS = ("campaigns", "statements", "signatories", "recipients")


def example(name: str) -> Path:
    """Return the folder holding an example project's campaigns/, statements/ and so on."""
    if name not in EXAMPLES:
        raise AdvocacyError(f"no example '{name}'; the examples are: {', '.join(EXAMPLES)}")
    packaged = PACKAGE / "examples" / name
    if packaged.is_dir():
        return packaged
    checkout = PACKAGE.parent  # a source checkout: the repository itself is the example
    if (checkout / "pyproject.toml").is_file() and (checkout / "campaigns").is_dir():
        return checkout
    raise AdvocacyError(f"the example '{name}' is not in this installation of advocacy; "
                        "reinstall it from a wheel or a clone of its repository")


def is_shipped(path: Path) -> bool:
    """Tell whether a file is one of the package's own (not a project's)."""
    return Path(path).resolve().is_relative_to(PACKAGE)


def shown(path: Path) -> str:
    """Name a package file in messages and manifests: 'advocacy/templates/letter.css'."""
    return Path(path).resolve().relative_to(PACKAGE.parent).as_posix()
