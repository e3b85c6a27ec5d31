"""Helpers for tests: read PDFs back with poppler, convert DOCX with LibreOffice, copy projects."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("campaigns", "statements", "signatories", "recipients", "templates")
LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_LIBREOFFICE = (
    "LibreOffice is not installed, so DOCX files cannot be opened; install it with "
    "'sudo apt-get install libreoffice-writer-nogui' (CI has it)"
)


def pdf_text(path: Path, page: int | None = None) -> str:
    """Return the text of a PDF (or one page) as pdftotext reads it, lines kept as laid out.

    Layout mode, because the default reading mode drops a hyphen that ends a line
    (it takes it for hyphenation), which would break URLs that wrap at a hyphen.
    """
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", *pages, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    """Return pdfinfo's fields."""
    output = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                            text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in output.splitlines()
                                              if ":" in line)}


def pdf_fonts(path: Path) -> list[list[str]]:
    """Return pdffonts' rows (name, type, encoding, emb, sub, uni, ...)."""
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                            text=True).stdout
    return [line.split() for line in output.splitlines()[2:]]


def docx_to_pdf(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Convert DOCX files to PDF with LibreOffice headless, in one run; skip without it."""
    if LIBREOFFICE is None:
        pytest.skip(NO_LIBREOFFICE)
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    converted: dict[Path, Path] = {}
    # LibreOffice names outputs by stem: convert each campaign's files into its own folder.
    by_parent: dict[Path, list[Path]] = {}
    for file in files:
        by_parent.setdefault(file.parent, []).append(file)
    for index, (parent, group) in enumerate(sorted(by_parent.items())):
        target = folder / f"{index}-{parent.name}"
        subprocess.run(
            [LIBREOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(target), *map(str, group)],
            check=True, capture_output=True, timeout=600,
        )
        for file in group:
            pdf = target / f"{file.stem}.pdf"
            assert pdf.exists(), f"LibreOffice did not convert {file}"
            converted[file] = pdf
    return converted


def run(*args: str) -> int:
    """Run the CLI in-process and return its exit code."""
    from advocacy.cli import main

    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def compact(text: str) -> str:
    """Remove all whitespace, so line breaks (even inside long URLs) do not matter."""
    return re.sub(r"\s+", "", text)


def tree_hashes(root: Path) -> dict[str, str]:
    """Hash every file under a folder, to prove nothing changed."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def source_hashes() -> dict[str, str]:
    """Hash the project's own source folders."""
    hashes: dict[str, str] = {}
    for folder in PROJECT_FOLDERS:
        hashes.update({f"{folder}/{k}": v for k, v in tree_hashes(REPO / folder).items()})
    return hashes


def copy_project(target: Path) -> Path:
    """Copy the example project (campaigns, statements, ...) into a temporary folder."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(REPO / folder, target / folder)
    return target
