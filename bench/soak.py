"""A longer kill -9 soak: the CI fault trial, with many more kills and a fresh seed each run.

Run: `.venv/bin/python -m bench.soak [--trials 200] [--seed N]`. Prints the trial's figures
(duplicates, lost, reminders cut off mid-send) and whether the invariants held.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=random.randrange(1, 10**6))
    args = parser.parse_args()
    env = dict(os.environ, RUNLIFT_KILL_TRIALS=str(args.trials), RUNLIFT_KILL_SEED=str(args.seed))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/faults/test_kill9.py",
            "-k",
            "random_moments",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "--timeout",
            str(60 + 10 * args.trials),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("kill -9 trials")]
    print(*(lines or ["kill -9 soak: no figures (see pytest output below)"]), sep="\n")
    print(f"invariants held (0 duplicates, 0 lost): {'yes' if result.returncode == 0 else 'NO'}")
    if result.returncode != 0:
        print(result.stdout[-3000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
