"""One letter document: a composed letter as both writers take it, made once per letter.

The composer writes a letter as one HTML document. Before the writers see it, it is
parsed once and split into its cover (everything before the enclosures) and its
enclosures (``section.enclosure``): a statement attached to many letters is the
same document for all of them, so the writers lay it out and walk it once. The
title and author, which both the PDF and the DOCX carry, are read here too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree


@dataclass(frozen=True)
class LetterDocument:
    """A composed letter, split and parsed once, with what both writers need besides."""

    stem: str  # the letter's file name without extension
    paper: str  # "letter" or "a4"
    language: str
    date: datetime.date | None  # None: an undated letter ('date: none')
    title: str  # the document's title (HTML <title>)
    author: str  # its author (<meta name="author">), "" when it names none
    cover: str  # an HTML document: the letter, or the part before its enclosures
    cover_tree: Any  # the same, parsed (lxml)
    enclosure: str | None  # an HTML document holding only the enclosures; None: none split
    footnotes: int  # footnotes in the cover: the enclosure's number on from the next


def letter_document(stem: str, paper: str, language: str, date: datetime.date | None,
                    html: str, *,
                    split: bool = True) -> LetterDocument:
    """Make a composed letter's document; ``split=False`` keeps its enclosures in the cover."""
    tree = parse_letter(html)
    enclosure = None
    footnotes = 0
    body = tree.find("body")
    sections = [child for child in body if _is_enclosure(child)]
    if split and sections:
        enclosure = _html(_enclosure_only(html))
        for section in sections:
            body.remove(section)
        footnotes = len(body.xpath(".//span[contains(concat(' ', @class, ' '), ' footnote ')]"))
    cover = _html(tree)
    cover_tree = lxml.html.document_fromstring(cover)  # as the writers read a cover
    title = cover_tree.find(".//title")
    author = cover_tree.find(".//meta[@name='author']")
    return LetterDocument(
        stem=stem, paper=paper, language=language, date=date,
        title=title.text_content().strip() if title is not None else "",
        author=author.get("content", "") if author is not None else "",
        cover=cover, cover_tree=cover_tree, enclosure=enclosure, footnotes=footnotes,
    )


def parse_letter(html: str) -> Any:
    """Parse a letter's HTML into a tree that has a head and a body, whatever the template wrote."""
    tree = lxml.html.document_fromstring(html) if html.strip() else lxml.html.Element("html")
    for index, tag in enumerate(("head", "body")):
        if tree.find(tag) is None:
            tree.insert(index, etree.Element(tag))
    return tree


def to_html(tree: Any) -> str:
    """Serialise a parsed letter (or part of one) as an HTML document."""
    return _html(tree)


def _enclosure_only(html: str) -> Any:
    """Return a letter's tree holding only its enclosures, with what lays them out."""
    tree = parse_letter(html)
    body = tree.find("body")
    for child in list(body):
        if not _is_enclosure(child):
            body.remove(child)
    # Keep only what lays the enclosure out (styles, language): the title and author are
    # the letter's, and would make every sender's copy of one enclosure look different.
    head = tree.find("head")
    for child in list(head):
        if child.tag in ("title", "meta") and child.get("charset") is None:
            head.remove(child)
    return tree


def _is_enclosure(element: Any) -> bool:
    return "enclosure" in (element.get("class") or "").split()


def _html(tree: Any) -> str:
    return str(lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"))
