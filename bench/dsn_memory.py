"""Memory per packet in flight in the DSN, with 100,000 in flight.

Measured with tracemalloc over the DSN's delay line holding housekeeping-sized packets
(64 bytes, the size of an SID 1 report), as they sit during a long light time.

    .venv/bin/python bench/dsn_memory.py
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepspace.delay_line import DelayLine

IN_FLIGHT = 100_000
PACKET_BYTES = 64


def main() -> None:
    topic = "rovers/zhurong/earth/tm"  # one string shared by every packet, as in the DSN
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    line = DelayLine()
    for n in range(IN_FLIGHT):
        line.put(1_000_000.0 + n * 0.01, topic, n.to_bytes(4, "big") + bytes(PACKET_BYTES - 4))
    after = tracemalloc.take_snapshot()
    used = sum(s.size_diff for s in after.compare_to(before, "filename"))
    print(f"{len(line):,} packets of {PACKET_BYTES} B in flight: {used / 2**20:.1f} MiB, "
          f"{used / IN_FLIGHT:.0f} B per packet ({used / IN_FLIGHT - PACKET_BYTES:.0f} B "
          "overhead beyond the payload)")


if __name__ == "__main__":
    main()
