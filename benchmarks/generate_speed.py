"""Benchmark: generate the constituent campaign scaled to 1,000 letters (issue 7).

Side by side, in one run, each measured in fresh processes (median of --runs):

- fast: this project's path (shared enclosures, batches, --jobs 2), PDF + DOCX;
- simple: this project's straightforward path (one WeasyPrint render per letter,
  one process), PDF + DOCX;
- mail merge: docxtpl fills a DOCX template made from one of our letters, then
  two LibreOffice instances convert the DOCX files to PDF.

Then: a second run with nothing changed, one sender's row changed, the
statement changed, and (unless --skip-large) peak memory for 10,000 letters.

    python benchmarks/generate_speed.py [--letters 1000] [--runs 3] [--skip-large]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FOLDERS = ("campaigns", "statements", "signatories", "recipients")  # templates: the package's
CAMPAIGN = "bench"
Timeline = list[tuple[float, int, int]]  # (seconds, whole tree kB, main process kB)
Large = tuple[float, float, Timeline]  # seconds, peak MB, timeline


def make_project(folder: Path, letters: int) -> Path:
    """Copy the example project; add the constituent campaign with generated senders.

    Senders live in real single-district ZIP codes of the 50 states (3 letters each);
    one more in Washington, DC (1 letter) makes the count exact when needed.
    """
    for name in FOLDERS:
        shutil.copytree(REPO / name, folder / name, dirs_exist_ok=True)
    house = {(r["state"], r.get("district")) for r in _records(folder / "recipients/us-house.yaml")}
    zips: dict[str, list[tuple[str, int]]] = {}
    with (folder / "recipients" / "us-zip-districts.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(line for line in stream if not line.startswith("#")):
            zips.setdefault(row["zip"], []).append((row["state"], int(row["district"])))
    single = sorted(z for z, seats in zips.items()
                    if len(seats) == 1 and seats[0] in house and seats[0][0] not in ("DC", "PR"))
    rng = random.Random(2021)
    rows = []
    for number in range(letters // 3):
        zip_code = rng.choice(single)
        rows.append([f"Constituent {number}", f"{number} Example Street", "City",
                     zips[zip_code][0][0], zip_code])
    if letters % 3:
        rows += [[f"Constituent DC {n}", f"{n} Example Street NW", "Washington", "DC", "20001"]
                 for n in range(letters % 3)]
    with (folder / "recipients" / "bench-senders.csv").open("w", newline="",
                                                             encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "street", "city", "state", "zip"])
        writer.writerows(rows)
    text = (folder / "campaigns" / "cambodia-2021-constituent.yaml").read_text(encoding="utf-8")
    campaign = folder / "campaigns" / f"{CAMPAIGN}.yaml"
    campaign.write_text(text.replace("senders: constituents-2021", "senders: bench-senders"),
                        encoding="utf-8")
    return campaign


def _records(path: Path) -> list[dict[str, object]]:
    import yaml

    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["recipients"])


class Run:
    """One measured command: wall time and the peak memory of its whole process tree."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.command, self.cwd = command, cwd
        self.timeline: Timeline = []

    def __call__(self) -> tuple[float, float, str]:
        """Run the command once; return seconds, peak MB and its standard output."""
        start = time.perf_counter()
        process = subprocess.Popen(self.command, cwd=self.cwd, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        peak = [0]
        self.timeline = []
        sampling = threading.Thread(target=_sample, args=(process, peak, self.timeline),
                                    daemon=True)
        sampling.start()
        out, err = process.communicate()
        seconds = time.perf_counter() - start
        sampling.join()
        if process.returncode:
            raise SystemExit(f"{' '.join(self.command)} failed:\n{err}")
        return seconds, peak[0] / 1024, out


def _sample(process: subprocess.Popen[str], peak: list[int],
            timeline: Timeline) -> None:
    """Sum the resident memory of a process and its descendants every 50 ms."""
    start = time.perf_counter()
    while process.poll() is None:
        tree = sum(_rss(pid) for pid in _tree(process.pid))
        peak[0] = max(peak[0], tree)
        timeline.append((time.perf_counter() - start, tree, _rss(process.pid)))
        time.sleep(0.05)


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


MAIL_MERGE = r"""
import subprocess, sys, tempfile
from pathlib import Path
from docxtpl import DocxTemplate, Listing
template, jobs, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
import json
letters = json.loads(jobs.read_text())
docx_files = []
for letter in letters:
    document = DocxTemplate(template)
    document.render({"sender": Listing("\n".join(letter["sender"])),
                     "address": Listing("\n".join(letter["address"])),
                     "salutation": letter["salutation"],
                     "signature": Listing("Your constituent\n" + letter["name"])})
    path = out / (letter["stem"] + ".docx")
    document.save(path)
    docx_files.append(str(path))
# Two LibreOffice instances, each converting its half. One soffice call silently
# drops file arguments beyond about 250, so each instance converts 200 at a time.
import threading
def convert(files, profile):
    for start in range(0, len(files), 200):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *files[start:start + 200]],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
half = len(docx_files) // 2
threads = [threading.Thread(target=convert, args=(part, tempfile.mkdtemp()))
           for part in (docx_files[:half], docx_files[half:])]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(list(out.glob("*.pdf"))) == len(docx_files), "LibreOffice missed some files"
"""


def mail_merge_inputs(project: Path, campaign: Path, work: Path) -> tuple[Path, Path]:
    """Make a docxtpl template from one of our letters, and the merge data of every letter."""
    import zipfile

    from lxml import etree

    sys.path.insert(0, str(REPO))
    from advocacy import GenerateOptions, generate, plan

    planned = plan(campaign)
    options = GenerateOptions(output_dir=work / "template-source", jobs=1, formats=("docx",))
    first = generate(campaign, options).folder / f"{planned.letters[0].stem}.docx"
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    w = f"{{{namespace}}}"
    with zipfile.ZipFile(first) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    fields = {"Sender": "{{ sender }}", "Recipient": "{{ address }}",
              "Salutation": "{{ salutation }}", "Signature": "{{ signature }}"}
    for paragraph in root.iter(f"{w}p"):
        style = paragraph.find(f"{w}pPr/{w}pStyle")
        if style is not None and style.get(f"{w}val") in fields:
            for run in paragraph.findall(f"{w}r"):
                paragraph.remove(run)
            run = etree.SubElement(paragraph, f"{w}r")
            etree.SubElement(run, f"{w}t").text = fields[style.get(f"{w}val")]
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    template = work / "mail-merge-template.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    data = [{"stem": letter.stem, "sender": [letter.sender.name, *letter.sender.address]
             if letter.sender else [], "address": list(letter.address.lines),
             "salutation": letter.salutation, "name": letter.sender.name if letter.sender else ""}
            for letter in planned.letters]
    jobs = work / "mail-merge.json"
    jobs.write_text(json.dumps(data), encoding="utf-8")
    return template, jobs


