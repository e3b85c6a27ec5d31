"""PDF/UA-1: what WeasyPrint's tagged PDF leaves out, made right.

WeasyPrint (``pdf_variant="pdf/ua-1"``) tags the letter's structure from its HTML;
two things the PDF/UA-1 rules ask for it does not do:

- Footnotes must be ``Note`` elements, each with an ID (Matterhorn checkpoint 19).
  WeasyPrint tags a footnote as the ``Span`` its HTML is; ``install_note_tags``
  tags every box floated into the footnote area as a ``Note`` instead.
- Page headers and footers ("Page 2 of 4") must be artifacts, not content. WeasyPrint
  marks their text as tagged content whose structure elements hang outside the
  structure tree (it could tag them as artifacts only in PDF 2.0); ``mark_artifacts``
  turns such content into ``/Artifact`` marked content in the written PDF and drops
  the orphaned elements.

Signature images get their alternative text from the template (``alt``).
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

VARIANTS = ("pdf/ua-1",)  # the variants a campaign may ask for that tag the structure


def install_note_tags() -> None:
    """Make WeasyPrint tag footnotes as Note elements with an ID."""
    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "notes", False):
        return  # another WeasyPrint; tests/test_accessibility.py notices the missing Notes
    notes: set[int] = set()  # the boxes of the footnote area being tagged

    def build_box_tree(box: Any, parent: Any, pdf: Any, *args: Any) -> Any:
        if isinstance(box, boxes.FootnoteAreaBox):
            children = {id(child) for child in box.children}
            notes.update(children)
            try:
                yield from original(box, parent, pdf, *args)
            finally:
                notes.difference_update(children)
            return
        for element in original(box, parent, pdf, *args):
            if id(box) in notes:
                element["S"] = "/Note"
                element["ID"] = pydyf.String(f"note-{element.number}")
            yield element

    build_box_tree.notes = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree


def mark_artifacts(data: bytes) -> bytes:
    """Turn marked content that no element of the structure tree owns into artifacts.

    That is the page's margin boxes (the "Page N of M" footer). The remaining marked
    content of each page is numbered again from 0, as its parent tree expects.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return data
    reachable = _reachable(root)
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): i + 1 for i in range(0, len(nums), 2)}
    changed = False
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in parents:
            continue
        owners = nums[parents[int(key)]]
        kept: dict[int, int] = {}  # old MCID -> new
        operations: list[Any] = []
        for instruction in pikepdf.parse_content_stream(page):
            mcid = _mcid(instruction)
            if mcid is None:
                operations.append(instruction)
                continue
            if mcid < len(owners) and _key(owners[mcid]) not in reachable:
                marked = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
                changed = True
            else:
                kept[mcid] = len(kept)
                marked = [instruction.operands[0], pikepdf.Dictionary(MCID=kept[mcid])]
            operations.append(pikepdf.ContentStreamInstruction(marked, instruction.operator))
        if len(kept) == len(owners):
            continue
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        for element in {_key(owners[old]): owners[old] for old in kept}.values():
            element.K = pikepdf.Array([kept.get(int(kid), int(kid)) if isinstance(kid, int)
                                       else kid for kid in element.K])
        nums[parents[int(key)]] = pikepdf.Array([owners[old] for old in kept])
    if not changed:
        return data
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _mcid(instruction: Any) -> int | None:
    """Return the marked-content id a BDC operator opens, if any."""
    if not isinstance(instruction, pikepdf.ContentStreamInstruction) or \
            str(instruction.operator) != "BDC" or len(instruction.operands) != 2:
        return None
    properties = instruction.operands[1]
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


def _key(element: Any) -> tuple[int, int]:
    number, generation = element.objgen
    return number, generation


def _reachable(root: Any) -> set[tuple[int, int]]:
    """Return the structure elements reachable from the root, by object number."""
    found: set[tuple[int, int]] = set()
    stack = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or _key(element) in found:
            continue
        found.add(_key(element))
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return found
