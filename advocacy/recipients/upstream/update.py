"""`advocacy recipients update`: download the current public data, check it, import it.

The files that sources.yaml names and that are taken unchanged from their
repositories are downloaded at the repositories' current commit, into a hidden
folder of the project. They are checked as the import reads them (format, size,
every record), and only if every one passes do they become the project's data/
(with a sources.yaml naming each commit, date and sha256) and get imported into
recipients/. A refused download changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advocacy import files, load, output_folder, shipped
from advocacy.errors import AdvocacyError, Place
from advocacy.recipients.upstream import download, importer
from advocacy.recipients.upstream.download import UNCHANGED, Commit, Servers

MB = 1024 * 1024
# Taken unchanged from upstream: the smallest and largest size believable for each. The
# crosswalk and the legislators are about 1 MB, the committees 60 KB (June 2026).
BOUNDS = {
    importer.LEGISLATORS: (300_000, 20 * MB),
    importer.COMMITTEES: (20_000, 20 * MB),
    importer.MEMBERSHIP: (80_000, 20 * MB),
    importer.CROSSWALK: (200_000, 20 * MB),
}
# A file cut short at a record's end still reads: the records it makes must be about as
# many as Congress has (vacancies aside).
MINIMUM_RECORDS = {"us-senate.yaml": 90, "us-house.yaml": 400, "us-committees.yaml": 30,
                   "us-zip-districts.csv": 30_000}
# Every other file of the current data is carried over as it is: among them
# un_permanent_representatives_ny.csv, an extract made by hand from a scrape full of
# personal data (see advocacy/data/README.md), which is not downloaded.
STAGING = ".data.download"
REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass
class Downloaded:
    """One upstream file, as it was fetched."""

    name: str
    url: str
    commit: Commit
    sha256: str
    size: int


@dataclass
class Updated:
    """What an update fetched, and what the import then changed."""

    downloaded: list[Downloaded] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # files carried over (the UN extract ...)
    changes: list[importer.FileChanges] = field(default_factory=list)


def update(project: Path, servers: Servers | None = None,
           on_step: Callable[[str], None] = lambda step: None,
           progress: download.Progress = lambda done, total: None) -> Updated:
    """Download, check and import the current public data into a project."""
    data = _data_folder(project)
    source = importer.default_source(project)
    root = None if shipped.is_shipped(source) else project
    known = load.load_mapping(source / "sources.yaml", root=root).data
    staging = project / STAGING
    previous = project / ".data.previous"
    for leftover in (staging, previous):  # left by a run that was killed
        output_folder.remove_leftover(leftover)
    updated = Updated()
    try:
        contents = _download_all(known, servers or Servers(), updated, on_step, progress)
        kept = _kept(source, root, {*contents, "sources.yaml"})
        updated.kept = list(kept)
        contents.update(kept)
        contents["sources.yaml"] = _sources_text(known, updated).encode("utf-8")
        _stage(staging, contents)
        on_step("checking the downloaded files")
        converted = _checked(staging, updated)
        output_folder.swap_in(staging, data, previous)
    finally:
        output_folder.remove_leftover(staging)
    on_step("importing them into recipients/")
    updated.changes = importer.write(converted, project / "recipients")
    return updated


def _kept(source: Path, root: Path | None, replaced: set[str]) -> dict[str, bytes]:
    """Read the files of the current data that are not downloaded, to carry them over."""
    kept = {}
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        if name not in replaced and "__pycache__" not in path.parts and not path.is_dir():
            kept[name] = files.read_checked(path, load.MAX_CSV_BYTES, root)
    return kept


def _stage(staging: Path, contents: dict[str, bytes]) -> None:
    """Write the files into the hidden folder they wait in until checked."""
    try:
        staging.mkdir()
        for name, body in contents.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(body)
    except OSError as error:
        raise AdvocacyError.at(Place(staging), f"cannot write: {error.strerror}. "
                               f"{UNCHANGED}") from None


def _data_folder(project: Path) -> Path:
    """Return the project's data/, refusing a link or a file there (it will be replaced)."""
    data = project / "data"
    if os.path.islink(data) or (os.path.lexists(data) and not data.is_dir()):
        raise AdvocacyError.at(Place(data), "is a link or a file, not a folder; an update "
                               "writes only into a real folder: move it away and run again")
    if not any((project / folder).is_dir() for folder in ("campaigns", "recipients")):
        raise AdvocacyError.at(Place(project), "is not a campaign project (it has no campaigns/ "
                               "or recipients/ folder); make one with 'advocacy init', or name "
                               "it with --project")
    return data


