"""Estonian alphabetical order."""

from __future__ import annotations

import pytest

from ametijuhend_cli.organization.collation import estonian_key, sorted_estonian


def ordered(words: list[str]) -> list[str]:
    return sorted(words, key=estonian_key)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("sõna", "šokk"),  # š follows s
        ("šokk", "zooloog"),  # z follows š
        ("zooloog", "žürii"),  # ž follows z
        ("žürii", "tamm"),  # t follows ž
        ("vesi", "wõrk"),  # w follows v
        ("wõrk", "õun"),  # õ follows w
        ("õun", "ämber"),
        ("ämber", "öö"),
        ("öö", "üks"),
        ("üks", "xenon"),  # x and y come last
        ("xenon", "yoga"),
        ("koer", "kõrv"),  # within a word too
        ("kuu", "kõrv"),  # õ after u
        ("Spetsialist", "Šveitsi saadik"),
    ],
)
def test_estonian_letter_order(before: str, after: str) -> None:
    assert estonian_key(before) < estonian_key(after)


def test_ascii_order_would_be_wrong() -> None:
    words = ["Zooloog", "Õpetaja", "Šoför", "Tiimijuht", "Analüütik", "Ülem", "Sekretär"]
    assert ordered(words) == [
        "Analüütik",
        "Sekretär",
        "Šoför",
        "Zooloog",
        "Tiimijuht",
        "Õpetaja",
        "Ülem",
    ]
    assert sorted(words) != ordered(words)


def test_case_and_punctuation_matter_only_on_ties() -> None:
    assert ordered(["ekspert", "Ekspert", "Eksperdid"]) == ["Eksperdid", "ekspert", "Ekspert"]
    # a hyphen is ignored at first: "IT-juht" sorts as "itjuht"
    assert ordered(["Itaalia", "IT-juht", "Isa"]) == ["Isa", "Itaalia", "IT-juht"]


def test_spaces_and_digits_before_letters() -> None:
    assert ordered(["Juht b", "Juht 2", "Juht", "Juhtum"]) == ["Juht", "Juht 2", "Juht b", "Juhtum"]


def test_foreign_accents_sort_with_their_letter() -> None:
    # z follows s, so "Ezra" comes before "Eva"
    assert ordered(["Eva", "Ezra", "Éric"]) == ["Éric", "Ezra", "Eva"]
    assert estonian_key("Eric") < estonian_key("Éric") < estonian_key("Erik")


def test_decomposed_input_equals_composed() -> None:
    assert estonian_key("o\u0303un")[0] == estonian_key("õun")[0]


def test_sorted_estonian_with_a_key() -> None:
    rows = [{"t": "Õde"}, {"t": "Arst"}, {"t": "Šoför"}]
    assert [r["t"] for r in sorted_estonian(rows, key=lambda r: r["t"])] == ["Arst", "Šoför", "Õde"]