@dataclass(frozen=True)
class Measured:
    """The median of several runs of one path."""

    label: str
    seconds: float
    runs: list[float]
    peak_mb: float


def _mail_merge(python: str, project: Path, campaign: Path, work: Path, runs: int) -> Measured:
    """Measure the mail merge, then check that it made the same letters."""
    template, jobs = mail_merge_inputs(project, campaign, work)
    merged = work / "merged"

    def clean_merge() -> None:
        shutil.rmtree(merged, ignore_errors=True)
        merged.mkdir()

    merge = median_of("mail merge", Run([python, "-c", MAIL_MERGE, str(template), str(jobs),
                                         str(merged)], project), runs, clean_merge)
    _check_merged(jobs, merged)
    return merge


def median_of(label: str, run: Run, runs: int, before: Callable[[], None]) -> Measured:
    """Run a command several times, each after ``before``; return the median."""
    results = []
    for _ in range(runs):
        before()
        results.append(run())
    return Measured(label, statistics.median(r[0] for r in results),
                    [round(r[0], 1) for r in results], max(r[1] for r in results))


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large", type=int, default=10_000, help="letters of the memory run")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--only-large", action="store_true",
                        help="measure only the memory run of --large letters")
    parser.add_argument("--skip-simple", action="store_true",
                        help="leave out the one-render-per-letter path (the slowest)")
    parser.add_argument("--skip-merge", action="store_true",
                        help="leave out the mail merge (then no ratio to it is given)")
    args = parser.parse_args()
    python = sys.executable
    if args.only_large:
        print(_large_line(args.large, _large(python, args.large)))
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        project = work / "project"
        campaign = make_project(project, args.letters)
        out = work / "out"
        generate = [python, "-m", "advocacy", "generate", str(campaign), "--output", str(out)]

        def clean() -> None:
            shutil.rmtree(out, ignore_errors=True)

        fast = median_of("fast", Run([*generate, "--jobs", "2"], project), args.runs, clean)
        # The simple path: each letter laid out whole, alone (private to the benchmark).
        simple_code = ("import sys; from pathlib import Path; from advocacy import api; "
                       "api._generate(Path(sys.argv[1]), api.GenerateOptions(output_dir="
                       "Path(sys.argv[2]), jobs=1), None, one_by_one=True)")
        simple = None if args.skip_simple else median_of(
            "simple", Run([python, "-c", simple_code, str(campaign), str(out)], project),
            args.runs, clean)
        merge = None if args.skip_merge else _mail_merge(python, project, campaign, work, args.runs)
        # Incremental runs, starting from a complete output.
        clean()
        Run([*generate, "--jobs", "2"], project)()
        before = _files(out / CAMPAIGN)
        # Cheap, so measured five times: the median, like the paths above.
        again = sorted((Run([*generate, "--jobs", "2"], project)() for _ in range(5)),
                       key=lambda measured: measured[0])
        unchanged = again[len(again) // 2]
        rewritten = sum(1 for k, v in _files(out / CAMPAIGN).items() if before.get(k) != v)
        senders = project / "recipients" / "bench-senders.csv"
        rows = senders.read_text(encoding="utf-8").splitlines()
        rows[1] = rows[1].replace("0 Example Street", "2 Example Street")
        senders.write_text("\n".join(rows) + "\n", encoding="utf-8")
        one_sender = Run([*generate, "--jobs", "2"], project)()
        # The statement changed, as often as a first run was measured: a new word each time.
        statement = project / "statements" / "joint-statement-2021-03-23.md"
        text = statement.read_text(encoding="utf-8")
        changed_runs = []
        for number in range(args.runs):
            statement.write_text(text.replace("We, the undersigned", f"We ({number}), the "
                                              "undersigned"), encoding="utf-8")
            changed_runs.append(Run([*generate, "--jobs", "2"], project)())
        all_again = sorted(changed_runs, key=lambda measured: measured[0])[len(changed_runs) // 2]
        preview = _preview(project, campaign)
        large = None if args.skip_large else _large(python, args.large)
    _report(args, fast, simple, merge, unchanged, rewritten, one_sender, all_again, large)
    print(f"- one letter on demand (preview, warm process, cover + shared enclosure): median "
          f"{statistics.median(preview):.2f} s of {len(preview)} letters (goal: under 0.5 s)")


# One letter on demand, as the web app asks for it: in a warm process (the campaign planned
# and one letter made before), each of the next letters made alone, in memory.
PREVIEW = r"""
import json, sys, time
from pathlib import Path
from advocacy import plan, preview
planned = plan(Path(sys.argv[1]))
preview(planned, planned.letters[0].stem)
times = []
for letter in planned.letters[1:8]:
    start = time.perf_counter()
    preview(planned, letter.stem)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def _preview(project: Path, campaign: Path) -> list[float]:
    """Return the seconds each of seven previews took in a warm process."""
    done = subprocess.run([sys.executable, "-c", PREVIEW, str(campaign)], cwd=project,
                          check=True, capture_output=True, text=True)
    return [float(seconds) for seconds in json.loads(done.stdout)]


def _check_merged(jobs: Path, merged: Path) -> None:
    """Make sure the mail merge wrote the same letters: sender, address and salutation."""
    letters = json.loads(jobs.read_text(encoding="utf-8"))
    for letter in (letters[0], letters[-1]):
        text = subprocess.run(["pdftotext", "-layout", str(merged / f"{letter['stem']}.pdf"),
                               "-"], check=True, capture_output=True, text=True).stdout
        for expected in (*letter["sender"], *letter["address"], letter["salutation"],
                         "Joint Statement on Alarming violations of human rights in Cambodia"):
            assert expected in text, f"the mail merge lost {expected!r} in {letter['stem']}"


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def _report(args: argparse.Namespace, fast: Measured, simple: Measured | None,
            merge: Measured | None,
            unchanged: tuple[float, float, str], rewritten: int,
            one_sender: tuple[float, float, str], all_again: tuple[float, float, str],
            large: Large | None) -> None:
    letters = args.letters
    print(f"Constituent campaign, {letters} letters (PDF + DOCX each), {os.cpu_count()} cores; "
          f"median of {args.runs} runs")
    print()
    print("| path | s per run (each run) | letters/s | s per letter | peak memory MB |")
    print("|---|---|---|---|---|")
    for row in (row for row in (fast, simple, merge) if row is not None):
        print(f"| {row.label} | {row.seconds:.1f} ({', '.join(map(str, row.runs))}) | "
              f"{letters / row.seconds:.1f} | {row.seconds / letters:.3f} | "
              f"{row.peak_mb:.0f} |")
    print()
    if merge:
        print(f"- fast vs mail merge (docxtpl + 2 LibreOffice): "
              f"{merge.seconds / fast.seconds:.1f}x faster (goal: 6x)")
    if simple:
        print(f"- fast vs simple (one render per letter, one process): "
              f"{simple.seconds / fast.seconds:.1f}x faster (goal: 5x)")
    print(f"- fast: {letters / fast.seconds:.1f} letters/s (goal: 60)")
    print(f"- second run, nothing changed: {unchanged[0]:.2f} s median of 5, {rewritten} files "
          "rewritten (goal: under 1 s, none)")
    print(f"- one sender's row changed: {one_sender[0]:.2f} s; "
          f"{one_sender[2].strip().splitlines()[0]}")
    print(f"- the statement changed: {all_again[0]:.2f} s median of {args.runs}, "
          f"{all_again[0] / fast.seconds:.2f} "
          f"times a first run (goal: at most 1); {all_again[2].strip().splitlines()[0]}")
    if large is not None:
        print(_large_line(args.large, large))


def _large(python: str, letters: int) -> Large:
    """Generate a campaign of many letters once; return seconds, peak MB and the timeline."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        big = make_project(work / "large", letters)
        run = Run([python, "-m", "advocacy", "generate", str(big), "--output",
                   str(work / "large-out"), "--jobs", "2"], work / "large")
        seconds, peak, _ = run()
        return seconds, peak, run.timeline


def _large_line(letters: int, large: Large) -> str:
    """Say the run's peak, and the peak of each tenth of its time: flat memory shows there."""
    seconds, peak, timeline = large
    tenths = [[sample for sample in timeline if int(10 * sample[0] / seconds) == tenth]
              for tenth in range(10)]
    tree = ", ".join(f"{max(s[1] for s in part) / 1024:.0f}" if part else "-" for part in tenths)
    main = ", ".join(f"{max(s[2] for s in part) / 1024:.0f}" if part else "-" for part in tenths)
    return (f"- {letters} letters: {seconds:.0f} s ({letters / seconds:.1f} letters/s), peak "
            f"memory {peak:.0f} MB for the whole process tree (goal: under 500)\n"
            f"  peak MB in each tenth of the run, whole tree: {tree}\n"
            f"  the main process alone: {main}")


if __name__ == "__main__":
    main()
