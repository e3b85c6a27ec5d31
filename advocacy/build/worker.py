"""Stage 5 at campaign scale: a worker writes a chunk of letters into the staging folder.

Each letter is composed once into a ``LetterDocument`` (compose/document.py), laid
out once (which says how many pages it has), then written by each format's writer
in turn. Shared work is done once per worker: each distinct enclosure is laid out
once per page numbering and walked into DOCX once, and many cover letters are laid
out per WeasyPrint document (writers/pdf_batch.py). Files go straight to the staging
folder and only small records come back, so memory stays flat however large the
campaign. Letters asking for an archival PDF variant are laid out one by one, whole
(PDF/A and PDF/UA describe one whole document).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advocacy import output_folder
from advocacy.compose.composer import Composer
from advocacy.compose.document import LetterDocument, letter_document
from advocacy.manifest import FileEntry
from advocacy.planning import Letter
from advocacy.validate.campaign import Inputs
from advocacy.writers import docx, pdf, pdf_batch
from advocacy.writers.docx_parts import Fragment
from advocacy.writers.docx_walk import can_embed


@dataclass(frozen=True)
class Written:
    """A letter as a worker wrote it: its page count and files."""

    stem: str
    pages: int
    files: tuple[FileEntry, ...]


@dataclass(frozen=True)
class WorkContext:
    """Everything a worker needs to write letters: picklable, without the campaign's senders."""

    key: str  # identifies the campaign inputs, so a worker keeps its caches per campaign
    inputs: Inputs
    formats: tuple[str, ...]
    folder: Path  # the staging folder
    pdf_variant: str | None = None
    one_by_one: bool = False  # lay out each letter whole (set for PDF variants; the benchmark)


def write_chunk(context: WorkContext, letters: list[Letter]) -> list[Written]:
    """Write the files of a chunk of letters; return what was written."""
    worker = _worker(context)
    groups: dict[tuple[str, str], list[Letter]] = {}
    for letter in letters:  # a batch shares one page size and language (one stylesheet)
        groups.setdefault((letter.paper, letter.language), []).append(letter)
    written = {w.stem: w for group in groups.values() for w in worker.write(group)}
    return [written[letter.stem] for letter in letters]


def one_letter(context: WorkContext, letter: Letter) -> dict[str, bytes]:
    """Make one letter's files in memory (a preview): nothing is written to disk.

    In a process that made a letter of the same inputs before, the shared
    enclosure's layout is reused, so a second preview costs only its cover.
    """
    _, files = _worker(context).make([letter])
    return {fmt: data[0] for fmt, data in files.items()}


_WORKERS: dict[str, _Worker] = {}


def _worker(context: WorkContext) -> _Worker:
    """Return this process's worker for a campaign (its caches survive between chunks)."""
    worker = _WORKERS.get(context.key)
    if worker is None:
        _WORKERS.clear()
        worker = _WORKERS[context.key] = _Worker(context)
    # Same key, same inputs and settings; but each run writes into its own staging folder.
    worker.context = context
    return worker


@dataclass
class _Enclosure:
    """A distinct enclosure: its page count, laid-out variants and DOCX fragment."""

    html: str
    pages: int = 0
    variants: dict[tuple[int, int], Any] = field(default_factory=dict)  # (cover pages, notes)
    fragments: dict[tuple[str, str], Fragment] = field(default_factory=dict)  # (paper, lang)


@dataclass
class _Batch:
    """Letters laid out together: what every format's writer needs."""

    documents: list[LetterDocument]
    pages: list[int]  # each letter's length
    enclosures: list[_Enclosure | None]  # each letter's shared enclosure
    covers: list[tuple[Any, list[Any]]]  # each cover's (WeasyPrint document, pages)
    whole: list[pdf.LaidOut] = field(default_factory=list)  # one by one: each letter whole


