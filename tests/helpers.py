"""Helpers for tests: read PDFs back with poppler, convert DOCX with LibreOffice, copy projects."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from advocacy import api, shipped

REPO = Path(__file__).resolve().parent.parent
# The example project; copy_project adds the package's templates as the project's templates/.
PROJECT_FOLDERS = shipped.EXAMPLE_FOLDERS
# One senator: validation reads a real recipients file, rendering makes one letter.
ONE_LETTER = ("title: t\ndate: 2021-03-23\nrecipients: {from: us-senate, where: {id: K000367}}\n"
              "formats: [pdf]\n")
# The two real signatory lists of the 2021 campaign, as copy_project copies them.
DIASPORA = "signatories/cambodian-diaspora-2021.yaml"
CIVIL = "signatories/cambodian-civil-society-2021-03.yaml"
# An entry of both lists, and the near-duplicate spelling a sign-up form may bring.
HAMPTON = "Khmer Association of Hampton Road Virginia"
HAMPTONS = "Khmer Association of Hampton Roads Virginia"
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
    """Convert DOCX files to PDF with LibreOffice headless, in one run; skip without it.

    LibreOffice names each output by its input's stem: files of different folders are
    linked into one folder under unique names first, so one call converts them all.
    """
    if LIBREOFFICE is None:
        pytest.skip(NO_LIBREOFFICE)
    inputs, target = folder / "docx", folder / "pdf"
    inputs.mkdir(parents=True, exist_ok=True)
    names = {}
    for index, file in enumerate(files):
        name = inputs / f"{index:04d}-{file.name}"
        if not name.is_symlink():
            name.symlink_to(file.resolve())
        names[file] = name
    todo = [name for name in names.values() if not (target / f"{name.stem}.pdf").exists()]
    if todo:  # a folder shared by test workers may hold them all already
        subprocess.run(
            [LIBREOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(target), *map(str, todo)],
            check=True, capture_output=True, timeout=1200,
        )
    converted: dict[Path, Path] = {}
    for file, name in names.items():
        pdf = target / f"{name.stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {file}"
        converted[file] = pdf
    return converted


@contextlib.contextmanager
def no_blocking(seconds: int = 30) -> Iterator[None]:
    """Fail, instead of hanging the test run, if the code inside waits on a named pipe."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s: blocked on a named pipe?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def one_by_one(campaign: Path, options: api.GenerateOptions) -> api.Result:
    """Generate a campaign the simple way, each letter laid out whole and alone: the reference
    the fast path must read like (private to tests and the benchmark, not the library's API)."""
    return api._generate(campaign, options, None, one_by_one=True)


def run(*args: str) -> int:
    """Run the CLI in-process and return its exit code."""
    from advocacy.cli.main import main

    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def run_captured(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, output and error output (no traceback)."""
    code = run(*args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def sig(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run 'advocacy signatories ...'; return the exit code, output and error output."""
    return run_captured(capsys, "signatories", *args)


def compact(text: str) -> str:
    """Remove all whitespace, so line breaks (even inside long URLs) do not matter."""
    return re.sub(r"\s+", "", text)


def output_listing(folder: str = "output") -> list[str]:
    """List output/ without the run stamps (.NAME.stamp.json) that successful runs leave there."""
    return sorted(name for name in os.listdir(folder) if not name.endswith(".stamp.json"))


def tree_hashes(root: Path, skip: str | None = None) -> dict[str, str]:
    """Hash every file under a folder, to prove nothing changed.

    A symbolic link counts as where it points, never followed; ``skip`` names a
    folder directly under root to leave out.
    """
    hashes: dict[str, str] = {}
    for folder, folders, files in os.walk(root):
        if skip in folders and Path(folder) == root:
            folders.remove(skip)
        for name in sorted(files + [f for f in folders if os.path.islink(Path(folder, f))]):
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                hashes[key] = f"link to {os.readlink(path)}"
            elif not path.is_file():  # a named pipe: reading it would wait forever
                hashes[key] = f"special file {stat.S_IFMT(path.stat().st_mode):o}"
            else:
                hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def source_hashes() -> dict[str, str]:
    """Hash the project's own source folders."""
    hashes: dict[str, str] = {}
    for folder in PROJECT_FOLDERS:
        hashes.update({f"{folder}/{k}": v for k, v in tree_hashes(REPO / folder).items()})
    hashes.update({f"templates/{k}": v for k, v in tree_hashes(shipped.TEMPLATES).items()})
    return hashes


def copy_project(target: Path) -> Path:
    """Copy the example project (campaigns, statements, ...) into a temporary folder, with the
    package's templates as its own templates/ (as 'advocacy init --templates' does)."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(REPO / folder, target / folder)
    shutil.copytree(shipped.TEMPLATES, target / "templates")
    return target


def fails_with(capsys: pytest.CaptureFixture[str], message: str, campaign: str | None = None,
               *args: str, command: str = "generate") -> None:
    """Run a command on campaigns/x.yaml and check the exact message, the exit code, and that
    it wrote nothing: no output/, or the earlier output unchanged, and no source changed.

    ``campaign`` (if given) is written to campaigns/x.yaml first.
    """
    if campaign is not None:
        Path("campaigns/x.yaml").write_text(campaign, encoding="utf-8")
    project, output = Path.cwd(), Path("output")
    sources = tree_hashes(project, skip="output")
    earlier = tree_hashes(output) if output.exists() else None
    code = run(command, "campaigns/x.yaml", *args)
    captured = capsys.readouterr()
    assert captured.err == f"error: {message}\n"
    assert code == 1
    assert "Traceback" not in captured.err + captured.out
    if earlier is None:
        assert not output.exists(), "a failed run created the output folder"
    else:
        assert tree_hashes(output) == earlier, "a failed run changed the earlier output"
    assert tree_hashes(project, skip="output") == sources, "a failed run changed a source file"


def succeeds(capsys: pytest.CaptureFixture[str], campaign: str | None = None,
             *args: str) -> str:
    """Generate campaigns/x.yaml and return what it printed; no source may change."""
    if campaign is not None:
        Path("campaigns/x.yaml").write_text(campaign, encoding="utf-8")
    sources = tree_hashes(Path.cwd(), skip="output")
    code = run("generate", "campaigns/x.yaml", *args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert tree_hashes(Path.cwd(), skip="output") == sources, "generating changed a source file"
    return captured.out


# The run stamp's tests: the constituent campaign with two real constituents of the example
# list, one in Minnesota (two senators and a representative), one in Washington, DC (no
# senators: a needs-attention item). The fixture 'few' (conftest.py) writes it.
FEW_SENDERS = ("Name,Street,City,State,ZIP\n"
               "Sophal Chea,100 Example Street,Minneapolis,MN,55407\n"
               "Dara Kim,1 Example Street NW,Washington,DC,20001\n")
FEW_CAMPAIGN = Path("campaigns/few.yaml")
