"""The message catalog: every message translated, the catalog current, the language chosen right."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po
from click.testing import CliRunner

from ametijuhend_cli import i18n
from conftest import REPO, edit

PO = i18n.LOCALE_DIR / "et" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("messages_tool", REPO / ".ci" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog() -> Any:
    with PO.open("rb") as f:
        return read_po(f, locale="et")


def _fields(text: str) -> set[str]:
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return braces | set(re.findall(r"%\((\w+)\)s", text))


def test_every_message_has_a_translation() -> None:
    untranslated = []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == [], "translate these in the .po file, then `make messages`"


def test_translations_keep_the_arguments() -> None:
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        given = set().union(*(_fields(text) for text in strings))
        # no argument the code does not give; every one it gives (a singular may omit {n})
        assert given <= wanted, (message.id, message.string)
        assert wanted - given <= {"n", "len"}, (message.id, message.string)


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
def test_catalog_is_current() -> None:
    """Fails when a message in the code (or a help text) is not in the catalog: `make messages`."""
    if not Path(i18n.__file__).resolve().is_relative_to(REPO.resolve()):
        # .ci/matrix tests an installed copy: the catalog is the checkout's (make test)
        pytest.skip("the package is not this checkout's")
    stale = [
        path.relative_to(REPO).as_posix()
        for path, data in _tool().expected_files().items()
        if not path.is_file() or path.read_bytes() != data
    ]
    assert stale == [], "run `make messages` and translate what is new"


@pytest.mark.parametrize(
    ("environ", "setting", "ci", "expected"),
    [
        ({}, None, None, "en"),
        ({"LANG": "C.UTF-8"}, None, None, "en"),
        ({"LANG": "et_EE.UTF-8"}, None, None, "et"),
        ({"LC_ALL": "et_EE.UTF-8", "LANG": "en_US.UTF-8"}, None, None, "et"),
        ({"LANGUAGE": "fi:et", "LANG": "et_EE.UTF-8"}, None, None, "et"),
        ({"LANG": "de_DE.UTF-8"}, None, None, "en"),
        ({"LANG": "en_GB.UTF-8"}, "et", None, "et"),
        ({"LANG": "et_EE.UTF-8"}, "locale", None, "et"),
        ({"LANG": "et_EE.UTF-8", "CI": "true"}, None, "en", "en"),
        ({"LANG": "et_EE.UTF-8"}, None, "en", "et"),
        ({"LANG": "et_EE.UTF-8", "AMETIJUHEND_LANG": "en"}, "et", None, "en"),
        ({"AMETIJUHEND_LANG": "ET"}, None, None, "et"),
    ],
)
def test_language_chosen(
    environ: dict[str, str], setting: str | None, ci: str | None, expected: str
) -> None:
    assert i18n.choose_language(environ, setting, ci) == expected


def _run(args: list[str], **env: str | None) -> Any:
    from ametijuhend_cli.cli import cli

    return CliRunner().invoke(
        cli, args, env={"AMETIJUHEND_LANG": None, **env}, prog_name="ametijuhend"
    )


def test_help_follows_the_locale() -> None:
    estonian = _run(["validate", "--help"], LANG="et_EE.UTF-8", LC_ALL=None)
    assert estonian.output.startswith("Kasutus: ametijuhend validate [OPTIONS]\n")
    assert "Kontrolli kõiki lähtefaile ja malle, midagi kirjutamata." in estonian.output
    english = _run(["validate", "--help"], LANG="C.UTF-8", LC_ALL=None)
    assert english.output.startswith("Usage: ametijuhend validate [OPTIONS]\n")


def test_usage_errors_in_estonian() -> None:
    result = _run(["valdate"], AMETIJUHEND_LANG="et")
    assert result.exit_code == 2
    assert "Viga: Käsku 'valdate' ei ole. Kas mõtlesid 'validate'?" in result.output


def test_project_setting_and_english_in_ci(project: Path) -> None:
    edit(project / "data/library/competencies.yaml", "Lähtub töös", "Lähtub jja töös")
    (project / "ametijuhend.yaml").write_text(
        "messages:\n  language: et\n  ci: en\n", encoding="utf-8"
    )
    result = _run(["validate", "--today", "2024-06-01"], LANG="C.UTF-8", CI=None)
    assert "tundmatu" not in result.output  # the spelling is not checked here
    if importlib.util.find_spec("estnltk") is None:
        return
    local = _run(["validate", "--spelling", "--today", "2024-06-01"], LANG="C.UTF-8", CI=None)
    assert "tundmatu sõna 'jja'" in local.output
    assert "kui see on õige, lisa see sõnaloendisse data/words.txt" in local.output
    ci = _run(["validate", "--spelling", "--today", "2024-06-01"], LANG="C.UTF-8", CI="true")
    assert "unknown word 'jja'" in ci.output


def test_problems_of_a_project_in_estonian(project: Path) -> None:
    position = project / "data/positions/ekspert-kriisiabi.yaml"
    edit(position, "employment: töötaja", "employment: tootaja")
    edit(position, "\ntitle:", "\ntitel: x\ntitle:")
    result = _run(["validate"], LANG="et_EE.UTF-8", LC_ALL=None)
    assert result.exit_code == 1
    assert "employment: oodati: 'ametnik' või 'töötaja', leiti: 'tootaja'" in result.output
    assert "    vihje: kas mõtlesid 'töötaja'?" in result.output
    assert "titel: tundmatu väli 'titel'" in result.output
    assert result.output.endswith("2 probleemi 1 failis; midagi ei kirjutatud\n")
    english = _run(["validate"], LANG="C.UTF-8", LC_ALL=None)
    assert english.output.endswith("2 problems in 1 file; nothing was written\n")


def _tool_group() -> Any:
    """Return a group as the tool builds it: a hidden command, one with a short help that is
    in the catalog, one without help, one with a long help."""
    import click

    from ametijuhend_cli.cli.translate import Group, translate_command

    @click.group(cls=Group)
    def tool() -> None:
        """A tool."""

    @tool.command(hidden=True)
    def secret() -> None:
        """Not listed."""

    @tool.command(short_help="Print nothing but problems.")
    @click.option("--loud", is_flag=True)  # no help of its own
    def hello(loud: bool) -> None:
        """Not the short help."""

    @tool.command()
    def bare() -> None:
        pass

    @tool.command()
    def build() -> None:
        """Build the documents into out/. Then check them.

        More about it."""

    for command in tool.commands.values():
        translate_command(command)
    return tool


def test_the_command_list_in_estonian() -> None:
    result = CliRunner().invoke(_tool_group(), ["--help"], env={"AMETIJUHEND_LANG": "et"})
    assert result.exit_code == 0
    listed = result.output.partition("Käsud:\n")[2].splitlines()
    assert [line.split()[0] for line in listed] == ["bare", "build", "hello"]  # not the hidden
    assert listed[0].strip() == "bare"  # no help: nothing, not the catalog's header
    assert listed[1].split(None, 1)[1] == "Build the documents into out/."
    assert listed[2].split(None, 1)[1] == "Näita ainult probleeme."  # the short help, translated


def test_an_option_without_help_shows_none_in_estonian() -> None:
    from ametijuhend_cli.cli.translate import translate_help

    result = CliRunner().invoke(_tool_group(), ["hello", "--help"], env={"AMETIJUHEND_LANG": "et"})
    assert result.output.startswith("Kasutus: ")
    assert "Project-Id-Version" not in result.output  # gettext's "" is the catalog's header
    assert "  --loud\n" in result.output
    i18n.set_language("et")
    assert translate_help("") == ""
    assert translate_help("Print nothing but problems.  [default: 1]") == (
        "Näita ainult probleeme.  [default: 1]"
    )


def test_a_group_of_hidden_commands_lists_none() -> None:
    import click

    from ametijuhend_cli.cli.translate import Group

    @click.group(cls=Group)
    def tool() -> None:
        """A tool."""

    @tool.command(hidden=True)
    def secret() -> None:
        """Not listed."""

    result = CliRunner().invoke(tool, ["--help"], env={"AMETIJUHEND_LANG": "en"})
    assert result.exit_code == 0
    assert "Commands" not in result.output


@pytest.mark.parametrize(
    ("clicks", "expected"),
    [
        # click 8.5 on: the private name; click 8.2 to 8.4: the public one (the same rule)
        (("_make_default_short_help",), "Build the documents into out/."),
        (("make_default_short_help",), "Build the documents into out/."),
        # neither: the first sentence, cut to the width with "..."
        ((), "Build the documents into out/"),
    ],
)
def test_short_help_of_every_click(
    monkeypatch: pytest.MonkeyPatch, clicks: tuple[str, ...], expected: str
) -> None:
    import types
    import warnings

    import click.utils

    from ametijuhend_cli.cli import translate
    from ametijuhend_cli.cli.translate import short_help

    with warnings.catch_warnings():  # click 8.5 deprecates the public name
        warnings.simplefilter("ignore", DeprecationWarning)
        rule = (
            getattr(click.utils, "_make_default_short_help", None)
            or click.utils.make_default_short_help
        )
    command = _tool_group().commands["build"]
    # the click that translate sees: its utils with only the names of that version
    utils = types.SimpleNamespace(**{name: rule for name in clicks})
    monkeypatch.setattr(translate, "click", types.SimpleNamespace(utils=utils))
    assert short_help(command, 45) == expected
    assert short_help(command, 20) == "Build the..."
    assert short_help(_tool_group().commands["bare"], 45) == ""


def _comment_lines(text: str) -> list[str]:
    """Return the comment text of every line of ``text`` that has one (a starter file's)."""
    from ametijuhend_cli.authoring.comments import starter_comments

    return [line for comment in starter_comments(text) for line in comment.split("\n")]


def test_init_writes_the_starter_comments_in_the_language_of_the_locale(tmp_path: Path) -> None:
    from ametijuhend_cli.authoring.init import starter_text

    made = {}
    for lang, env in (("et", {"LANG": "et_EE.UTF-8"}), ("en", {"LANG": "C.UTF-8"})):
        folder = tmp_path / lang
        result = _run(
            ["init", "--agency", "Näidisamet", "--dir", str(folder), "--layout", "amet"],
            LC_ALL=None,
            LANGUAGE=None,
            **env,
        )
        assert result.exit_code == 0, result.output
        made[lang] = {
            p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "schemas" not in p.parts
        }
    assert made["et"].keys() == made["en"].keys()
    assert made["en"][".gitignore"] == starter_text("gitignore")  # English: as shipped
    project = made["et"]["ametijuhend.yaml"]
    assert "# Tööriista ametijuhend projektifail. Iga võti on valikuline" in project
    assert "messages:                  # tööriista teadete keel (mitte dokumentide oma)" in project
    position = made["et"]["data/positions/analuutik.yaml"]
    assert "# Näidisametikoht, mille kirjutas `ametijuhend init`" in position
    assert "title_genitive: Analüütiku   # ametinimetus omastavas käändes" in position
    assert "# yaml-language-server: $schema=../../schemas/position.schema.json\n" in position
    for name, english in made["en"].items():
        estonian = made["et"][name]
        # the same files but for the comments: the same data, every comment translated
        if name.endswith((".yaml", ".yml")):
            assert yaml.safe_load(estonian) == yaml.safe_load(english), name
        shown = [line for line in _comment_lines(english) if line.strip()]
        assert shown, name
        left = set(shown) & set(_comment_lines(estonian))
        # what stays as it is: code in the comments, and names
        code = re.compile(r"^\s+[-a-z_:]|^(- id: |approval_authority: )|^Keda asendab$")
        assert [line for line in left if not code.search(line)] == [], name


def test_the_starter_comments_keep_their_place_in_english() -> None:
    from ametijuhend_cli.authoring.comments import translated

    text = (
        "# yaml-language-server: $schema=x.json\n# One\n# two\n#\n#   code: 1\n"
        "key: value   # after it\n  # indented\nplain: 1\n"
    )
    assert translated(text) == text  # English: as it is
    upper = translated(text, str.upper)
    assert upper == (
        "# yaml-language-server: $schema=x.json\n# ONE\n# TWO\n#\n#   CODE: 1\n"
        "key: value   # AFTER IT\n  # INDENTED\nplain: 1\n"
    )


def test_the_importers_report_and_the_files_it_writes_in_estonian(tmp_path: Path) -> None:
    source = REPO / "tests" / "unseen" / "pdf" / "12-rannalinna-volikogu.raw.txt"
    folder = tmp_path / "uus"
    result = _run(
        ["init", "--agency", "Rannalinna Linnavalitsus", "--ci", "none", "--dir", str(folder)]
        + ["--from-docx", str(source)],
        LANG="et_EE.UTF-8",
        LC_ALL=None,
        LANGUAGE=None,
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    learnt = next(line for line in lines if line.startswith("dokumentide vorm õpiti"))
    assert re.fullmatch(
        r"dokumentide vorm õpiti 1 dokumendi põhjal: sisseehitatud vorm 'standard' vastab "
        r"\d+ tunnusest \d+-le",
        learnt,
    ), learnt
    assert "    numbering.sections: '{roman}' (1-st 1)" in lines
    assert any(line.startswith("    reegel: 'tooleping' (mida annavad kõik") for line in lines)
    assert any(line.startswith("imporditi ") and " → " in line for line in lines)
    assert any(re.fullmatch(r"  tekstikogu viited: \d+/\d+ õigused.*", line) for line in lines)
    assert "  dokumendis puudub osa 'TÖÖVAHENDID'" in result.output
    english = {"wrote", "imported", "learnt", "library", "policy", "otherwise", "the", "of"}
    said = [{w for w in line.split() if "/" not in w} for line in lines]  # paths aside
    assert not [words & english for words in said if words & english]
    layout = next((folder / "templates" / "layouts").glob("*.yaml")).read_text("utf-8")
    assert layout.startswith(
        "# Vorm, mille `ametijuhend init --from-docx` õppis 1 dokumendist:\n"
        "# sisseehitatud vorm 'standard' ja see, mida dokumendid teevad teisiti.\n"
    )
    position = next((folder / "data" / "positions").glob("*.yaml")).read_text("utf-8")
    assert position.startswith(
        "# Imporditud failist 12-rannalinna-volikogu.raw.txt käsuga `ametijuhend import`.\n"
        "# Võrdle seda originaaliga, siis käivita `ametijuhend validate`.\n"
    )


def test_the_importers_read_errors_and_notes_in_estonian(tmp_path: Path, project: Path) -> None:
    old = tmp_path / "vana.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    hidden = tmp_path / "tekst.txt"
    text = (REPO / "tests" / "reference" / "ekspert-kriisiabi.txt").read_text("utf-8")
    hidden.write_text(text.replace("Ekspert", "Eks\u200bpert", 1), encoding="utf-8")
    result = _run(
        ["import", str(old), str(hidden), "--to", str(tmp_path / "uued")],
        LANG="et_EE.UTF-8",
        LC_ALL=None,
    )
    assert result.exit_code == 1
    assert (
        ".doc-faile ei saa lugeda; ava see Wordis või LibreOffice'is ja salvesta .docx-failina"
        in (result.output)
    )
    assert "  eemaldati 1 nähtamatu märk: U+200B ZERO WIDTH SPACE" in result.output


def _value_errors(model: Any, data: dict[str, Any]) -> list[str]:
    from pydantic import ValidationError

    from ametijuhend_cli.sources.validation import error_message

    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [str(error_message(e)) for e in caught.value.errors() if e["type"] == "value_error"]


def test_the_checks_of_layouts_wording_templates_and_writing_in_estonian() -> None:
    from ametijuhend_cli.fields import fill
    from ametijuhend_cli.layout import Layout
    from ametijuhend_cli.render import sandbox
    from ametijuhend_cli.sources.wording import Wording
    from ametijuhend_cli.writing import held_open

    i18n.set_language("et")
    sections = _value_errors(Layout, {"sections": ["general", "tasks", "tasks"]})
    assert sections == ["nimetab osa tasks rohkem kui üks kord"]
    [banner] = _value_errors(Layout, {"front": {"banner": ["{x}"]}})
    assert banner.startswith("tundmatu väli {x} tekstis '{x}'; siin on lubatud väljad {agency}")
    [date] = _value_errors(Wording, {"date_format": "%B"})
    assert date.startswith("'%B': '%B' ei ole kuupäeva vorming, mida see tööriist kirjutab")
    with pytest.raises(ValueError) as unfilled:
        fill("{a}")
    assert str(unfilled.value.args[0]) == "sõnastuses '{a}' ei ole väljale {a} väärtust"
    assert str(sandbox._too_large(10**9)) == (
        "mall teeks 1,000,000,000 märgi pikkuse teksti (lubatud on kõige rohkem 16,000,000)"
    )
    held = held_open(PermissionError(13, "Permission denied"), Path("x.docx"))
    assert str(held.reason) == (
        "Juurdepääs keelatud; kas fail on avatud Wordis või mõnes muus programmis? Sulge see "
        "seal ja käivita käsk uuesti"
    )
    i18n.set_language("en")  # English: the words they always had
    assert str(held.reason) == held.strerror
    assert _value_errors(Layout, {"sections": ["tasks", "tasks"]}) == ["names tasks more than once"]


def test_a_number_with_a_fraction_where_a_whole_one_belongs(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("review_period_months: 2.5\n", encoding="utf-8")
    estonian = _run(["validate"], LANG="et_EE.UTF-8", LC_ALL=None)
    assert "review_period_months: oodati: täisarv, leiti: 2.5" in estonian.output
    english = _run(["validate"], LANG="C.UTF-8", LC_ALL=None)
    assert "review_period_months: expected a whole number, got 2.5" in english.output


#: Broken YAML: what the parsers (libyaml's and PyYAML's) say of it is in the catalog.
BROKEN_YAML = [
    "title: [a\n",
    "title: {a: b\n",
    "a: b: c\n",
    "title: @x\n",
    "a: &x 1\nb: *y\n",
    "a:\n  - b\n  c: d\n",
    "a: 1\n- b\n",
    'a: "x\\q"\n',
    "a: 1\n---\nb: 2\n",
    "a: 'x\n",
    "  a: 1\nb: 2\n",
    "a:\n\t- b\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_the_yaml_parsers_words_are_in_the_catalog(text: str) -> None:
    from ametijuhend_cli.sources.yamlwords import yaml_words

    loaders = [getattr(yaml, name) for name in ("SafeLoader", "CSafeLoader") if hasattr(yaml, name)]
    for loader in loaders:
        with pytest.raises(yaml.YAMLError) as caught:
            yaml.load(text, Loader=loader)
        for said in (
            getattr(caught.value, "problem", None),
            getattr(caught.value, "context", None),
        ):
            if said:
                assert yaml_words(said).id != "{text}", (loader.__name__, said)


def test_a_yaml_syntax_error_in_estonian(project: Path) -> None:
    (project / "data/positions/katki.yaml").write_text("title: [a\n", encoding="utf-8")
    from ametijuhend_cli.sources.yamlfast import LOADER

    result = _run(["validate"], LANG="et_EE.UTF-8", LC_ALL=None)
    said = (
        "oodatud ',' või ']' ei leitud"  # libyaml's words
        if LOADER is getattr(yaml, "CSafeLoader", None)
        else "oodati ',' või ']', kuid leiti '<stream end>'"  # PyYAML's
    )
    assert f"katki.yaml:2:1: YAML-i süntaksiviga: {said} (rea-sisese loendi […] lugemisel)" in (
        result.output
    )
