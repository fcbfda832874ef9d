"""Benchmark: the library hygiene of validate (near-identical, cut-off and reordered entries).

Run: .venv/bin/python benchmarks/library_hygiene.py [ENTRIES ...]   (default 1000 5000 20000)

Every check must grow with the library, not with its square. Random texts do
not show it: a real library's rights open alike ("teha ettepanekuid …",
"saada …", "osaleda …"), and a check that pairs texts by a shared opening
pairs them all (round two: 5,000 entries put 12.5 million pairs into the
candidate set, and validate took 75 s). So the library here is shaped like a
real one: a few dozen openings shared by hundreds of entries each, tails of
two to twenty words from the sample data, and one drifted copy in every 50
(a word changed, a comma, the end cut off, the words reordered), each of
which must be found. The target: 20,000 entries in under 5 seconds, and
growth close to linear (20,000 entries at most 40 times 1,000; quadratic would be 400).
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from ametijuhend_cli.organization.hygiene import near_identical, reordered, truncated

TARGET_SECONDS = 5.0
#: How much longer 20 times the entries may take (linear: 20; quadratic: 400).
MAX_GROWTH = 40.0

#: Openings real rights, responsibilities and clauses share.
OPENINGS = [
    "teha ettepanekuid",
    "teha ettepanekuid ameti töö korraldamiseks",
    "saada",
    "saada tööülesannete täitmiseks vajalikku",
    "osaleda",
    "osaleda oma pädevuse piires",
    "esindada ametit",
    "kasutada",
    "kasutada tööülesannete täitmiseks",
    "anda arvamusi",
    "vastutab",
    "vastutab talle pandud tööülesannete",
    "tagada",
    "korraldada",
    "koostada ja esitada",
    "nõuda",
    "kaasata",
    "teavitada vahetut juhti",
    "omab õigust",
    "ametijuhendit muudetakse",
]


def library(n: int, seed: int = 1) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Return ``n`` entries shaped like a real library, and the drifted copies by check."""
    data = Path(__file__).resolve().parent.parent / "data"
    corpus = " ".join(p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yaml")))
    words = sorted(set(re.findall(r"[a-zõäöüšž]{3,}", corpus.lower())))
    rng = random.Random(seed)
    texts: dict[str, str] = {}
    for i in range(n):
        tail = " ".join(rng.choice(words) for _ in range(rng.randint(2, 20)))
        texts[f"e{i}"] = f"{rng.choice(OPENINGS)} {tail}"
    drifted: dict[str, set[str]] = {"near": set(), "cut": set(), "order": set()}
    for i in range(0, n, 50):
        source = texts[f"e{i}"].split()
        kind = ("near", "cut", "order")[(i // 50) % 3]
        if kind == "near":  # one word changed, a comma: a copy edited
            k = rng.randrange(len(source))
            copy = [*source[:k], source[k][:-1] + "a", *source[k + 1 :]]
            text = ", ".join([" ".join(copy[:2]), " ".join(copy[2:])])
        elif kind == "cut" and len(source) >= 6:  # the end cut off
            text = " ".join(source[: len(source) - 2])
        elif kind == "order" and len(source) >= 3:  # the same words in another order
            text = " ".join(source[1:] + source[:1])
        else:
            continue
        texts[f"d{i}"] = text
        drifted[kind].add(f"d{i}")
    return texts, drifted


def measure(n: int) -> tuple[float, list[str]]:
    """Return the seconds the checks take on a library of ``n`` entries, and what they missed."""
    texts, drifted = library(n)
    start = time.process_time()
    found = {
        "near": {later for _, later in near_identical(texts)},
        "cut": {later for pair in truncated(texts) for later in pair},
        "order": {later for _, later in reordered(texts)},
    }
    seconds = time.process_time() - start
    missed = [d for kind, ids in drifted.items() for d in sorted(ids - found[kind])]
    return seconds, missed


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000, 20000]
    times = {}
    failed = False
    for n in sizes:
        seconds, missed = measure(n)
        times[n] = seconds
        print(f"{n:6d} entries: {seconds:6.2f} s" + (f"; MISSED {missed[:5]}" if missed else ""))
        failed = failed or bool(missed)
    largest = max(sizes)
    if largest >= 20000 and times[largest] > TARGET_SECONDS:
        print(f"FAIL: {largest} entries slower than the target of {TARGET_SECONDS} s")
        failed = True
    if min(sizes) * 20 <= largest:
        growth = times[largest] / max(times[min(sizes)], 1e-3)
        ratio = largest / min(sizes)
        print(f"growth: {growth:.1f} times for {ratio:.0f} times the entries")
        if growth > MAX_GROWTH * ratio / 20:
            print("FAIL: the checks grow faster than the library")
            failed = True
    print("FAIL" if failed else f"ok (target {TARGET_SECONDS} s at 20,000 entries)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
