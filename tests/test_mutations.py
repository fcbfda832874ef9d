"""The mutation corpus (tests/mutations.py): every variant imports at word fidelity >= 0.97.

A variant is either read (imported, built, and its words compared with the
variant's own text) or, where it is genuinely no job description (a section
every one has is missing), refused with a located, explained message.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import POSITIONS, REPO, run, working_folder
from mutations import REFERENCE, Variant, docx_variants, text_variants
from test_variants import VARIANTS, make_variant
from wordmatch import ratio

MIN_RATIO = 0.97
#: forms of tests/test_variants.py whose DOCX is mutated too
FORMS = (
    "extra-section",
    "languages",
    "signatures-three",
    "signatures-two-line-title",
    "task-lists",
)
#: a refusal names the file and where: "file:line: …" (text) or "… (paragraph N)" (DOCX)
LOCATED = re.compile(r"^\S+?:(?:\d+:\d*:? .+|.+\(paragraph \d+\))")


@dataclass
class Outcome:
    """What became of one variant."""

    variant: Variant
    ratio: float | None = None
    refusal: str = ""

    @property
    def ok(self) -> bool:
        if self.variant.unreadable:
            return bool(LOCATED.match(self.refusal)) and "\n    hint: " in self.refusal
        return self.ratio is not None and self.ratio >= MIN_RATIO

    def __str__(self) -> str:
        got = f"{self.ratio:.4f}" if self.ratio is not None else self.refusal.strip()
        return f"{self.variant.name}: {got}"


def try_variant(project: Path, variant: Variant) -> Outcome:
    """Import ``variant`` into ``project``, build it and compare the words."""
    source = project.parent / f"variant{variant.suffix}"
    source.write_bytes(variant.data)
    target = project / "data" / "positions" / "variant.yaml"
    result = run("import", str(source), "-o", str(target), "--force")
    if result.exit_code != 0:
        return Outcome(variant, refusal=result.stderr)
    built = run("build", "variant", "--format", "docx")
    if built.exit_code != 0:
        return Outcome(variant, refusal="built with problems: " + built.stderr)
    return Outcome(variant, ratio(project / "out" / "variant.docx", source))


def _built(project: Path) -> dict[str, bytes]:
    """Return the DOCX of each sample position and form, built in ``project``."""
    built = {}
    for pid in POSITIONS:
        assert run("build", pid, "--format", "docx").exit_code == 0
        built[pid] = (project / "out" / f"{pid}.docx").read_bytes()
    for form in FORMS:
        built[form] = (make_variant(project, form) / f"{form}.docx").read_bytes()
    return built


def sources(project: Path) -> Iterator[tuple[str, list[Variant]]]:
    """Yield each source document's name and variants: reference texts, then our DOCX."""
    for pid in POSITIONS:
        path = REFERENCE / f"{pid}.txt"
        yield f"{pid}.txt", list(text_variants(pid, path.read_text(encoding="utf-8")))
    built = _built(project)
    _library_only(project)
    for pid in built:
        yield f"{pid}.docx", list(docx_variants(pid, built[pid]))


def _library_only(project: Path) -> None:
    """Remove the positions and outputs: the variants are read and built alone."""
    for path in (project / "data" / "positions").glob("*.yaml"):
        path.unlink()
    shutil.rmtree(project / "out", ignore_errors=True)


def corpus_project(root: Path) -> None:
    """Make the project the variants are imported into: the sample's data, and a layout
    that requires nothing, so that a variant without a section builds too."""
    shutil.copytree(REPO / "data", root / "data")
    layouts = root / "templates" / "layouts"
    layouts.mkdir(parents=True)
    (layouts / "korpus.yaml").write_text(
        "extends: standard\npolicy: {preset: none}\n", encoding="utf-8"
    )
    (root / "ametijuhend.yaml").write_text("layout: korpus\n", encoding="utf-8")


@pytest.fixture(scope="module")
def workplace() -> Iterator[tuple[Path, dict[str, bytes]]]:
    """Return a project with the library only, and the DOCX the variants are made from.

    Each source's variants are tried by its own test, so that the tests of this
    module can run on several workers without each trying every variant.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        corpus_project(root)
        with working_folder(root):
            built = _built(root)
            _library_only(root)
        yield root, built


def _variants(name: str, built: dict[str, bytes]) -> list[Variant]:
    stem, kind = name.rsplit(".", 1)
    if kind == "txt":
        return list(text_variants(stem, (REFERENCE / name).read_text(encoding="utf-8")))
    return list(docx_variants(stem, built[stem]))


SOURCES = [f"{name}.{kind}" for kind in ("txt", "docx") for name in POSITIONS] + [
    f"{form}.docx" for form in FORMS
]
assert set(FORMS) <= set(VARIANTS)


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES)
def test_every_variant_imports_or_is_refused_where_it_should(
    workplace: tuple[Path, dict[str, bytes]], source: str
) -> None:
    root, built = workplace
    with working_folder(root):
        outcomes = [try_variant(root, v) for v in _variants(source, built)]
    assert len(outcomes) >= 17  # 7-8 drops, 5-6 swaps, 3 heading forms, the signature …
    failed = [str(o) for o in outcomes if not o.ok]
    assert not failed, "\n".join(failed)
    # a variant that must be refused is refused, not read into something else
    assert all(o.refusal for o in outcomes if o.variant.unreadable)


def test_the_corpus_covers_every_kind_of_change(workplace: tuple[Path, dict[str, bytes]]) -> None:
    variants = [v for name in SOURCES for v in _variants(name, workplace[1])]
    kinds = {v.name.split(":", 1)[1].split("-")[0] for v in variants}
    assert kinds >= {
        "drop",
        "swap",
        "unnumbered",
        "renumbered",
        "sentence",
        "unnamed",
        "languages",
        "results",
    }


def run_corpus(verbose: bool = False) -> tuple[int, int, int]:
    """Run the corpus outside pytest; return (variants, read at >= 0.97, refused as expected)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        corpus_project(root)
        total = good = refused = 0
        ratios: list[float] = []
        with working_folder(root):
            for name, variants in sources(root):
                for variant in variants:
                    outcome = try_variant(root, variant)
                    total += 1
                    if outcome.ratio is not None:
                        ratios.append(outcome.ratio)
                    if outcome.ok and variant.unreadable:
                        refused += 1
                    elif outcome.ok:
                        good += 1
                    if verbose and (not outcome.ok or variant.unreadable):
                        mark = "refused" if outcome.ok else "FAILED"
                        print(f"{mark} {outcome}".splitlines()[0])
                if verbose:
                    print(f"{name}: {len(variants)} variants")
    if verbose:
        print(f"{total} variants: {good} read at >= {MIN_RATIO}, {refused} refused as expected")
        if ratios:
            print(f"word fidelity of those read: lowest {min(ratios):.4f}")
    return total, good, refused
