"""`advocacy recipients update` against a real HTTP server on 127.0.0.1 that answers as
GitHub's API and raw-file server do, serving copies of the real data files: a good
download is checked and imported; every broken one is refused and changes nothing."""

from __future__ import annotations

import datetime
import hashlib
import http.server
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from advocacy import shipped
from tests.helpers import copy_project, run, tree_hashes

SHA = "0123456789abcdef0123456789abcdef01234567"
CONGRESS = "unitedstates/congress-legislators"
ZIPS = "OpenSourceActivismTech/us-zipcodes-congress"
FILES = {"legislators-current.yaml": CONGRESS, "committees-current.yaml": CONGRESS,
         "committee-membership-current.yaml": CONGRESS, "zccd.csv": ZIPS}
UNCHANGED = "Nothing was changed."


@dataclass
class Answer:
    """What the server answers to one path: a status, headers, and a body (or a writer)."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    write: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None


class Upstream:
    """The test server: answers by path; records what was asked."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.asked: list[str] = []
        for repository in (CONGRESS, ZIPS):
            commit = {"sha": SHA, "commit": {"committer": {"date": "2026-11-30T17:00:00Z"}}}
            self.answers[f"/api/repos/{repository}/commits/HEAD"] = Answer(
                json.dumps(commit).encode())
        for name in FILES:
            self.answers[self.raw(name)] = Answer((shipped.DATA / name).read_bytes())
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def raw(name: str) -> str:
        return f"/raw/{FILES[name]}/{SHA}/{name}"

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        upstream = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                upstream.asked.append(self.path)
                answer = upstream.answers.get(self.path, Answer(b"Not Found", 404))
                if answer.write is not None:
                    answer.write(self)
                    return
                self.send_response(answer.status)
                headers = {"Content-Length": str(len(answer.body)), **answer.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def options(self) -> list[str]:
        return ["--github-api", f"{self.url}/api", "--github-raw", f"{self.url}/raw"]


@pytest.fixture()
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def update(upstream: Upstream, project: Path) -> int:
    return run("recipients", "update", *upstream.options(), "--project", str(project))


def test_update_downloads_checks_records_and_imports(
        upstream: Upstream, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = yaml.safe_load((shipped.DATA / "legislators-current.yaml").read_bytes())
    people = [p for p in people if p["id"]["bioguide"] != "K000367"]  # Klobuchar leaves
    served = yaml.safe_dump(people, allow_unicode=True).encode()
    upstream.answers[upstream.raw("legislators-current.yaml")] = Answer(served)
    (project / ".data.download").mkdir()  # left by a run that was killed
    (project / ".data.download" / "junk").write_text("x")

    assert update(upstream, project) == 0
    captured = capsys.readouterr()
    assert f"data/legislators-current.yaml: {len(served):,} bytes, 2026-11-30, commit " \
           f"0123456789ab, sha256 {hashlib.sha256(served).hexdigest()[:16]}\n" in captured.out
    assert "data/un_permanent_representatives_ny.csv: kept as it was" in captured.out
    assert "recipients/us-senate.yaml: 99 records, written\n  left: Amy Klobuchar (K000367)\n" \
        in captured.out
    # Same rows, new commit in the header: written, with no change to report.
    assert "recipients/us-zip-districts.csv: 42033 records, written\nrecipients/un-bodies" \
        in captured.out
    assert f"downloading {upstream.url}/raw/{CONGRESS}/{SHA}/legislators-current.yaml" \
        in captured.err
    # Each file at the commit the API named; the UN extract is not downloaded.
    assert sorted(upstream.asked) == sorted(
        [f"/api/repos/{CONGRESS}/commits/HEAD", f"/api/repos/{ZIPS}/commits/HEAD",
         *(upstream.raw(name) for name in FILES)])

    sources = yaml.safe_load((project / "data" / "sources.yaml").read_text("utf-8"))
    assert sources["legislators-current.yaml"] == {
        "repository": CONGRESS, "commit": SHA, "date": "2026-11-30",
        "licence": "CC0 1.0", "downloaded": datetime.date.today().isoformat(),
        "sha256": hashlib.sha256(served).hexdigest()}
    assert sources["un_permanent_representatives_ny.csv"]["commit"] == \
        "9447d7b91d8956dcf36279d2a580a7f2e6bb581d"
    assert (project / "data" / "legislators-current.yaml").read_bytes() == served
    assert (project / "data" / "zccd.csv").read_bytes() == \
        (shipped.DATA / "zccd.csv").read_bytes()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []
    senate = (project / "recipients" / "us-senate.yaml").read_text("utf-8")
    assert f"(unitedstates/congress-legislators, commit {SHA}, 2026-11-30; sha256 " in senate

    # Import now reads the project's data/: the same files, so nothing changes.
    assert run("recipients", "import", "--project", str(project)) == 0
    assert "written" not in capsys.readouterr().out
    assert (project / "data" / "README.md").read_bytes() == \
        (shipped.DATA / "README.md").read_bytes()  # carried over, as every file not downloaded
    # A second update replaces the data/ the first one wrote; the same files change nothing,
    # and files it does not download stay, in folders too.
    (project / "data" / "more").mkdir()
    (project / "data" / "more" / "notes.yaml").write_text("a: 1\n")
    assert update(upstream, project) == 0
    output = capsys.readouterr().out
    assert "written" not in output and "data/more/notes.yaml: kept as it was" in output
    assert (project / "data" / "legislators-current.yaml").read_bytes() == served
    assert (project / "data" / "more" / "notes.yaml").read_text() == "a: 1\n"


def cut_in_a_quote(data: bytes) -> bytes:
    """Cut the file just after a quote opens, half way through."""
    return data[:data.index(b": '", len(data) // 2) + 3]


def cut_at_a_record(data: bytes) -> bytes:
    middle = data.index(b"\n- id:", len(data) // 2)
    return data[:middle + 1]


BILLION_LAUGHS = ("# " + "padding " * 12_000 + "\n"  # over the smallest size believed
                  "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n").encode()
PYTHON_TAG = ((shipped.DATA / "legislators-current.yaml").read_bytes()
              + b"- !!python/object/apply:os.system ['touch /tmp/advocacy-pwned']\n")
PYTHON_TAG_LINE = PYTHON_TAG.count(b"\n")
HTML = b"<!DOCTYPE html>\n<html><body><h1>Rate limit exceeded</h1></body></html>\n" * 5000


def short_body(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Announce the whole file, send a third of it, and close the connection."""
    data = (shipped.DATA / "legislators-current.yaml").read_bytes()
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data[:len(data) // 3])
    handler.close_connection = True


def endless(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Send data without a length until the client hangs up."""
    handler.send_response(200)
    handler.end_headers()
    handler.close_connection = True
    try:
        while True:
            handler.wfile.write(b"- id: x\n" * 65536)
    except OSError:
        pass


LEGISLATORS = Upstream.raw("legislators-current.yaml")
MEMBERSHIP = Upstream.raw("committee-membership-current.yaml")
COMMITTEES = Upstream.raw("committees-current.yaml")
CROSSWALK = Upstream.raw("zccd.csv")
REAL = {name: (shipped.DATA / name).read_bytes() for name in FILES}
CUT = cut_in_a_quote(REAL["legislators-current.yaml"])
CUT_LINES = CUT.split(b"\n")
CUT_END = f"{len(CUT_LINES)}:{len(CUT_LINES[-1]) + 1}"  # line and column where it stops


@pytest.mark.parametrize(("path", "answer", "message"), [
    (COMMITTEES, Answer(b"404: Not Found", 404),
     f"{COMMITTEES}: the server answered 404 Not Found. {UNCHANGED}"),
    (LEGISLATORS, Answer(HTML, headers={"Content-Type": "text/html"}),
     f"{LEGISLATORS}: the server sent an HTML page, not legislators-current.yaml (an error "
     f"page?). {UNCHANGED}"),
    (LEGISLATORS, Answer(CUT),
     f"{LEGISLATORS}:{CUT_END}: not valid YAML: found unexpected end of stream\n"
     f"The download is refused. {UNCHANGED}"),
    (LEGISLATORS, Answer(cut_at_a_record(REAL["legislators-current.yaml"])),
     "the downloaded files make only 51 records for recipients/us-senate.yaml, fewer than the "
     f"90 expected; a file may be cut short. The download is refused. {UNCHANGED}"),
    (LEGISLATORS, Answer(write=short_body), f"{LEGISLATORS}: the download ended early"),
    (COMMITTEES, Answer(b"", 302, {"Location": "https://example.org/committees.yaml"}),
     f"{COMMITTEES}: the server redirects to https://example.org/committees.yaml; a download "
     f"is taken only from the address asked. {UNCHANGED}"),
    (CROSSWALK, Answer(write=endless),
     f"{CROSSWALK}: the file is larger than 20 MB, far more than this file ever was; "
     f"refused. {UNCHANGED}"),
    (CROSSWALK, Answer(b"x", headers={"Content-Length": str(10**12)}),
     f"{CROSSWALK}: the file is larger than 20 MB"),
    (LEGISLATORS, Answer(PYTHON_TAG),
     f"{LEGISLATORS}:{PYTHON_TAG_LINE}:3: tag !!python/object/apply:os.system is not "
     f"allowed: only plain YAML is read; remove the tag\nThe download is refused. {UNCHANGED}"),
    (MEMBERSHIP, Answer(BILLION_LAUGHS),
     f"{MEMBERSHIP}:2:32: too many values; aliases (*name) expand to more than 2,000,000 "
     f"values\nThe download is refused. {UNCHANGED}"),
    (CROSSWALK, Answer(b"zip_code,state,district\n" + b"55407,MN,5\n" * 30000),
     f"{CROSSWALK}: is not in the upstream format (no 'zip' field); the file may be damaged "
     "or cut short: download it again\nThe download is refused."),
    (f"/api/repos/{CONGRESS}/commits/HEAD", Answer(HTML),
     f"/api/repos/{CONGRESS}/commits/HEAD: the answer is not a commit (not GitHub's JSON); "
     f"{UNCHANGED}"),
], ids=["404", "html-page", "cut-in-a-quote", "cut-at-a-record", "connection-closed",
        "redirect-to-another-host", "endless", "declared-huge", "python-tag", "billion-laughs",
        "wrong-columns", "commit-not-json"])
def test_a_broken_download_changes_nothing(
        upstream: Upstream, project: Path, capsys: pytest.CaptureFixture[str],
        path: str, answer: Answer, message: str) -> None:
    upstream.answers[path] = answer
    before = tree_hashes(project)
    assert update(upstream, project) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert message.replace(path, f"{upstream.url}{path}") in captured.err
    assert tree_hashes(project) == before
    assert not Path("/tmp/advocacy-pwned").exists()


@pytest.mark.parametrize("by", ["option", "environment"])
def test_only_https_leaves_this_machine(project: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch, by: str) -> None:
    before = tree_hashes(project)
    if by == "environment":
        monkeypatch.setenv("ADVOCACY_GITHUB_RAW", "http://example.org/raw")
        options = []
    else:
        options = ["--github-raw", "http://example.org/raw"]
    assert run("recipients", "update", *options, "--project", str(project)) == 1
    assert capsys.readouterr().err == (
        "error: http://example.org/raw: downloads use HTTPS (an https:// address); plain "
        "http:// is accepted only for this machine (127.0.0.1 or localhost)\n")
    assert tree_hashes(project) == before


def test_a_link_where_data_goes_is_refused(upstream: Upstream, project: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "data").symlink_to(elsewhere)
    before = tree_hashes(project)
    assert update(upstream, project) == 1
    assert "data: is a link or a file, not a folder; an update writes only into a real " \
           "folder: move it away and run again" in capsys.readouterr().err
    assert tree_hashes(project) == before
    assert list(elsewhere.iterdir()) == []
    assert upstream.asked == []


def test_a_projects_sources_yaml_names_repositories_not_paths(
        upstream: Upstream, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(shipped.DATA, project / "data")
    sources = project / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8").replace(
        "repository: unitedstates/congress-legislators", "repository: ../../../etc", 1),
        encoding="utf-8")
    before = tree_hashes(project)
    assert update(upstream, project) == 1
    assert capsys.readouterr().err.endswith(
        "error: sources.yaml: legislators-current.yaml: no repository named as OWNER/NAME (for "
        "example unitedstates/congress-legislators)\n")
    assert tree_hashes(project) == before
    assert upstream.asked == []


def test_a_kept_file_linking_outside_the_project_is_refused(
        upstream: Upstream, project: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(shipped.DATA, project / "data")
    secret = tmp_path / "secret.csv"
    secret.write_text("country,first_name\nNowhere,Secret\n")
    kept = project / "data" / "un_permanent_representatives_ny.csv"
    kept.unlink()
    kept.symlink_to(secret)
    before = tree_hashes(project)
    assert update(upstream, project) == 1
    assert capsys.readouterr().err.endswith(
        "data/un_permanent_representatives_ny.csv: is a link to a file outside the project "
        "folder; copy the file itself into the project folder\n")
    assert tree_hashes(project) == before
