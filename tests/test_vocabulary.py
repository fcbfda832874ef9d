"""Closed vocabularies: languages and education levels checked, printed in the right case."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.estonian.vocabulary import Vocabulary, sentence_case
from conftest import edit, run


@pytest.mark.parametrize("name", ["eesti", "Eesti", "Eesti keel", "EESTI KEELT", " eesti  keele "])
def test_language_printed_as_the_sentence_needs(name: str) -> None:
    assert Vocabulary().language(name) == ("eesti", None)


def test_unknown_language_with_did_you_mean() -> None:
    shown, problem = Vocabulary().language("inglsie")
    assert shown == "inglsie"
    assert problem is not None
    assert [str(part) for part in problem] == [
        "unknown language 'inglsie'",
        "did you mean 'inglise'?",
    ]
    _, far = Vocabulary().language("klingoni")
    assert far is not None and "vocabulary.languages" in str(far[1])


def test_project_adds_its_own_names() -> None:
    vocabulary = Vocabulary.with_project(["Võro keel"], ["Gümnaasiumiharidus"])
    assert vocabulary.language("VÕRO") == ("võro", None)
    assert vocabulary.education_problem("Gümnaasiumiharidus") is None
    assert Vocabulary().education_problem("Gümnaasiumiharidus") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Kõrgharidus",
        "Vähemalt keskharidus",
        "Kõrgharidus sotsiaaltöö erialal või magistrikraad",
        "Rakenduskõrgharidus või sellega võrdsustatud kvalifikatsioon",
        "Erialane haridus",
        "Kutsekeskharidusega töötaja",
        "Kesk-eriharidus või kõrgharidus metsanduse erialal",
        "Kesk- või kõrgharidus",
    ],
)
def test_education_levels_the_law_names(text: str) -> None:
    assert Vocabulary().education_problem(text) is None


def test_a_hyphenated_level_is_one_word() -> None:
    # "kesk-eriharidus" was read as its last part, "eriharidus", and refused
    assert Vocabulary().education_problem("Eriharidus") is not None
    assert Vocabulary().education_problem("kesk-eriharidus") is None


def test_education_level_misspelt() -> None:
    misspelt = Vocabulary().education_problem("Kõrgaridus")
    assert misspelt is not None
    assert tuple(str(part) for part in misspelt) == (
        "unknown education level 'Kõrgaridus'",
        "did you mean 'kõrgharidus'?",
    )
    unknown = Vocabulary().education_problem("Algharidus")
    assert unknown is not None
    message, hint = (str(part) for part in unknown)
    assert message == "unknown education level 'Algharidus'"
    assert "põhiharidus" in hint


def test_sentence_case() -> None:
    assert sentence_case("KÕRGHARIDUS") == "Kõrgharidus"
    assert sentence_case("kõrgharidus") == "Kõrgharidus"
    assert sentence_case("Kõrgharidus IT alal") == "Kõrgharidus IT alal"


def test_document_prints_the_right_case(project: Path) -> None:
    position = project / "data/positions/ekspert-kriisiabi.yaml"
    edit(position, "{language: eesti, level: C1}", "{language: Eesti keel, level: c1}")
    edit(position, "education: Kõrgharidus", "education: KÕRGHARIDUS")
    edit(position, "preferably: [inglise, vene]", "preferably: [Inglise, VENE KEEL]")
    result = run("build", "ekspert-kriisiabi", "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = (project / "out/ekspert-kriisiabi.md").read_text(encoding="utf-8")
    assert "**Haridus:** Kõrgharidus" in text
    assert (
        "Valdab eesti keelt vähemalt tasemel C1. Oskab vähemalt ühte võõrkeelt "
        "(soovitavalt inglise või vene keelt) vähemalt tasemel B1." in text
    )


def test_project_vocabulary_in_the_project_file(project: Path) -> None:
    position = project / "data/positions/ekspert-kriisiabi.yaml"
    edit(position, "{language: eesti, level: C1}", "{language: võro, level: C1}")
    assert "unknown language 'võro'" in run("validate", "--today", "2024-06-01").stderr
    (project / "ametijuhend.yaml").write_text(
        "vocabulary:\n  languages: [võro]\n", encoding="utf-8"
    )
    result = run("validate", "--today", "2024-06-01")
    assert result.exit_code == 0, result.stderr