class _Worker:
    def __init__(self, context: WorkContext) -> None:
        self.context = context
        self.composer = Composer(context.inputs)
        project = context.inputs.project
        self.base = project.templates
        self.fetcher = pdf.ProjectFetcher(list(project.template_folders),
                                          frozenset(context.inputs.images()),
                                          context.inputs.template)
        self.enclosures: dict[str, _Enclosure] = {}
        self.cover_pages = 1  # how long covers usually are (see _lay_out_covers)
        self.writers: dict[str, Callable[[_Batch], list[bytes]]] = {
            "pdf": self._pdfs, "docx": self._docxs}

    def write(self, letters: list[Letter]) -> list[Written]:
        """Compose, lay out, and write each format of letters of one paper size and language."""
        batch, files = self.make(letters)
        return [self._save(document.stem, batch.pages[index],
                           {fmt: data[index] for fmt, data in files.items()})
                for index, document in enumerate(batch.documents)]

    def make(self, letters: list[Letter]) -> tuple[_Batch, dict[str, list[bytes]]]:
        """Compose and lay out letters; return the batch and each format's bytes per letter."""
        one_by_one = self.context.one_by_one or self.context.pdf_variant is not None
        documents = [letter_document(letter.stem, letter.paper, letter.language, letter.date,
                                     self.composer.compose(letter), split=not one_by_one)
                     for letter in letters]
        batch = self._whole(documents) if one_by_one else self._lay_out(documents)
        return batch, {fmt: self.writers[fmt](batch) for fmt in self.context.formats}

    # --- Laying out: how many pages each letter has, and where they are ---

    def _whole(self, documents: list[LetterDocument]) -> _Batch:
        whole = [pdf.lay_out(document.cover, self.base, self.fetcher) for document in documents]
        return _Batch(documents, [laid_out.pages for laid_out in whole],
                      [None] * len(documents), [], whole)

    def _lay_out(self, documents: list[LetterDocument]) -> _Batch:
        enclosures = [self._enclosure(document) for document in documents]
        covers = self._lay_out_covers([
            pdf_batch.Cover(document.cover, enclosure.pages if enclosure else 0)
            for document, enclosure in zip(documents, enclosures, strict=True)])
        pages = [len(own) + (enclosure.pages if enclosure else 0)
                 for (_, own), enclosure in zip(covers, enclosures, strict=True)]
        return _Batch(documents, pages, enclosures, covers)

    def _enclosure(self, document: LetterDocument) -> _Enclosure | None:
        if document.enclosure is None:
            return None
        key = hashlib.sha256(document.enclosure.encode()).hexdigest()
        enclosure = self.enclosures.get(key)
        if enclosure is None:
            enclosure = self.enclosures[key] = _Enclosure(document.enclosure)
            # Count its pages once; page numbers in the footer do not change the layout.
            probe = pdf_batch.lay_out_enclosure(document.enclosure, 1, document.footnotes, 0,
                                                self.base, self.fetcher)
            enclosure.pages = len(probe.pages)
        return enclosure

    def _variant(self, enclosure: _Enclosure, cover_pages: int, notes: int) -> Any:
        """Return the enclosure laid out as pages cover_pages+1... of its letter."""
        key = (cover_pages, notes)
        if key not in enclosure.variants:
            enclosure.variants[key] = pdf_batch.lay_out_enclosure(
                enclosure.html, cover_pages, notes, enclosure.pages, self.base, self.fetcher)
        return enclosure.variants[key]

    def _lay_out_covers(self, covers: list[pdf_batch.Cover]) -> list[tuple[Any, list[Any]]]:
        """Lay out covers in one document; again, in a second one, those that guessed wrong."""
        # Guess each cover as long as the last batch's covers mostly were: a right guess
        # needs no second layout (page "2 of 3" depends on the count).
        guesses = [self.cover_pages] * len(covers)
        document, pages = pdf_batch.lay_out_covers(covers, guesses, self.base, self.fetcher)
        self.cover_pages = Counter(len(own) for own in pages).most_common(1)[0][0]
        result = [(document, own) for own in pages]
        wrong = [i for i, own in enumerate(pages) if len(own) != guesses[i]]
        if wrong:
            retry = [covers[i] for i in wrong]
            counts = [len(pages[i]) for i in wrong]
            again, again_pages = pdf_batch.lay_out_covers(retry, counts, self.base,
                                                          self.fetcher)
            for i, own in zip(wrong, again_pages, strict=True):
                result[i] = (again, own)
        return result

    # --- Writing: one writer per format, each taking the whole batch ---

    def _pdfs(self, batch: _Batch) -> list[bytes]:
        if batch.whole:
            return [laid_out.pdf(self.context.pdf_variant) for laid_out in batch.whole]
        letters = []
        for document, enclosure, (_, own) in zip(batch.documents, batch.enclosures,
                                                 batch.covers, strict=True):
            attached = [] if enclosure is None else \
                self._variant(enclosure, len(own), document.footnotes).pages
            letters.append(pdf_batch.LetterPages(own, attached, document.title,
                                                 document.author))
        return pdf_batch.write_letters(letters, batch.covers[0][0])

    def _docxs(self, batch: _Batch) -> list[bytes]:
        written = []
        for document, enclosure, pages in zip(batch.documents, batch.enclosures, batch.pages,
                                              strict=True):
            fragment = None
            if enclosure is not None:
                key = (document.paper, document.language)
                if key not in enclosure.fragments:
                    enclosure.fragments[key] = docx.enclosure_fragment(document,
                                                                       self.read_image)
                fragment = enclosure.fragments[key]
            written.append(docx.write_letter(document, pages, self.read_image, fragment))
        return written

    def read_image(self, url: str) -> bytes:
        """Read an image for the DOCX writer: checked as for the PDF, and one Word can hold."""
        data = self.fetcher.read(url)
        if not can_embed(data):
            raise self.fetcher.refused(url, "the DOCX writer cannot embed this image; save it "
                                       "as PNG or JPEG")
        return data

    def _save(self, stem: str, pages: int, data: dict[str, bytes]) -> Written:
        files = []
        for fmt in self.context.formats:
            name = f"{stem}.{fmt}"
            output_folder.write_atomic(self.context.folder / name, data[fmt])
            files.append(FileEntry(name=name, format=fmt,
                                   sha256=hashlib.sha256(data[fmt]).hexdigest(),
                                   size=len(data[fmt])))
        return Written(stem, pages, tuple(files))
