"""Benchmark: plan a constituent campaign of 100,000 senders (issue 4).

Senders are generated from real ZIP codes of the crosswalk (invented names and
streets). Each run is a fresh process, so loading the recipient data counts.
Reports the median time of several runs and the peak memory (max RSS).

    python benchmarks/plan_constituents.py [--senders 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FOLDERS = ("campaigns", "statements", "signatories", "recipients")  # templates: the package's

ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from advocacy.api import plan as make_plan
plan = make_plan(Path(sys.argv[1]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "letters": len(plan.letters),
                  "attention": len(plan.unwritten), "peak_mb": peak}))
"""


def make_project(folder: Path, senders: int) -> Path:
    """Copy the example project and add a campaign with generated senders."""
    for name in FOLDERS:
        shutil.copytree(REPO / name, folder / name)
    with (REPO / "recipients" / "us-zip-districts.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(line for line in stream if not line.startswith("#")))
    rng = random.Random(2021)
    with (folder / "recipients" / "bench-senders.csv").open("w", newline="",
                                                             encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "street", "city", "state", "zip"])
        for number in range(senders):
            row = rng.choice(rows)
            writer.writerow([f"Constituent {number}", f"{number} Example Street", "City",
                             row["state"], row["zip"]])
    campaign = folder / "campaigns" / "bench.yaml"
    campaign.write_text(
        "title: Benchmark\ndate: 2021-03-23\nrecipients: [{from: us-senate}, {from: us-house}]\n"
        "senders: bench-senders\nbody: I am one of your constituents.\n", encoding="utf-8")
    return campaign


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        campaign = make_project(Path(folder), args.senders)
        results = [json.loads(subprocess.run([sys.executable, "-c", ONE_RUN, str(campaign)],
                                             check=True, capture_output=True,
                                             text=True).stdout) for _ in range(args.runs)]
    seconds = [r["seconds"] for r in results]
    print(f"Planning a constituent campaign of {args.senders:,} senders "
          f"({results[0]['letters']:,} letters, {results[0]['attention']:,} needing attention)")
    print("| runs | median s | min s | max s | peak memory MB |")
    print("|---|---|---|---|---|")
    print(f"| {args.runs} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
          f"{max(seconds):.2f} | {max(r['peak_mb'] for r in results):.0f} |")


if __name__ == "__main__":
    main()
