"""The chaos run, several times in a row, with its figures (see tests/support/chaos.py).

Ground, DSN and rover as processes on Mosquitto; operators submit commands while the broker,
the DSN, the ground and the rover are each SIGKILLed and restarted in turn; then every command
is checked to have ended once.

    .venv/bin/python bench/chaos.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.chaos import run_chaos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    clean = True
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="roverops-chaos-") as directory:
            figures = run_chaos(Path(directory))
        print(f"run {run}: {figures.summary()}", flush=True)
        clean &= (figures.lost == figures.timed_out == figures.executed_twice
                  == figures.never_executed == figures.duplicate_samples
                  == figures.duplicate_events == 0 and not figures.failed_otherwise)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
