"""The build cache: which letters of the last run may be kept, and the code they were made by."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advocacy import api, manifest
from advocacy.build import cache, fingerprint


def test_the_fingerprint_follows_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = shutil.copytree(fingerprint.PACKAGE, tmp_path / "advocacy")
    monkeypatch.setattr(fingerprint, "PACKAGE", package)
    fingerprint.code_fingerprint.cache_clear()
    try:
        first = fingerprint.code_fingerprint()
        assert fingerprint.code_fingerprint.__wrapped__() == first  # the same code: the same hash
        writer = package / "writers" / "docx.py"
        writer.write_text(writer.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        second = fingerprint.code_fingerprint.__wrapped__()
        assert second != first
        # The package's templates are code too: a project without templates/ uses them.
        css = package / "templates" / "letter.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
        third = fingerprint.code_fingerprint.__wrapped__()
        assert third != second
        # So is its data: the UN bodies' members decide who an open letter goes to.
        members = next((package / "data").rglob("*.yaml"))
        members.write_text(members.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        assert fingerprint.code_fingerprint.__wrapped__() != third
    finally:
        fingerprint.code_fingerprint.cache_clear()


def test_kept_letters_are_those_unchanged_on_disk(examples: dict[str, api.Result],
                                                  tmp_path: Path) -> None:
    folder = shutil.copytree(examples["cambodia-2021-un-missions"].folder, tmp_path / "out")
    previous = cache.previous_manifest(folder)
    assert previous is not None
    hashes = {entry.letter: entry.input_hash for entry in previous.letters}
    formats = tuple(file.format for file in previous.letters[0].files)
    assert set(cache.reusable(previous, folder, hashes, formats)) == set(hashes)
    first, second = previous.letters[0], previous.letters[1]
    (folder / first.files[0].name).write_bytes(b"edited by hand")
    hashes[second.letter] = "another input"
    kept = cache.reusable(previous, folder, hashes, formats)
    assert set(kept) == set(hashes) - {first.letter, second.letter}
    assert cache.reusable(previous, folder, hashes, ("pdf",)) == {}  # other formats asked for


def test_no_manifest_or_a_damaged_one_keeps_nothing(examples: dict[str, api.Result],
                                                    tmp_path: Path) -> None:
    assert cache.previous_manifest(tmp_path) is None
    (tmp_path / manifest.FILE_NAME).write_text('{"letters": 1}', encoding="utf-8")
    assert cache.previous_manifest(tmp_path) is None


def test_the_print_bundle_is_kept_only_when_its_hash_matches(tmp_path: Path) -> None:
    from tests.helpers import copy_project

    project = copy_project(tmp_path / "project")
    result = api.generate(project / "campaigns/cambodia-2021-congress.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out", formats=("pdf",),
                                              print_bundle=True))
    previous = result.manifest
    assert previous is not None and previous.print_hash is not None
    before = {path: path.stat().st_nlink for path in (result.folder / "print").iterdir()}
    kept = cache.reusable_print(previous, result.folder, previous.print_hash)
    assert kept == previous.printed
    assert {path: path.stat().st_nlink for path in before} == before  # a question: no links made
    assert cache.reusable_print(previous, result.folder, "changed") is None
