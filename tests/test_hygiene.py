"""Library hygiene: unused entries and near-identical texts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli.organization.hygiene import near_identical, reordered, similarity, truncated
from conftest import REPO, edit, run

TODAY = "2025-02-01"


def warnings(strict: bool = False) -> list[str]:
    """Return the warning lines (hints left out) of a validate run that passes."""
    result = run("validate", "--today", TODAY, *(["--strict"] if strict else []))
    assert result.exit_code == (1 if strict else 0), result.stderr
    return [line for line in result.stderr.splitlines() if not line.startswith("    ")]


def test_unused_entry(org: Path) -> None:
    path = org / "data/library/rights.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "lapsehoid: viia laps lasteaeda tööajal\n",
        encoding="utf-8",
    )
    result = run("validate", "--today", TODAY)
    assert result.stderr == (
        "data/library/rights.yaml:3:1: warning: lapsehoid: no position uses the right "
        "'lapsehoid'\n"
        "    hint: remove it, or use it in a position\n"
    )
    assert result.stdout == "ok: 3 positions, 1 warning\n"
    strict = run("validate", "--today", TODAY, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.endswith(
        "1 problem in 1 file (warnings count under --strict); nothing was written\n"
    )


def test_unused_competency_and_clause(org: Path) -> None:
    edit(
        org / "data/library/competencies.yaml",
        "koostoovoime:",
        "loovus:\n  name: Loovus\n  indicators: [Pakub uusi lahendusi.]\nkoostoovoime:",
    )
    edit(org / "data/library/clauses.yaml", "ulevaatamine:", "muutmine: Muudetakse.\nulevaatamine:")
    assert warnings() == [
        "data/library/clauses.yaml:1:1: warning: muutmine: no position uses the clause 'muutmine'",
        "data/library/competencies.yaml:6:1: warning: loovus: no position uses the competency "
        "'loovus'",
    ]


def _responsibilities(org: Path, entries: dict[str, str]) -> None:
    path = org / "data/library/responsibilities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "".join(f"{key}: {text}\n" for key, text in entries.items()),
        encoding="utf-8",
    )
    edit(
        org / "data/positions/juhataja.yaml",
        "responsibilities: [riigi-vara]",
        f"responsibilities: [riigi-vara, {', '.join(entries)}]",
    )


def test_near_identical_texts(org: Path) -> None:
    # the drift of the reference documents: "ja" in one copy, "ning" in another
    _responsibilities(
        org,
        {
            "infosusteemid": "andmebaaside ja infosüsteemide turvalise ning sihipärase "
            "kasutamise eest",
            "andmebaasid": "andmebaaside ja infosüsteemide turvalise ja sihipärase kasutamise eest",
        },
    )
    result = run("validate", "--today", TODAY)
    assert result.stderr == (
        "data/library/responsibilities.yaml:3:1: warning: andmebaasid: the responsibility "
        "'andmebaasid' is nearly identical to 'infosusteemid' (line 2); differing words: "
        "'ning' / 'ja'\n"
        "    hint: use one wording for new and revised documents: 'infosusteemid' or "
        "'andmebaasid'; documents already signed keep theirs until they are revised\n"
    )


def test_the_same_text_twice(org: Path) -> None:
    _responsibilities(
        org, {"vara": "Tööülesannete täitmiseks antud riigi vara heaperemeheliku kasutamise eest."}
    )
    assert warnings() == [
        "data/library/responsibilities.yaml:2:1: warning: vara: the responsibility 'vara' is "
        "the same text as 'riigi-vara' (line 1)"
    ]


def test_competency_copied_under_the_same_name(org: Path) -> None:
    # an abridged copy: the reference documents' drift that variants replace
    edit(
        org / "data/library/competencies.yaml",
        "koostoovoime:",
        "kliendikesksus-luhike:\n  name: Kliendikesksus\n"
        "  indicators: [Suhtleb klientidega sõbralikult.]\nkoostoovoime:",
    )
    edit(
        org / "data/positions/spetsialist-b.yaml",
        "core_competencies: [kliendikesksus]",
        "core_competencies: [kliendikesksus-luhike]",
    )
    result = run("validate", "--today", TODAY)
    assert result.stderr == (
        "data/library/competencies.yaml:6:1: warning: kliendikesksus-luhike: the competency "
        "'kliendikesksus-luhike' has the same name as 'kliendikesksus' (line 1)\n"
        "    hint: use one wording for new and revised documents: 'kliendikesksus' or "
        "'kliendikesksus-luhike'; documents already signed keep theirs until they are "
        "revised; an abridged form is a variant of the full one (variants: …)\n"
    )


def test_same_words_in_another_order(org: Path) -> None:
    _responsibilities(
        org,
        {
            "otsused": "võtta vastu otsuseid oma pädevuse piires",
            "otsused-2": "vastu võtta otsuseid oma pädevuse piires",
        },
    )
    result = run("validate", "--today", TODAY)
    assert result.stderr == (
        "data/library/responsibilities.yaml:3:1: warning: otsused-2: the responsibility "
        "'otsused-2' has the words of 'otsused' in another order (line 2); differing words: "
        "'võtta vastu' / 'vastu võtta'\n"
        "    hint: use one wording for new and revised documents: 'otsused' or 'otsused-2'; "
        "documents already signed keep theirs until they are revised\n"
    )


@pytest.mark.parametrize("longer_first", [True, False], ids=["cut-later", "cut-earlier"])
def test_a_text_with_its_end_cut_off(org: Path, longer_first: bool) -> None:
    full = "ameti maine hoidmise eest enda poolt vahendatavas teabes ja oma tegevustes"
    cut = "ameti maine hoidmise eest enda poolt vahendatavas teabes"
    texts = {"maine": full, "maine-2": cut} if longer_first else {"maine": cut, "maine-2": full}
    _responsibilities(org, texts)
    what = "is, with its end cut off," if longer_first else "is, with words added at the end,"
    words = "'ja oma tegevustes' / (none)" if longer_first else "(none) / 'ja oma tegevustes'"
    assert warnings() == [
        f"data/library/responsibilities.yaml:3:1: warning: maine-2: the responsibility "
        f"'maine-2' {what} 'maine' (line 2); differing words: {words}"
    ]


def test_short_texts_are_no_cut_and_other_words_no_reorder() -> None:
    texts = {
        "a": "teha kaugtööd",
        "b": "teha kaugtööd kokkuleppel vahetu juhiga",
        "c": "osaleda koolitustel",
        "d": "koolitustel osaleda aktiivselt",
    }
    assert truncated(texts) == [] and reordered(texts) == []
    assert reordered({"x": "a b c", "y": "c b a", "z": "A, b c"}) == [("x", "y")]


def test_the_reference_drift_is_near_identical() -> None:
    a = "isikuandmete ning juurdepääsupiiranguga teabe ja konfidentsiaalse info hoidmise eest"
    b = "isikuandmete, juurdepääsupiiranguga teabe ning konfidentsiaalse info hoidmise eest"
    assert similarity(a, b) >= 0.9
    assert similarity("Teha kaugtööd.", "teha  kaugtööd") == 1.0


def test_no_false_alarms_in_the_sample_libraries() -> None:
    # of all the sample's library texts, only the one real drift is flagged
    found = {}
    for path in sorted((REPO / "data/library").glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = {
            key: value
            if isinstance(value, str)
            else " ".join([value["name"], *value["indicators"]])
            for key, value in entries.items()
        }
        found[path.stem] = near_identical(texts)
    assert {kind: pairs for kind, pairs in found.items() if pairs} == {
        "rights": [("osaleda-ja-esindada", "esindada")]
    }


def test_hygiene_waits_for_the_errors(org: Path) -> None:
    # a position that fails to load would make its library entries look unused
    edit(org / "data/positions/juhataja.yaml", "unit: osakond", "unit: [osakond")
    result = run("validate", "--today", TODAY)
    assert "koolitus" not in result.stderr
    assert result.stderr.endswith("1 problem in 1 file; nothing was written\n")


# -- the index of the near-identical check (issue 13): same pairs, in seconds --

DRIFTS = [
    # (original, drifted copy): the edits a copied library text goes through
    (
        "hoiab ametialase teabe konfidentsiaalsena ja kasutab seda sihipäraselt",
        "hoiab ametialase teabe konfidentsiaalsena ning kasutab seda sihipäraselt",
    ),
    (
        "vastutab talle usaldatud vara heaperemeheliku kasutamise eest",
        "vastutab talle usaldatud vara heaperemeheliku ja säästliku kasutamise eest",
    ),
    ("arvuti kasutamise oskus", "arvuti kasutamise oskused"),
    ("meeskonnatöö", "meeskonnatöö."),
    ("koostöö", "Koostöö"),
    (
        "esindab talitust koostöös teiste asutustega, kohalike omavalitsustega ja partneritega",
        "esindab talitust koostöös teiste asutuste, kohalike omavalitsuste ja partneritega",
    ),
]


@pytest.mark.parametrize(("original", "copy"), DRIFTS)
def test_drifted_copy_is_found_among_many(original: str, copy: str) -> None:

    assert similarity(original, copy) >= 0.9
    rng = random.Random(len(original))
    words = sorted({w for o, c in DRIFTS for w in (o + " " + c).lower().split()})
    texts = {f"t{i}": " ".join(rng.sample(words, 6)) for i in range(300)}
    texts["original"] = original
    texts["t150-copy"] = copy
    assert ("original", "t150-copy") in near_identical(texts)


@pytest.mark.slow  # compares every pair of a large library the slow way
def test_index_finds_what_comparing_every_pair_finds() -> None:
    import difflib

    from ametijuhend_cli.organization.hygiene import _fold, near_identical

    rng = random.Random(7)
    words = [
        "ja",
        "ning",
        "hoiab",
        "teabe",
        "vastutab",
        "vara",
        "talitus",
        "koostöö",
        "oskus",
        "eest",
        "seda",
        "kasutab",
    ]
    texts = {f"t{i}": " ".join(rng.choices(words, k=rng.randint(1, 6))) for i in range(250)}
    folded = {k: _fold(v) for k, v in texts.items()}
    keys = list(texts)
    every_pair = {
        (a, b)
        for j, b in enumerate(keys)
        for a in keys[:j]
        if difflib.SequenceMatcher(None, folded[a], folded[b], autojunk=False).ratio() >= 0.9
    }
    assert len(every_pair) > 20
    found = set(near_identical(texts))
    assert found <= every_pair
    # pairs that keep two words in place, or short texts sharing a word, are all found
    assert len(found) >= 0.95 * len(every_pair)


def test_entries_that_open_alike_are_not_all_compared() -> None:
    # real rights share long openings ("teha ettepanekuid …", "saada …"): pairing texts by
    # a shared opening compared them all (round two: 12.5 million pairs at 5,000 entries)
    from ametijuhend_cli.organization.hygiene import _candidates, _fold, truncated

    rng = random.Random(3)
    openings = ["teha ettepanekuid ameti töö korraldamiseks", "saada vajalikku teavet", "osaleda"]
    words = [f"sõna{i}" for i in range(400)]
    texts = {
        f"e{i}": f"{rng.choice(openings)} " + " ".join(rng.choices(words, k=rng.randint(2, 12)))
        for i in range(3000)
    }
    compared = sum(len(earlier) for _, earlier in _candidates([_fold(t) for t in texts.values()]))
    assert compared < 20 * len(texts)  # every pair of one opening: about 1,500 a text
    texts["cut"] = " ".join(texts["e5"].split()[:-1])
    assert ("e5", "cut") in truncated(texts) or ("cut", "e5") in truncated(texts)
