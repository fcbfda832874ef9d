"""Generate a project of N synthetic positions drawn from the sample data and libraries.

Usage: python benchmarks/generate.py N DEST [--seed S]

The positions mix the four sample positions' tasks, results and purposes,
pick rights, responsibilities, competencies (with variants) and units from
the libraries and the organization, and alternate officials and employees,
so each document has the size and variety of a real job description.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def generate(n: int, dest: Path, seed: int = 1) -> None:
    """Write a project with ``n`` positions into ``dest`` (replacing its data/)."""
    rng = random.Random(seed)
    data = ROOT / "data"
    if (dest / "data").exists():
        shutil.rmtree(dest / "data")
    shutil.copytree(data / "library", dest / "data" / "library")
    shutil.copy(data / "organization.yaml", dest / "data" / "organization.yaml")
    samples = [_load(p) for p in sorted((data / "positions").glob("*.yaml"))]
    library = {p.stem: _load(p) for p in (data / "library").glob("*.yaml")}
    units: list[str] = []

    def walk(tree: dict) -> None:
        for uid, unit in tree.items():
            units.append(uid)
            walk(unit.get("units", {}))

    walk(_load(data / "organization.yaml")["units"])
    tasks = [t for s in samples for t in s["tasks"]]
    competencies = library["competencies"]
    core = ["kliendikesksus", "asjatundlikkus", "koostoovoime", "efektiivsus"]
    extra = [c for c in competencies if c not in core]
    out = dest / "data" / "positions"
    out.mkdir(parents=True)
    for i in range(n):
        base = samples[i % len(samples)]
        position = dict(base)
        position["title"] = f"{base['title']} {i}"
        position["unit"] = rng.choice(units)
        position["employment"] = rng.choice(["ametnik", "töötaja"])
        position["tasks"] = rng.sample(tasks, rng.randint(10, 15))
        position["rights"] = rng.sample(sorted(library["rights"]), rng.randint(4, 6))
        position["responsibilities"] = rng.sample(sorted(library["responsibilities"]), 5)
        picked = []
        for cid in rng.sample(extra, rng.randint(6, 9)):
            variants = list(competencies[cid].get("variants", {}))
            picked.append(
                {"ref": cid, "variant": variants[0]} if variants and rng.random() < 0.5 else cid
            )
        requirements = dict(base["requirements"])
        requirements["competencies"] = picked
        position["requirements"] = requirements
        if rng.random() < 0.2:
            position.pop("work_tools", None)
        text = yaml.safe_dump(position, allow_unicode=True, sort_keys=False, width=100)
        (out / f"ametikoht-{i:05d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.n, args.dest, args.seed)


if __name__ == "__main__":
    main()
