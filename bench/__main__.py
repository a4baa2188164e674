"""Runs every benchmark in turn: `.venv/bin/python -m bench` (add `--quick` for a smaller run).

The full run takes about twenty minutes on two cores; the reminder fan-out alone needs ≥ 333 s to
drain 10,000 reminders at Telegram's 30 messages/s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs, about a minute")
    quick = parser.parse_args().quick
    runs = [
        ["bench.planner"],
        ["bench.conversation", "--runners", "100" if quick else "1000"],
        ["bench.fanout", "--runners", "300" if quick else "10000"],
        ["bench.footprint", "--runners", "1000" if quick else "10000"],
        ["bench.chart_latency", "--charts", "5" if quick else "20"],
        ["bench.soak", "--trials", "20" if quick else "200"],
        ["bench.replicas", "--runners", "24" if quick else "60"],
    ]
    for module, *args in runs:
        print(f"\n== {module} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, "-m", module, *args], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
