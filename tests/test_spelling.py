"""The speller: Vabamorf finds the typos of signed documents; the word list accepts the rest."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from ametijuhend_cli.estonian import vabamorf
from ametijuhend_cli.estonian.spelling import Speller, WordList, words_of
from conftest import REPO, edit, run

needs_keel = pytest.mark.skipif(
    not vabamorf.installed(), reason="needs the extra keel (make venv-keel)"
)


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(WordList.of(["KLAT", "juhtum"]), "data/words.txt")


def test_words_of_a_text() -> None:
    assert words_of("Vt www.sm.ee ja info@sm.ee: KLAT-i 3-aastane töö, üle-eestiline.") == (
        "Vt", "ja", "KLAT-i", "aastane", "töö", "üle-eestiline",
    )  # fmt: skip
    # the first part of a compound completed by a later word goes with that word
    assert words_of("sise- ja välisklientidega") == (
        "sise-|välisklientidega", "ja", "välisklientidega",
    )  # fmt: skip


def test_word_list() -> None:
    words = WordList.of(["KLAT", "mentorlus", "Maripuu"])
    assert words.knows("KLAT") and words.knows("KLAT-i") and words.knows("KLAT-ist")
    assert not words.knows("klat") and not words.knows("KLAT-iteenusele")
    assert words.knows("Mentorlus") and words.knows("MENTORLUS")
    assert words.knows("Maripuu") and not words.knows("maripuu")


@needs_keel
@pytest.mark.parametrize(
    ("text", "word", "suggestion", "repeated"),
    [
        # the typos of the reference document 000, as a reader calls them
        ("tingist välja tiim", "tingist", "ringist", ""),
        ("Ringist välja projektijuhtjuht", "projektijuhtjuht", "projektijuht", "juht"),
        ("Oskab inglsie keelt", "inglsie", "inglise", ""),
        ("Koordinaatorit ja teenusejuhtti", "teenusejuhtti", "teenusejuhti", ""),
    ],
)
def test_typos_found(
    speller: Speller, text: str, word: str, suggestion: str, repeated: str
) -> None:
    found = speller.findings([text])
    assert list(found) == [word]
    assert suggestion in found[word].suggestions
    assert found[word].repeated == repeated


@needs_keel
def test_inflected_and_compound_words_known(speller: Speller) -> None:
    text = (
        "Ohvriabisüsteemi arendamiseks vajalike muudatusettepanekute tegemine, "
        "teenistujate nõustamine; Suhtlemis- ja mõjutamisoskus, sise- ja välisklientidega, "
        "KLAT-i juhtumitega."
    )
    assert speller.findings([text]) == {}


@needs_keel
def test_suspended_part_misspelt(speller: Speller) -> None:
    assert list(speller.findings(["Suhtlmis- ja mõjutamisoskus"])) == ["Suhtlmis-|mõjutamisoskus"]


@needs_keel
def test_sample_project_has_no_false_alarm(project: Path) -> None:
    result = run("validate", "--spelling", "--today", "2024-06-01")
    assert result.exit_code == 0, result.stderr
    assert "unknown word" not in result.stderr


@needs_keel
def test_sample_project_without_word_list(project: Path) -> None:
    # every word the sample's word list holds is one the speller reports without it
    listed = [
        line
        for line in (REPO / "data" / "words.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    (project / "data" / "words.txt").unlink()
    result = run("validate", "--spelling", "--today", "2024-06-01")
    assert result.exit_code == 1
    reported = {line.split("unknown word '")[1].rstrip("'") for line in result.stderr.splitlines()
                if "unknown word '" in line}  # fmt: skip
    assert reported == set(listed) | {"KLAT-i"}


@needs_keel
def test_typos_located_with_suggestions(project: Path) -> None:
    edit(project / "data/organization.yaml", "name: Ringist välja tiim", "name: tingist välja tiim")
    position = project / "data/positions/koordinaator-ringist-valja.yaml"
    edit(position, "manager: Ringist välja projektijuht", "manager: Ringist välja projektijuhtjuht")
    result = run("validate", "--spelling", "--today", "2024-06-01")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    spelling = [i for i, line in enumerate(lines) if "unknown word" in line or "repeats" in line]
    assert [line for i in spelling for line in lines[i : i + 2]] + lines[-1:] == [
        "data/organization.yaml:17:19: units.ohvriabi-ja-ennetus.units.ennetustalitus.units."
        "ringist-valja-tiim.name: unknown word 'tingist'",
        "    hint: did you mean 'tingis', 'ringist', 'tungist', 'tongist', 'tingust'? if it is "
        "right, add it to the word list data/words.txt",
        "data/positions/koordinaator-ringist-valja.yaml:7:24: manager: 'projektijuhtjuht' "
        "repeats the part 'juht'",
        "    hint: did you mean 'projektijuht'? if it is right, add it to the word list "
        "data/words.txt",
        "2 problems in 2 files; nothing was written",
    ]


@needs_keel
def test_project_setting_and_word_list_file(project: Path) -> None:
    (project / "data/words.txt").rename(project / "sonad.txt")
    (project / "ametijuhend.yaml").write_text(
        "spelling:\n  check: true\n  words: sonad.txt\n", encoding="utf-8"
    )
    edit(project / "data/organization.yaml", "name: Ringist välja tiim", "name: tingist välja tiim")
    result = run("validate", "--today", "2024-06-01")
    assert result.exit_code == 1
    assert "unknown word 'tingist'" in result.stderr
    assert "add it to the word list sonad.txt" in result.stderr
    assert run("validate", "--no-spelling", "--today", "2024-06-01").exit_code == 0


def test_without_the_extra_says_how_to_install(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vabamorf._morf.cache_clear()
    monkeypatch.delitem(sys.modules, "estnltk", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        result = run("validate", "--spelling")
    finally:
        vabamorf._morf.cache_clear()
    assert result.exit_code == 1
    assert result.stderr == (
        "error: checking Estonian needs the extra 'keel' (Vabamorf, through EstNLTK), which is "
        "not installed; install it with: pip install 'ametijuhend[keel]'\n"
    )


@needs_keel
def test_forming_a_title_leaves_the_speller_strict() -> None:
    from ametijuhend_cli.estonian.forms import title_forms

    assert title_forms("Koordinaator")["title_partitive"].text == "Koordinaatorit"
    assert set(Speller().findings(["PPA ja KOVidele"])) == {"PPA", "KOVidele"}
