"""The fast path: shared enclosures laid out once, covers in batches, a cache, executors.

Its output must read exactly like the simple path's (one render per letter), be
the same whatever runs it, and be rewritten only where its inputs changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from advocacy import api
from advocacy.errors import AdvocacyError
from tests.helpers import REPO, copy_project, docx_to_pdf, one_by_one, pdf_fonts, pdf_info, pdf_text

CONSTITUENT = REPO / "campaigns" / "cambodia-2021-constituent.yaml"


def files_of(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Map each file to (inode, mtime, sha256), to see which were rewritten."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns,
                     hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.iterdir()) if p.is_file()}


SIMPLE_SENDERS = 12  # the first rows of the example senders file: 30-odd letters, all kinds


@pytest.fixture(scope="module")
def simple(tmp_path_factory: pytest.TempPathFactory) -> api.Result:
    """The constituent campaign's first senders written the simple way: each letter laid out
    whole, alone. Stems are given in file order, so they are the full campaign's stems."""
    project = copy_project(tmp_path_factory.mktemp("simple"))
    senders = project / "recipients" / "constituents-2021.csv"
    rows = senders.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    senders.write_text("".join(rows[:SIMPLE_SENDERS + 1]), encoding="utf-8")
    return one_by_one(project / "campaigns" / CONSTITUENT.name,
                      api.GenerateOptions(output_dir=project / "output", jobs=1))


def test_fast_and_simple_paths_read_the_same(simple: api.Result,
                                             examples: dict[str, api.Result]) -> None:
    fast = {w.letter.stem: w for w in examples["cambodia-2021-constituent"].letters}
    assert len(simple.letters) > 25
    for simple_letter in simple.letters:
        stem = simple_letter.letter.stem
        fast_letter = fast[stem]
        assert fast_letter.pages == simple_letter.pages == 4
        assert pdf_text(examples["cambodia-2021-constituent"].folder / f"{stem}.pdf") == \
            pdf_text(simple.folder / f"{stem}.pdf")


def test_fast_and_simple_docx_read_the_same(simple: api.Result,
                                            examples: dict[str, api.Result],
                                            tmp_path: Path) -> None:
    fast = examples["cambodia-2021-constituent"]
    stem = fast.letters[0].letter.stem
    files = [fast.folder / f"{stem}.docx", simple.folder / f"{stem}.docx"]
    converted = docx_to_pdf(files, tmp_path)
    assert pdf_text(converted[files[0]]) == pdf_text(converted[files[1]])
    assert pdf_info(converted[files[0]])["Pages"] == "4"


def test_joined_letters_keep_one_font_each_and_their_page_numbers(
    examples: dict[str, api.Result],
) -> None:
    result = examples["cambodia-2021-constituent"]
    pdf = result.folder / f"{result.letters[0].letter.stem}.pdf"
    names = [row[0] for row in pdf_fonts(pdf)]
    assert len(names) == len(set(names)) == 2  # Liberation Serif regular and bold, once
    for page in range(1, 5):
        assert f"Page {page} of 4" in pdf_text(pdf, page=page)


