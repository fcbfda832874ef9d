"""Benchmark: the near-identical check over a large library.

Run: .venv/bin/python benchmarks/library_hygiene.py [ENTRIES]   (default 20,000)

Comparing every pair of entries grew with the square of the library (2,000
entries: 24 s, 20,000: hours). The check now compares only pairs that share a
blocking key (two words one or two apart; single words for short texts), so
the target is a library of 20,000 entries in under 10 seconds. The texts are
drawn from the words of the sample data, with one drifted copy in every 50
that must be found.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from ametijuhend_cli.organization.hygiene import near_identical

TARGET_SECONDS = 10.0


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    data = Path(__file__).resolve().parent.parent / "data"
    corpus = " ".join(p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yaml")))
    words = sorted(set(re.findall(r"[a-zõäöüšž]{3,}", corpus.lower())))
    rng = random.Random(1)
    texts = {
        f"e{i}": " ".join(rng.choice(words) for _ in range(rng.randint(5, 25))) for i in range(n)
    }
    drifted = {f"d{i}": texts[f"e{i}"].replace(" ", ", ", 1) + " jne" for i in range(0, n, 50)}
    texts.update(drifted)
    start = time.perf_counter()
    pairs = near_identical(texts)
    seconds = time.perf_counter() - start
    found = {later for _, later in pairs}
    print(f"{len(texts)} entries: {len(pairs)} near-identical pairs in {seconds:.2f} s")
    if not set(drifted) <= found:
        print(f"FAIL: missed {sorted(set(drifted) - found)}")
        return 1
    if seconds > TARGET_SECONDS:
        print(f"FAIL: slower than the target of {TARGET_SECONDS} s")
        return 1
    print(f"ok (target {TARGET_SECONDS} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
