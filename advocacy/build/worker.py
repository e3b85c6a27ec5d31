"""Stage 5, write, at campaign scale: render chunks of letters to files in a worker.

A worker composes each letter's HTML, lays out each distinct enclosure once
and many cover letters per WeasyPrint document (writers/pdf_batch.py), and
walks each distinct enclosure into DOCX once (writers/docx.py). Files go
straight to the staging folder; only small records come back, so memory stays
flat however large the campaign. Letters asking for an archival PDF variant are
rendered one by one (PDF/A and PDF/UA describe one whole document).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

from advocacy import output_folder
from advocacy.compose.composer import Composer
from advocacy.plan import Letter
from advocacy.validate.campaign import Inputs
from advocacy.writers import pdf, pdf_batch
from advocacy.writers.docx import DocxMeta, core_properties, write_docx, writer_for
from advocacy.writers.docx_parts import CoreProperties, Fragment
from advocacy.writers.docx_walk import can_embed

ENCLOSURE_IDS = 10_000  # DOCX ids of a shared enclosure start here, above any cover's


@dataclass(frozen=True)
class WrittenFile:
    """One file written for a letter."""

    name: str
    format: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Rendered:
    """A letter as a worker wrote it: its files and page count."""

    stem: str
    pages: int
    files: tuple[WrittenFile, ...]


@dataclass(frozen=True)
class RenderContext:
    """Everything a worker needs to write letters: picklable, without the campaign's senders."""

    key: str  # identifies the campaign inputs, so a worker keeps its caches per campaign
    inputs: Inputs
    formats: tuple[str, ...]
    folder: Path
    pdf_variant: str | None = None
    shared: bool = True  # lay out shared enclosures once; False: one render per letter


def render_chunk(context: RenderContext, letters: list[Letter]) -> list[Rendered]:
    """Write the files of a chunk of letters; return what was written."""
    worker = _worker(context)
    if context.shared and context.pdf_variant is None:
        return worker.shared(letters)
    return [worker.simple(letter) for letter in letters]


_WORKERS: dict[str, _Worker] = {}


def _worker(context: RenderContext) -> _Worker:
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


class _Worker:
    def __init__(self, context: RenderContext) -> None:
        self.context = context
        self.composer = Composer(context.inputs)
        project = context.inputs.project
        self.base = project.templates
        self.fetcher = pdf.ProjectFetcher([project.templates],
                                          frozenset(context.inputs.images()),
                                          context.inputs.template)
        self.enclosures: dict[str, _Enclosure] = {}

    def simple(self, letter: Letter) -> Rendered:
        """Write one letter from its whole HTML: one WeasyPrint render, one DOCX walk."""
        html = pdf_batch.whole_letter(self.composer.compose(letter))
        laid_out = pdf.lay_out(html, self.base, self.fetcher)
        data: dict[str, bytes] = {}
        if "pdf" in self.context.formats:
            data["pdf"] = laid_out.pdf(self.context.pdf_variant)
        if "docx" in self.context.formats:
            data["docx"] = write_docx(html, self._docx_meta(letter, laid_out.pages))
        return self._save(letter, laid_out.pages, data)

    def shared(self, letters: list[Letter]) -> list[Rendered]:
        """Write letters whose enclosures are laid out once, covers many per document.

        A batch shares one page size and language (its covers share one stylesheet).
        """
        groups: dict[tuple[str, str], list[Letter]] = {}
        for letter in letters:
            groups.setdefault((letter.paper, letter.language), []).append(letter)
        written = {r.stem: r for group in groups.values() for r in self._batch(group)}
        return [written[letter.stem] for letter in letters]

    def _batch(self, letters: list[Letter]) -> list[Rendered]:
        splits = [pdf_batch.split_letter(self.composer.compose(letter)) for letter in letters]
        enclosures = [self._enclosure(split) for split in splits]
        covers = [pdf_batch.Cover(split.cover, enclosure.pages if enclosure else 0)
                  for split, enclosure in zip(splits, enclosures, strict=True)]
        cover_pages = self._lay_out_covers(covers)
        # Each cover's tree and document information serve both the PDF and the DOCX.
        trees = [lxml.html.document_fromstring(split.cover) for split in splits]
        cores = [core_properties(tree, self._docx_meta(letter, 0))
                 for tree, letter in zip(trees, letters, strict=True)]
        pdfs: list[bytes | None] = [None] * len(letters)
        if "pdf" in self.context.formats:
            pages = []
            for index, split in enumerate(splits):
                enclosure = enclosures[index]
                own = cover_pages[index][1]
                attached = []
                if enclosure is not None:
                    attached = self._variant(enclosure, len(own), split.cover_footnotes).pages
                pages.append(pdf_batch.LetterPages(own, attached, cores[index].title,
                                                   cores[index].author))
            pdfs = list(pdf_batch.write_letters(pages, cover_pages[0][0]))
        written = []
        for index, letter in enumerate(letters):
            enclosure = enclosures[index]
            total = len(cover_pages[index][1]) + (enclosure.pages if enclosure else 0)
            files: dict[str, bytes] = {}
            pdf_bytes = pdfs[index]
            if pdf_bytes is not None:
                files["pdf"] = pdf_bytes
            if "docx" in self.context.formats:
                files["docx"] = self._docx(letter, trees[index], cores[index], enclosure, total)
            written.append(self._save(letter, total, files))
        return written

    def _enclosure(self, split: pdf_batch.Split) -> _Enclosure | None:
        if split.enclosure is None:
            return None
        key = hashlib.sha256(split.enclosure.encode()).hexdigest()
        enclosure = self.enclosures.get(key)
        if enclosure is None:
            enclosure = self.enclosures[key] = _Enclosure(split.enclosure)
            # Count its pages once; page numbers in the footer do not change the layout.
            probe = pdf_batch.lay_out_enclosure(split.enclosure, 1, split.cover_footnotes, 0,
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
        guesses = [1] * len(covers)
        document, pages = pdf_batch.lay_out_covers(covers, guesses, self.base, self.fetcher)
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

    def _docx(self, letter: Letter, tree: Any, core: CoreProperties,
              enclosure: _Enclosure | None, total: int) -> bytes:
        meta = self._docx_meta(letter, total)
        writer = writer_for(letter.paper, letter.language)
        fragments = [writer.fragment(tree, read_image=meta.read_image)]
        if enclosure is not None:
            key = (letter.paper, letter.language)
            if key not in enclosure.fragments:
                enclosure.fragments[key] = writer.fragment(
                    lxml.html.document_fromstring(enclosure.html), ENCLOSURE_IDS,
                    meta.read_image)
            fragments.append(enclosure.fragments[key])
        return writer.write(fragments, core, total)

    def _docx_meta(self, letter: Letter, pages: int) -> DocxMeta:
        return DocxMeta(letter.paper, letter.language, letter.date, pages, self.read_image)

    def read_image(self, url: str) -> bytes:
        """Read an image for the DOCX writer: checked as for the PDF, and one Word can hold."""
        data = self.fetcher.read(url)
        if not can_embed(data):
            raise self.fetcher.refused(url, "the DOCX writer cannot embed this image; save it "
                                       "as PNG or JPEG")
        return data

    def _save(self, letter: Letter, pages: int, data: dict[str, bytes]) -> Rendered:
        files = []
        for fmt in self.context.formats:
            name = f"{letter.stem}.{fmt}"
            output_folder.write_atomic(self.context.folder / name, data[fmt])
            files.append(WrittenFile(name, fmt, hashlib.sha256(data[fmt]).hexdigest(),
                                     len(data[fmt])))
        return Rendered(letter.stem, pages, tuple(files))
