"""`advocacy recipients import`: turn the upstream data files into the project's recipient files.

Re-running it on newer data rewrites the files and reports who left, who joined
and whose address changed. Nothing is written unless every source file reads.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advocacy import files, load, output_folder, shipped
from advocacy.addressing import address_block
from advocacy.errors import AdvocacyError, Place
from advocacy.models import Recipient
from advocacy.recipients import bodies, districts
from advocacy.recipients.upstream import congress, un, un_bodies

LEGISLATORS = "legislators-current.yaml"
COMMITTEES = "committees-current.yaml"
MEMBERSHIP = "committee-membership-current.yaml"
UN_REPRESENTATIVES = "un_permanent_representatives_ny.csv"
CROSSWALK = "zccd.csv"
UN_OBSERVERS = f"{un_bodies.FOLDER}/{un_bodies.OBSERVERS}"
SOURCE_NAMES = (LEGISLATORS, COMMITTEES, MEMBERSHIP, UN_REPRESENTATIVES, CROSSWALK, UN_OBSERVERS)
GENEVA = "un-geneva-missions.yaml"
# Said in a file's header, after its sources.
NOTES = {GENEVA: (
    "(the states only: no public source of the Geneva missions' exact names, heads or",
    "street addresses was found, and UN Geneva counts 181 member states with a mission",
    "there; every letter is flagged 'address missing': see data/README.md)")}

Record = dict[str, Any]
ZipRow = tuple[str, str, int]


@dataclass
class FileChanges:
    """What an import changed in one recipients file."""

    name: str
    count: int
    joined: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    written: bool = False


@dataclass
class Converted:
    """Upstream files read, converted and checked: the recipient files to write, by name."""

    texts: dict[str, str]
    records: dict[str, dict[str, Recipient]]  # by file name, then id (YAML files only)
    zip_rows: set[ZipRow]
    bodies: int  # how many UN bodies' memberships recipients/un-bodies.yaml holds


def default_source(project: Path) -> Path:
    """Return the folder an import reads: the project's data/, else the package's snapshot.

    A project has a data/ folder once 'advocacy recipients update' has written one.
    """
    return project / "data" if (project / "data").is_dir() else shipped.DATA


def import_recipients(source: Path, recipients: Path, root: Path | None = None
                      ) -> list[FileChanges]:
    """Read the upstream files in `source`; write recipients/*.yaml and the ZIP crosswalk."""
    return write(convert(source, root), recipients)


def convert(source: Path, root: Path | None = None) -> Converted:
    """Read and convert every upstream file, checking each record; write nothing.

    ``root``: the project folder the files must stay in (None: a folder the user named).
    """
    missing = [name for name in SOURCE_NAMES if not (source / name).is_file()]
    if missing:
        raise AdvocacyError.at(Place(source), f"missing {', '.join(missing)}; download them "
                               "from the repositories named in sources.yaml ('advocacy "
                               "recipients update' does)")
    origins = _origins(source, root)
    with _upstream(source / LEGISLATORS):
        people = _yaml(source / LEGISLATORS, root, list)
    with _upstream(source / MEMBERSHIP):
        membership = _yaml(source / MEMBERSHIP, root, dict)
        seats = congress.memberships(membership)
    with _upstream(source / LEGISLATORS):
        members = congress.legislators(people, seats)
    with _upstream(source / UN_REPRESENTATIVES):
        stream = io.StringIO(_text(source / UN_REPRESENTATIVES, root=root), newline="")
        un_rows = list(csv.DictReader(stream))
        missions = un.representatives(un_rows)
    un_bodies_model, observer_states = un_bodies.read(source, [m["id"] for m in missions], root)
    with _upstream(source / UN_REPRESENTATIVES):
        geneva = un.geneva_missions([row["country"] for row in un_rows], observer_states)
    with _upstream(source / COMMITTEES):
        committees = congress.committees(
            _yaml(source / COMMITTEES, root, list), membership,
            {member["id"]: member["last_name"] for member in members})
    outputs = {
        "us-senate.yaml": ([m for m in members if m["chamber"] == "senate"], (LEGISLATORS,)),
        "us-house.yaml": ([m for m in members if m["chamber"] == "house"], (LEGISLATORS,)),
        "us-committees.yaml": (committees, (COMMITTEES, MEMBERSHIP)),
        "un-permanent-representatives.yaml": (missions, (UN_REPRESENTATIVES,)),
        GENEVA: (geneva, (UN_REPRESENTATIVES, UN_OBSERVERS)),
    }
    # The importer must never write an invalid file: every record is checked first.
    checked = {}
    for name, (records, sources) in outputs.items():
        with _upstream(source / sources[0]):
            checked[name] = {r["id"]: Recipient.model_validate(r) for r in records}
    texts = {name: _recipients_text(records, origins, sources, NOTES.get(name, ()))
             for name, (records, sources) in outputs.items()}
    with _upstream(source / CROSSWALK):
        zip_rows = _crosswalk_rows(io.StringIO(_text(source / CROSSWALK, "utf-8-sig", root),
                                               newline=""))
    texts[districts.FILE_NAME] = _crosswalk_text(zip_rows, origins)
    texts[bodies.FILE_NAME] = _bodies_text(un_bodies_model, source, origins, root)
    return Converted(texts, checked, zip_rows, len(un_bodies_model.bodies))


def write(converted: Converted, recipients: Path) -> list[FileChanges]:
    """Write the converted files that changed into recipients/; report what changed."""
    recipients.mkdir(parents=True, exist_ok=True)
    changes = []
    for name, text in converted.texts.items():
        path = recipients / name
        old = _text(path) if path.exists() else None
        if name == bodies.FILE_NAME:
            report = FileChanges(name, converted.bodies)
        elif name.endswith(".yaml"):
            report = _compare(name, _records_of(path, old) if old else {},
                              converted.records[name])
        else:
            old_rows = _crosswalk_rows(old.removeprefix("\ufeff").splitlines(keepends=True)) \
                if old else set()
            report = _compare_rows(name, old_rows, converted.zip_rows)
        if text != old:
            output_folder.write_atomic(path, text.encode("utf-8"))
            report.written = True
        changes.append(report)
    return changes


@contextlib.contextmanager
def _upstream(path: Path) -> Iterator[None]:
    """Turn a file that is not in its upstream format into a message, never a traceback."""
    try:
        yield
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        what = str(error).splitlines()[0] if str(error) else type(error).__name__
        if isinstance(error, KeyError):
            what = f"no {error} field"
        raise AdvocacyError.at(Place(path), f"is not in the upstream format ({what}); the "
                               "file may be damaged or cut short: download it again") from None


def _text(path: Path, encoding: str = "utf-8", root: Path | None = None) -> str:
    """Read a text file through the checked opener (a regular file, at most 200 MB)."""
    data = files.read_checked(path, load.MAX_CSV_BYTES, root)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise AdvocacyError.at(Place(path), "is not UTF-8 text") from None


def _yaml(path: Path, root: Path | None, kind: type) -> Any:
    data = load.load_yaml(path, root=root).data
    if not isinstance(data, kind):
        raise TypeError(f"the top level is not a {'list' if kind is list else 'mapping'}")
    return data


def _origins(source: Path, root: Path | None = None) -> dict[str, str]:
    """Describe each source file for the headers: upstream repository, commit, checksum."""
    described = {}
    sources_file = source / "sources.yaml"
    known = load.load_mapping(sources_file, root=root).data if sources_file.is_file() else {}
    for name in SOURCE_NAMES:
        digest = files.sha256_checked(source / name, root)
        info = known.get(name) or {}
        if name.startswith(f"{un_bodies.FOLDER}/"):  # transcribed here: its sources inside
            described[name] = _transcribed(name, digest)
        elif info:
            described[name] = (f"{name} ({info.get('repository')}, commit {info.get('commit')}, "
                               f"{info.get('date')}; sha256 {digest[:16]})")
        else:
            described[name] = f"{name} (commit not recorded in sources.yaml; sha256 {digest[:16]})"
    return described


def _header(sources: tuple[str, ...], origins: dict[str, str], more: Iterable[str] = ()) -> str:
    names = [name for name in SOURCE_NAMES if name in sources]
    lines = ["Generated by 'advocacy recipients import' from:"]
    lines += [f"  {origins[name]}" for name in names]
    lines += [f"  {line}" for line in more]
    lines += ["Do not edit by hand: re-run the import on newer data. A campaign corrects or",
              "completes a record with its own overrides file (see README)."]
    return "".join(f"# {line}\n" for line in lines)


def _recipients_text(records: list[Record], origins: dict[str, str],
                     sources: tuple[str, ...], notes: Iterable[str] = ()) -> str:
    body = yaml.dump({"recipients": records}, Dumper=_RecordDumper, sort_keys=False,
                     allow_unicode=True, width=100)
    return _header(sources, origins, notes) + body


def _bodies_text(model: bodies.BodiesFile, source: Path, origins: dict[str, str],
                 root: Path | None) -> str:
    """Write recipients/un-bodies.yaml: each body's file is named with its checksum."""
    described = [_transcribed(path.relative_to(source).as_posix(),
                              files.sha256_checked(path, root))
                 for path in un_bodies.files(source)[1:]]
    body = yaml.dump(model.model_dump(mode="json"), Dumper=_BodiesDumper, sort_keys=False,
                     allow_unicode=True, width=100)
    return _header((UN_REPRESENTATIVES, UN_OBSERVERS), origins, described) + body


def _transcribed(name: str, digest: str) -> str:
    return f"{name} (its sources and the date they were checked inside; sha256 {digest[:16]})"


class _RecordDumper(yaml.SafeDumper):
    """Write one record as a block of 'key: value' lines; short lists and members inline."""


class _BodiesDumper(yaml.SafeDumper):
    """Write mappings as blocks, and lists of states on one line."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = "id" not in data and "recipients" not in data  # a chair or ranking member
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


_RecordDumper.add_representer(list, _list)
_RecordDumper.add_representer(dict, _dict)
_BodiesDumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, flow_style=all(len(str(item)) <= 3 for item in data)))



def _crosswalk_rows(lines: Iterable[str]) -> set[ZipRow]:
    """Read the upstream crosswalk (zcta, state_abbr, cd) or our own copy (zip, state, district)."""
    rows = set()
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        zip_code = row.get("zcta") or row["zip"]
        state = row.get("state_abbr") or row["state"]
        district = row.get("cd") or row["district"]
        rows.add((zip_code.zfill(5), state, int(district)))
    return rows


def _compare_rows(name: str, old: set[ZipRow], new: set[ZipRow]) -> FileChanges:
    report = FileChanges(name, len(new))
    added, removed = len(new - old), len(old - new)
    if old and (added or removed):
        report.changed.append(f"{added} ZIP-district rows added, {removed} removed")
    return report


def _crosswalk_text(rows: set[ZipRow], origins: dict[str, str]) -> str:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["zip", "state", "district"])
    writer.writerows(sorted(rows))
    return _header((CROSSWALK,), origins) + output.getvalue()


def _records_of(path: Path, text: str) -> dict[str, Recipient]:
    try:
        data = load.load_mapping(path, text).data
        return {r["id"]: Recipient.model_validate(r) for r in data.get("recipients", [])}
    except (AdvocacyError, ValueError, KeyError, TypeError):
        return {}  # an unreadable old file: everything counts as joined


def _compare(name: str, old: dict[str, Recipient], new: dict[str, Recipient]) -> FileChanges:
    report = FileChanges(name, len(new))
    report.joined = [_who(new[i]) for i in new if i not in old]
    report.left = [_who(old[i]) for i in old if i not in new]
    for record_id in new.keys() & old.keys():
        before, after = old[record_id], new[record_id]
        if address_block(before) != address_block(after):
            report.changed.append(f"{_who(after)}: address "
                                  f"{' / '.join(address_block(before))} -> "
                                  f"{' / '.join(address_block(after))}")
        elif before != after:
            fields = [f for f in Recipient.model_fields
                      if getattr(before, f) != getattr(after, f)]
            report.changed.append(f"{_who(after)}: {', '.join(fields)} changed")
    report.changed.sort()
    return report


def _who(record: Recipient) -> str:
    return f"{record.name} ({record.id})"
