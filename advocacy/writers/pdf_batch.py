"""Fast PDF writing for many letters: lay out shared text once, many covers per document.

Each cover letter (everything before its enclosures) is laid out in a batch
document holding many covers; each distinct enclosure is laid out once per
variant of page numbering. The pages are combined and written as one PDF, so
every letter's pages share one subset of each font, then split into one file
per letter with pikepdf. "Page N of M" stays right across the join: the
template's ``counter(pages)`` becomes the letter's own total.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

from advocacy.compose.document import parse_letter, to_html
from advocacy.writers.pdf import ProjectFetcher, fetching, lay_out_html

# Alternating page names start a new page group for each letter of a batch: CSS
# resets the page counter at the first page of each group.
BATCH_CSS = """
.batch-item { break-before: page; counter-reset: footnote;
              string-set: letter-total attr(data-total); }
.batch-item:first-child { break-before: auto; }
.batch-a { page: batch-a; } .batch-b { page: batch-b; }
.batch-a.single { page: single-a; } .batch-b.single { page: single-b; }
@page :nth(1 of batch-a) { counter-reset: page 1; }
@page :nth(1 of batch-b) { counter-reset: page 1; }
@page single-a { @bottom-center { content: none; } }
@page single-b { @bottom-center { content: none; } }
"""
TOTAL_PAGES = "counter(pages)"  # what the template's footer says; replaced per letter


@dataclass(frozen=True)
class Cover:
    """One cover letter to lay out in a batch."""

    html: str
    enclosure_pages: int  # pages of its enclosures (0 if none)


def lay_out_covers(covers: list[Cover], guesses: list[int], base: Path,
                   fetcher: ProjectFetcher) -> tuple[Any, list[list[Any]]]:
    """Lay out covers in one document, each numbered as 'Page N of (cover + enclosure)'.

    ``guesses`` are the cover page counts assumed for the totals; the caller checks
    them against the pages returned and lays out again the covers it guessed wrong.
    """
    first = parse_letter(covers[0].html)
    head = first.find("head")
    for style in head.iter("style"):
        style.text = (style.text or "").replace(TOTAL_PAGES, "string(letter-total)")
    extra = etree.SubElement(head, "style")
    extra.text = BATCH_CSS
    body = first.find("body")
    for child in list(body):
        body.remove(child)
    for index, (cover, guess) in enumerate(zip(covers, guesses, strict=True)):
        total = guess + cover.enclosure_pages
        item = etree.SubElement(body, "div")
        item.set("id", f"batch-{index}")
        item.set("data-total", str(total))
        item.set("class", " ".join(["batch-item", "batch-a" if index % 2 == 0 else "batch-b",
                                    *(["single"] if total == 1 else [])]))
        source = parse_letter(cover.html).find("body")
        item.extend(list(source))
    document = lay_out_html(to_html(first), base, fetcher)
    return document, _pages_by_item(document, len(covers))


def _pages_by_item(document: Any, count: int) -> list[list[Any]]:
    """Assign the pages of a batch document to its items, by the anchor each item starts with."""
    pages: list[list[Any]] = [[] for _ in range(count)]
    current = -1
    for page in document.pages:
        starts = [int(name.split("-")[1]) for name in page.anchors if name.startswith("batch-")]
        if starts:
            current = max(starts)
        pages[current].append(page)
    return pages


def lay_out_enclosure(html: str, cover_pages: int, cover_footnotes: int, enclosure_pages: int,
                      base: Path, fetcher: ProjectFetcher) -> Any:
    """Lay out an enclosure as pages cover_pages+1.. of a letter of known length."""
    tree = parse_letter(html)
    head = tree.find("head")
    total = cover_pages + enclosure_pages
    for style in head.iter("style"):
        style.text = (style.text or "").replace(TOTAL_PAGES, f'"{total}"')
    extra = etree.SubElement(head, "style")
    extra.text = (f"@page :first {{ counter-reset: page {cover_pages + 1}; }}\n"
                  f"body {{ counter-reset: footnote {cover_footnotes}; }}")
    return lay_out_html(to_html(tree), base, fetcher)


@dataclass(frozen=True)
class LetterPages:
    """The pages of one letter in a combined document, and its document information."""

    cover: list[Any]
    enclosure: list[Any]
    title: str
    author: str


def write_letters(letters: list[LetterPages], base: Any) -> list[bytes]:
    """Write the letters' pages as one PDF (fonts subset once), then split it per letter.

    ``base`` is any document of the batch: the combined one takes its metadata.
    """
    unique: dict[int, Any] = {}
    for letter in letters:
        for page in (*letter.cover, *letter.enclosure):
            unique.setdefault(id(page), page)
    order = list(unique.values())
    index = {id(page): number for number, page in enumerate(order)}
    with fetching(base.url_fetcher):  # SVG images and attachments are fetched now
        data = base.copy(order).write_pdf(pdf_identifier=True)
    source = pikepdf.open(io.BytesIO(data))
    outputs = []
    for letter in letters:
        target = pikepdf.new()
        for page in (*letter.cover, *letter.enclosure):
            target.pages.append(source.pages[index[id(page)]])
        language = source.Root.get("/Lang")
        if language is not None:
            target.Root.Lang = pikepdf.String(str(language))
        for key, value in source.docinfo.items():
            target.docinfo[key] = value  # WeasyPrint's own entries, e.g. /Producer
        target.docinfo["/Title"] = letter.title
        if letter.author:
            target.docinfo["/Author"] = letter.author
        elif "/Author" in target.docinfo:
            del target.docinfo["/Author"]
        buffer = io.BytesIO()
        target.save(buffer, deterministic_id=True, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        outputs.append(buffer.getvalue())
    return outputs

