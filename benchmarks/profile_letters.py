"""Where a letter's time goes: profile the fast path in one process and print a table.

The constituent campaign scaled to N letters (as generate_speed.py makes it) is
generated once in this process (jobs=1, so the profiler sees the workers' work),
and the time is split by stage: the cumulative time of the functions named in
STAGES, which never call one another (so no time is counted twice).

Then, without the profiler, the floor WeasyPrint sets: the same campaign's first
25 cover letters laid out in one plain WeasyPrint document and written as one PDF,
nothing of this project around them (median of 5). No path that lays out each
cover with WeasyPrint can make letters faster than that on this machine.

    python benchmarks/profile_letters.py [--letters 150]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_speed

# (stage, the function whose cumulative time is the stage's), most specific first.
STAGES = [
    ("lay out covers (WeasyPrint)", "pdf_batch.py", "lay_out_covers"),
    ("lay out shared enclosures (WeasyPrint)", "pdf_batch.py", "lay_out_enclosure"),
    ("write PDF files (WeasyPrint, pydyf)", "pdf_batch.py", "write_letters"),
    ("write DOCX files (python-docx, zip)", "docx.py", "write_letter"),
    ("compose HTML (Jinja, Markdown)", "composer.py", "compose"),
    ("validate and plan", "planning.py", "plan_file"),
    ("hash inputs, keep unchanged letters", "cache.py", "input_hashes"),
]


def main() -> None:
    """Profile one run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        campaign = generate_speed.make_project(Path(folder), args.letters)
        os.chdir(folder)
        from advocacy import api

        options = api.GenerateOptions(output_dir=Path(folder) / "out", jobs=1)
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.runcall(api.generate, campaign, options)
        wall = time.perf_counter() - start
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(entry[3] for entry in stats.values())
    print(f"{args.letters} letters (PDF + DOCX), one process: {wall:.1f} s, "
          f"{wall / args.letters * 1000:.0f} ms a letter\n")
    print("| stage | share of the time | ms a letter |")
    print("|---|---|---|")
    counted = 0.0
    for label, file, function in STAGES:
        seconds = sum(entry[3] for (path, _, name), entry in stats.items()
                      if path.endswith(file) and name == function)
        counted += seconds
        print(f"| {label} | {seconds / total:.0%} | {seconds / args.letters * 1000:.0f} |")
    rest = total - counted
    print(f"| the rest (output folder, manifest, start-up of the run) | {rest / total:.0%} | "
          f"{rest / args.letters * 1000:.0f} |")
    with tempfile.TemporaryDirectory() as folder:
        campaign = generate_speed.make_project(Path(folder), COVERS)
        layout, write = weasyprint_floor(campaign)
    cores = os.cpu_count() or 1
    print(f"\nWeasyPrint alone, {COVERS} of these covers in one document (median of 5): "
          f"{layout:.0f} ms a cover to lay out and {write:.0f} ms to write, so at most "
          f"{cores * 1000 / (layout + write):.0f} letters/s on {cores} cores from covers alone")


COVERS = 25  # covers a batch document holds (build/run.py CHUNK)


def weasyprint_floor(campaign: Path, runs: int = 5) -> tuple[float, float]:
    """Return the median ms a cover that plain WeasyPrint takes to lay out and to write."""
    from weasyprint import HTML

    from advocacy.compose.composer import Composer
    from advocacy.compose.document import letter_document, parse_letter, to_html
    from advocacy.planning import plan_file

    planned = plan_file(campaign)
    composer = Composer(planned.inputs)
    covers = [letter_document(letter.stem, letter.paper, letter.language, letter.date,
                              composer.compose(letter)).cover
              for letter in planned.letters[:COVERS]]
    tree = parse_letter(covers[0])
    body = tree.find("body")
    for child in list(body):
        body.remove(child)
    for cover in covers:  # each cover on its own page, as in a batch
        page = parse_letter(cover).find("body")
        page.tag, page.attrib["style"] = "div", "break-before: page"
        body.append(page)
    html = to_html(tree)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        document = HTML(string=html, base_url=str(planned.inputs.project.templates)).render()
        laid_out = time.perf_counter()
        document.write_pdf()
        timings.append((laid_out - start, time.perf_counter() - laid_out))
    layout = sorted(t[0] for t in timings)[runs // 2] * 1000 / len(covers)
    write = sorted(t[1] for t in timings)[runs // 2] * 1000 / len(covers)
    return layout, write


if __name__ == "__main__":
    main()