def _download_all(known: dict[str, Any], servers: Servers, updated: Updated,
                  on_step: Callable[[str], None], progress: download.Progress
                  ) -> dict[str, bytes]:
    """Fetch every file at its repository's current commit; check each one's size."""
    repositories = {name: _repository(known, name) for name in BOUNDS}
    contents = {}
    with download.client() as http:
        commits = {}
        for repository in dict.fromkeys(repositories.values()):
            on_step(f"asking {servers.api} which commit {repository} is at")
            commits[repository] = download.commit_of(http, servers, repository)
        for name, repository in repositories.items():
            url = download.file_url(servers, repository, commits[repository], name)
            on_step(f"downloading {url}")
            body = download.fetch(http, url, BOUNDS[name][1], progress)
            _check_body(name, url, body)
            contents[name] = body
            updated.downloaded.append(Downloaded(name, url, commits[repository],
                                                 hashlib.sha256(body).hexdigest(), len(body)))
    return contents


def _repository(known: dict[str, Any], name: str) -> str:
    info = known.get(name)
    repository = info.get("repository") if isinstance(info, dict) else None
    if not isinstance(repository, str) or not REPOSITORY.match(repository):
        raise AdvocacyError(f"sources.yaml: {name}: no repository named as OWNER/NAME "
                            "(for example unitedstates/congress-legislators)")
    return repository


def _check_body(name: str, url: str, body: bytes) -> None:
    """Refuse a body that cannot be the file: too small, or an HTML page."""
    smallest = BOUNDS[name][0]
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise AdvocacyError(f"{url}: the server sent an HTML page, not {name} (an error page?). "
                            f"{UNCHANGED}")
    if len(body) < smallest:
        raise AdvocacyError(f"{url}: only {len(body):,} bytes, while {name} has always been "
                            f"over {smallest:,}; the file may be cut short. {UNCHANGED}")


def _checked(staging: Path, updated: Updated) -> importer.Converted:
    """Read the files as the import does; refuse them if any fails or makes too few records."""
    urls = {d.name: d.url for d in updated.downloaded}
    try:
        converted = importer.convert(staging, staging)
    except AdvocacyError as error:
        lines = [_blamed(str(problem.place), staging, urls) + f": {problem.message}"
                 for problem in error.problems] or [str(error)]
        raise AdvocacyError("\n".join([*lines, f"The download is refused. {UNCHANGED}"])) \
            from None
    counts = {name: len(records) for name, records in converted.records.items()}
    counts["us-zip-districts.csv"] = len(converted.zip_rows)
    for name, least in MINIMUM_RECORDS.items():
        if counts[name] < least:
            raise AdvocacyError(f"the downloaded files make only {counts[name]} records for "
                                f"recipients/{name}, fewer than the {least} expected; a file "
                                f"may be cut short. The download is refused. {UNCHANGED}")
    return converted


def _blamed(place: str, staging: Path, urls: dict[str, str]) -> str:
    """Name a downloaded file by its address rather than by the hidden folder it waits in."""
    prefix = str(Place(staging)) + os.sep
    if not place.startswith(prefix):
        return place
    name, _, line = place.removeprefix(prefix).partition(":")
    return urls.get(name, name) + (f":{line}" if line else "")


def _sources_text(known: dict[str, Any], updated: Updated) -> str:
    """Write sources.yaml for the new data: each file's repository, commit, date, sha256."""
    today = datetime.date.today().isoformat()
    sources = {name: dict(info) if isinstance(info, dict) else info
               for name, info in known.items()}
    for item in updated.downloaded:
        sources[item.name].update({"commit": item.commit.sha, "date": item.commit.date,
                                   "downloaded": today, "sha256": item.sha256})
    header = ("# Where each upstream file in this folder comes from: written by 'advocacy "
              "recipients update'.\n# 'advocacy recipients import' names these in the "
              "headers of the recipient files.\n")
    return header + yaml.safe_dump(sources, sort_keys=False, allow_unicode=True)
