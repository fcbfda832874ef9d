"""The cases of titles, formed by Vabamorf and checked against what a position gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.estonian import vabamorf
from ametijuhend_cli.estonian.forms import Form, title_forms, title_of_genitive
from conftest import edit, run

pytestmark = pytest.mark.skipif(
    not vabamorf.installed(), reason="needs the extra keel (make venv-keel)"
)


@pytest.mark.parametrize(
    ("title", "genitive", "partitive"),
    [
        ("Koordinaator", Form("Koordinaatori"), Form("Koordinaatorit")),
        # two forms: the common one is chosen, the other named
        ("Teenusejuht", Form("Teenusejuhi", ("Teenusejuhu",)),
         Form("Teenusejuhti", ("Teenusejuhtu",))),
        ("Autojuht", Form("Autojuhi"), Form("Autojuhti")),
        ("Koristaja", Form("Koristaja"), Form("Koristajat")),
        # the head before a parenthesis takes the case; an adjective before it agrees
        (
            "Ekspert (psühhosotsiaalne kriisiabi)",
            Form("Eksperdi (psühhosotsiaalne kriisiabi)"),
            Form("Eksperti (psühhosotsiaalne kriisiabi)"),
        ),
        ("Vanem spetsialist", Form("Vanema spetsialisti"), Form("Vanemat spetsialisti")),
        ("KOV nõustamistalituse juhataja", Form("KOV nõustamistalituse juhataja"),
         Form("KOV nõustamistalituse juhatajat")),
    ],
)  # fmt: skip
def test_title_forms(title: str, genitive: Form, partitive: Form) -> None:
    assert title_forms(title) == {"title_genitive": genitive, "title_partitive": partitive}


@pytest.mark.parametrize(
    ("genitive", "title"),
    [
        ("AUTOJUHI", "Autojuht"),  # a title line in capitals: the title in sentence case
        ("KOKA", "Kokk"),  # two readings ('kokk', 'koka'): the common one
        ("Peaspetsialisti", "Peaspetsialist"),
        ("raamatukoguhoidja", "raamatukoguhoidja"),
        ("KOV nõustamistalituse juhataja", "KOV nõustamistalituse juhataja"),
        ("Qwzxy", None),  # no noun Vabamorf knows
    ],
)
def test_the_title_of_a_genitive(genitive: str, title: str | None) -> None:
    # a document that names its position only in its title line ('KOKA AMETIJUHEND')
    assert title_of_genitive(genitive) == title
    if title is not None:
        assert title_forms(title)["title_genitive"].text.lower() == genitive.lower()


def test_unknown_head_forms_nothing() -> None:
    assert title_forms("Xyzzyq") == {}


def test_sample_partitives_are_the_formed_ones(project: Path) -> None:
    result = run("validate", "--spelling", "--today", "2024-06-01")
    assert result.exit_code == 0, result.stderr


def test_a_given_form_that_is_not_the_case(project: Path) -> None:
    edit(
        project / "data/positions/koordinaator-klat.yaml",
        "title_partitive: Koordinaatorit",
        "title_partitive: Koordinaatori",
    )
    result = run("validate", "--spelling", "--today", "2024-06-01")
    assert result.exit_code == 1
    assert (
        "data/positions/koordinaator-klat.yaml:6:18: title_partitive: 'Koordinaatori' is not "
        "the partitive of the title 'Koordinaator'\n    hint: Vabamorf forms 'Koordinaatorit'"
    ) in result.stderr


def test_missing_partitive_hint_gives_the_formed_one(project: Path) -> None:
    edit(project / "data/positions/koordinaator-klat.yaml", "title_partitive: Koordinaatorit\n", "")
    edit(
        project / "data/positions/teenusejuht-kov.yaml",
        "substitutes: Piirkonna juhi poolt määratud töötaja",
        "substitutes: {position: koordinaator-klat}",
    )
    result = run("validate", "--today", "2024-06-01")
    assert result.exit_code == 1
    assert (
        "hint: add 'title_partitive: Koordinaatorit' to data/positions/koordinaator-klat.yaml "
        "(formed by Vabamorf)"
    ) in result.stderr


def test_new_fills_the_forms_in(project: Path) -> None:
    result = run("new", "autojuht", "--title", "Autojuht", "--unit", "arendustalitus")
    assert result.exit_code == 0, result.output
    text = (project / "data/positions/autojuht.yaml").read_text(encoding="utf-8")
    assert "\ntitle: Autojuht\n" in text and "\ntitle_partitive: Autojuhti\n" in text
