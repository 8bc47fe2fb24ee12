"""Instructions per edition of each stage, counted by valgrind: a figure a busy machine does
not move, for comparing two versions of slidegen when timings are noise.

Run from the project root: ``python benchmarks/instructions.py [--stages layout,pptx]``
(``invoke bench --instructions``). Needs valgrind; takes a few minutes (valgrind runs
Python some fifty times slower).

For each stage, a child process lays out (and renders) two editions of the seed `rounds`
times under ``valgrind --tool=callgrind``, once with one round and once with three; the
difference, divided by the four editions it adds, is what one more edition costs, without
Python's start, imports and first-use caches. ``PYTHONHASHSEED`` is fixed, so a run counts
the same instructions every time (to a few parts in a thousand). Compare versions by
running this script from each checkout (or with ``PYTHONPATH`` pointing at one's ``src``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
STAGES = ("layout", "pptx", "handout", "slides")

#: The child: lays out the seed's first two editions once (imports, caches), then `rounds`
#: more times, rendering `stage` each time (nothing for "layout").
_CHILD = r"""
import sys
import slidegen
seed, cache, stage, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
langs = sys.argv[5].split(",")
editions = [slidegen.edition(seed, lang, cache_dir=cache) for lang in langs]
for edition in editions:
    plan = slidegen.make_plan(edition)
    if stage != "layout":
        slidegen.render(plan, stage)
for _ in range(rounds):
    for edition in editions:
        plan = slidegen.make_plan(edition)
        if stage != "layout":
            slidegen.render(plan, stage)
"""


def _count(stage: str, rounds: int, cache: Path, langs: list[str]) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "SLIDEGEN_DAEMON": "off"}
    child = [sys.executable, "-c", _CHILD, str(SEED), str(cache), stage, str(rounds)]
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *child, ",".join(langs)],
        capture_output=True, text=True, env=env, check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    """Print the instructions one more edition costs, per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stages", default=",".join(STAGES), help=f"comma-separated, of {', '.join(STAGES)}"
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return 0
    import slidegen

    translations = sorted(SEED.parent.glob(SEED.stem + ".*.yaml"))  # .es.yaml, .fr.yaml, ...
    langs = ["en", *[t.name.split(".")[-2] for t in translations]][:2]
    where = Path(slidegen.__file__).parent
    print(f"# Instructions per edition (valgrind; slidegen from {where})\n")
    print("| stage | M instructions per edition |")
    print("|---|---:|")
    with tempfile.TemporaryDirectory(prefix="slidegen-instructions-") as tmp:
        cache = Path(tmp) / "cache"
        # the references cache filled first, without valgrind: else the first count alone
        # would pay for formatting them
        subprocess.run(
            [sys.executable, "-c", _CHILD, str(SEED), str(cache), "layout", "0", ",".join(langs)],
            check=True, env={**os.environ, "SLIDEGEN_DAEMON": "off"},
        )
        for stage in args.stages.split(","):
            one, three = (_count(stage, n, cache, langs) for n in (1, 3))
            added = (three - one) / (2 * len(langs))
            print(f"| {stage}{'' if stage == 'layout' else ' (with its layout)'} | "
                  f"{added / 1e6:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