def test_long_cover_with_footnotes_numbers_on_into_the_enclosure(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    body = "\n\n".join(f"Paragraph {n} of a long letter. " * 30 for n in range(12))
    (project / "campaigns" / "long.yaml").write_text(
        "title: Long\ndate: 2021-03-23\nrecipients: {from: us-senate, where: {state: MN}}\n"
        "body: |\n  First note.[^a] Second note.[^b]\n\n"
        + "".join(f"  {line}\n" for line in body.splitlines())
        + "\n  [^a]: The cover's first note.\n  [^b]: The cover's second note.\n"
        "enclosures:\n  - statement: joint-statement-2021-03-23\n", encoding="utf-8")
    fast = api.generate(project / "campaigns" / "long.yaml",
                        api.GenerateOptions(output_dir=tmp_path / "fast"))
    simple = one_by_one(project / "campaigns" / "long.yaml",
                        api.GenerateOptions(output_dir=tmp_path / "simple"))
    for written in fast.letters:
        pdf = fast.folder / f"{written.letter.stem}.pdf"
        total = written.pages
        assert total > 5  # a cover of more than one page, then the three-page statement
        for page in range(1, total + 1):
            assert f"Page {page} of {total}" in pdf_text(pdf, page=page)
        text = pdf_text(pdf)
        assert text == pdf_text(simple.folder / pdf.name)
        # The statement's first footnote is the letter's third (a superscript 3 before it).
        assert re.search(r"(?m)^3 U\.N Human Rights Council", text)


def test_second_run_rewrites_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    campaign = project / "campaigns" / "cambodia-2021-congress.yaml"
    first = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out"))
    before = files_of(first.folder)
    again = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out"))
    assert (again.written, again.changed) == (0, False)
    assert files_of(first.folder) == before


def _congress_pdf_run(tmp_path: Path) -> tuple[Path, api.GenerateOptions, api.Result, Path,
                                                 dict[str, Any]]:
    """Generate the Congress letters as PDF once; return what a test edits next."""
    project = copy_project(tmp_path / "project")
    campaign = project / "campaigns" / "cambodia-2021-congress.yaml"
    options = api.GenerateOptions(output_dir=tmp_path / "out", formats=["pdf"])
    first = api.generate(campaign, options)
    manifest_path = first.folder / "manifest.json"
    return campaign, options, first, manifest_path, json.loads(
        manifest_path.read_text(encoding="utf-8"))


def test_a_letter_no_longer_planned_is_never_carried_over(tmp_path: Path) -> None:
    """A letter of the last run that is no longer planned is left out of the new output."""
    campaign, options, first, manifest_path, manifest = _congress_pdf_run(tmp_path)
    ghost = first.folder / "ghost.pdf"
    ghost.write_bytes(b"%PDF-1.7 a letter to someone no longer on the list")
    entry = dict(manifest["letters"][0], letter="ghost", files=[{
        "name": "ghost.pdf", "format": "pdf", "bytes": ghost.stat().st_size,
        "sha256": hashlib.sha256(ghost.read_bytes()).hexdigest()}])
    manifest["letters"].append(entry)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    again = api.generate(campaign, options)
    assert again.written == 0
    assert not (again.folder / "ghost.pdf").exists()
    assert "ghost" not in (again.folder / "manifest.json").read_text(encoding="utf-8")


def test_a_manifest_made_by_hand_is_refused_not_half_read(tmp_path: Path) -> None:
    """An entry without its input hash: the manifest is refused, and nothing is deleted."""
    campaign, options, first, manifest_path, manifest = _congress_pdf_run(tmp_path)
    manifest["letters"].append({"letter": "ghost", "files": []})
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = sorted(path.name for path in first.folder.iterdir())
    with pytest.raises(AdvocacyError) as refused:
        api.generate(campaign, options)
    message = str(refused.value)
    assert "its manifest.json cannot be read: a manifest this release cannot read (letters." \
        in message
    assert ".input_hash: Field required); generate the campaign again" in message
    assert sorted(path.name for path in first.folder.iterdir()) == before


def test_one_changed_sender_rerenders_only_their_letters(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    senders = project / "recipients" / "constituents-2021.csv"
    rows = senders.read_text(encoding="utf-8-sig").splitlines()
    senders.write_text("\n".join(rows[:8]) + "\n", encoding="utf-8")  # seven constituents
    campaign = project / "campaigns" / "cambodia-2021-constituent.yaml"
    first = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out"))
    assert (first.written, len(first.letters)) == (21, 21)
    before = files_of(first.folder)
    rows[2] = rows[2].replace("12 Example Avenue", "14 Example Avenue")  # Dara Kim moved
    senders.write_text("\n".join(rows[:8]) + "\n", encoding="utf-8")
    second = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out"))
    assert second.written == 3
    after = files_of(second.folder)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert [n for n in changed if n.endswith(".pdf")] == [
        "dara-kim-to-amy-klobuchar-k000367.pdf", "dara-kim-to-betty-mccollum-m001143.pdf",
        "dara-kim-to-tina-smith-s001203.pdf"]
    assert {n for n in changed if not n.endswith((".pdf", ".docx"))} == {"manifest.json",
                                                                        "manifest.csv"}
    assert "14 Example Avenue" in pdf_text(second.folder / "dara-kim-to-amy-klobuchar-k000367.pdf")


def test_a_changed_statement_rerenders_every_letter(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    campaign = project / "campaigns" / "cambodia-2021-congress.yaml"
    api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out", formats=["pdf"]))
    statement = project / "statements" / "political-arrests-2021.md"
    statement.write_text(statement.read_text(encoding="utf-8").replace(
        "Cambodian citizens", "Cambodian people"), encoding="utf-8")
    again = api.generate(campaign,
                         api.GenerateOptions(output_dir=tmp_path / "out", formats=["pdf"]))
    assert again.written == len(again.letters) == 10
    assert "Cambodian people" in pdf_text(again.folder / f"{again.letters[0].letter.stem}.pdf")


def test_processes_and_one_process_write_the_same_bytes(tmp_path: Path,
                                                        examples: dict[str,
                                                                       api.Result]) -> None:
    two = api.generate(CONSTITUENT, api.GenerateOptions(output_dir=tmp_path, jobs=2))
    one = examples["cambodia-2021-constituent"]
    assert {k: v[2] for k, v in files_of(two.folder).items()} == \
        {k: v[2] for k, v in files_of(one.folder).items()}


def test_dask_local_cluster_writes_the_same_bytes(tmp_path: Path,
                                                  examples: dict[str, api.Result]) -> None:
    pytest.importorskip("dask.distributed")
    campaign = REPO / "campaigns" / "cambodia-2021-congress.yaml"
    result = api.generate(campaign,
                          api.GenerateOptions(output_dir=tmp_path, jobs=2, executor="dask"))
    local = examples["cambodia-2021-congress"]
    assert len(result.letters) == 10
    assert {k: v[2] for k, v in files_of(result.folder).items()} == \
        {k: v[2] for k, v in files_of(local.folder).items()}


def test_no_machine_paths_in_outputs(examples: dict[str, api.Result]) -> None:
    home = os.fspath(Path.home())
    for result in examples.values():
        for name in ("manifest.json", "manifest.csv"):
            text = (result.folder / name).read_text(encoding="utf-8")
            assert os.fspath(REPO) not in text and home + "/" not in text


def test_every_sender_shares_one_enclosure_layout(tmp_path: Path) -> None:
    """The statement is laid out once per worker, not once per sender."""
    from advocacy.build.run import _for_workers
    from advocacy.build.worker import WorkContext, _worker, write_chunk

    plan = api.plan(CONSTITUENT)
    context = WorkContext("one-enclosure", _for_workers(plan.inputs), ("pdf", "docx"), tmp_path)
    letters = plan.letters[:12]
    assert len({letter.sender.name for letter in letters if letter.sender}) >= 4
    write_chunk(context, letters)
    enclosures = _worker(context).enclosures
    assert len(enclosures) == 1
    assert list(next(iter(enclosures.values())).variants) == [(1, 0)]


def test_a_second_run_into_another_folder_in_the_same_process(tmp_path: Path) -> None:
    """Workers keep their caches between runs, never the previous run's folder."""
    campaign = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    first = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "a", jobs=1))
    second = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "b", jobs=1))
    assert files_of(first.folder).keys() == files_of(second.folder).keys()
