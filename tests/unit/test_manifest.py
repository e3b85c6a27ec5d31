"""The manifest module: the one reader and writer of manifest.json and manifest.csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from advocacy import api, manifest
from advocacy.manifest import ManifestError


def test_read_gives_back_the_bytes_generate_wrote(examples: dict[str, api.Result]) -> None:
    for result in examples.values():
        written = (result.folder / manifest.FILE_NAME).read_bytes()
        read = manifest.read(result.folder)
        assert manifest.to_json(read) == written
        assert manifest.to_csv(read) == (result.folder / manifest.CSV_NAME).read_bytes()


def test_written_a_letter_at_a_time_it_is_the_whole_dumped_at_once(
        examples: dict[str, api.Result]) -> None:
    # Letters to one recipient, an open letter and its copies (roles), a print bundle.
    for result in examples.values():
        written = (result.folder / manifest.FILE_NAME).read_bytes()
        data = json.loads(written)
        whole = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        assert written == whole.encode() and len(data["letters"]) == len(result.letters) > 0
        sheet = (result.folder / manifest.CSV_NAME).read_bytes()
        assert sheet.startswith(b"\xef\xbb\xbf") and sheet.count(b"\xef\xbb\xbf") == 1
        rows = list(csv.reader(io.StringIO(sheet.decode("utf-8-sig"), newline="")))
        assert [row[0] for row in rows[1:]] == [entry["letter"] for entry in data["letters"]]
    manifests = [json.loads((result.folder / manifest.FILE_NAME).read_bytes())
                 for result in examples.values()]
    # A letter to one recipient says nothing of its role; an open letter's do.
    roles = [entry.get("role") for data in manifests for entry in data["letters"]]
    assert "letter" not in roles and "open-letter" in roles
    # Only a campaign with a print bundle says anything of one (the examples have none).
    assert not any("print" in data or "print_hash" in data for data in manifests)
    open_letter = examples["cambodia-2021-hrc48-open-letter"].folder / manifest.CSV_NAME
    sheet = open_letter.read_bytes()
    assert sheet.count(b"\r\n") == sheet.count(b"\n") and b"open-letter" in sheet
    assert next(csv.reader(io.StringIO(sheet.decode("utf-8-sig"))))[-1] == "role"


def test_a_print_bundle_is_dumped_in_its_place(examples: dict[str, api.Result]) -> None:
    bundled = manifest.read(examples["cambodia-2021-un-missions"].folder).model_copy(update={
        "printed": (manifest.PrintEntry(name="print/letters.pdf", pages=9, sha256="0" * 64,
                                        bytes=1234),),
        "print_hash": "1" * 64})
    data = manifest.to_json(bundled)
    assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False, sort_keys=True)
                    + "\n").encode()
    assert manifest.parse(Path("manifest.json"), json.loads(data)) == bundled


def test_a_manifest_without_letters_is_dumped_whole(examples: dict[str, api.Result]) -> None:
    empty = manifest.read(examples["cambodia-2021-congress"].folder).model_copy(
        update={"letters": ()})
    data = manifest.to_json(empty)
    assert json.loads(data)["letters"] == []
    assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False, sort_keys=True)
                    + "\n").encode()


def test_typed_fields_of_a_real_letter(examples: dict[str, api.Result]) -> None:
    read = manifest.read(examples["cambodia-2021-congress"].folder)
    assert read.version == manifest.VERSION and read.tool.startswith("advocacy ")
    letter = read.letters[0]
    pdf = letter.file("pdf")
    assert pdf is not None and pdf.name.endswith(".pdf") and len(pdf.sha256) == 64
    assert (examples["cambodia-2021-congress"].folder / pdf.name).stat().st_size == pdf.size
    assert [entry.name for entry in read.signatories] == ["cambodian-diaspora-2021"]
    rows = list(csv.reader(io.StringIO(manifest.to_csv(read).decode("utf-8-sig"))))  # BOM
    assert rows[0] == manifest.CSV_COLUMNS and len(rows) == len(read.letters) + 1


def _rewritten(folder: Path, tmp_path: Path, change: dict[str, object]) -> Path:
    data = json.loads((folder / manifest.FILE_NAME).read_text(encoding="utf-8"))
    data.update(change)
    data = {key: value for key, value in data.items() if value is not None}
    path = tmp_path / manifest.FILE_NAME
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_version_1_manifest_is_read(examples: dict[str, api.Result], tmp_path: Path) -> None:
    folder = examples["cambodia-2021-un-missions"].folder
    old = manifest.read_file(_rewritten(folder, tmp_path, {"version": None}))
    assert old.version == 1 and old.letters == manifest.read(folder).letters


@pytest.mark.parametrize(("change", "message"), [
    ({"version": 3}, "written by a newer release of advocacy (manifest version 3; this one "
                     "reads up to 2); update advocacy, or generate the campaign again"),
    ({"letters": [{"letter": "x"}]}, "a manifest this release cannot read (letters.0.input_hash:"
                                     " Field required); generate the campaign again"),
    ({"title": 5}, "a manifest this release cannot read (title: Input should be a valid string);"
                   " generate the campaign again"),
    ({"surprise": 1}, "a manifest this release cannot read (surprise: Extra inputs are not "
                      "permitted); generate the campaign again"),
])
def test_damaged_or_newer_manifests_are_refused(examples: dict[str, api.Result], tmp_path: Path,
                                                change: dict[str, object], message: str) -> None:
    path = _rewritten(examples["cambodia-2021-un-missions"].folder, tmp_path, change)
    with pytest.raises(ManifestError) as caught:
        manifest.read_file(path)
    assert str(caught.value) == f"{path}: {message}"


def test_why_a_folder_is_not_an_output_folder(examples: dict[str, api.Result],
                                              tmp_path: Path) -> None:
    assert manifest.not_an_output_folder(tmp_path) is None  # empty: nothing to lose
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert manifest.not_an_output_folder(tmp_path) == "it has no manifest.json of this campaign"
    folder = examples["cambodia-2021-un-missions"].folder
    assert manifest.not_an_output_folder(folder) is None
    renamed = tmp_path / "another-campaign"
    renamed.mkdir()
    (renamed / manifest.FILE_NAME).write_bytes((folder / manifest.FILE_NAME).read_bytes())
    assert manifest.not_an_output_folder(renamed) == "its manifest.json is another campaign's"
