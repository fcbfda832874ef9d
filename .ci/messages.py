"""Extract the messages into the gettext catalog, update the translations, compile them (Babel).

    python .ci/messages.py           # write locale/ametijuhend.pot, update <lang>.po, compile .mo
    python .ci/messages.py --check   # exit 1 when a file is not what the sources give

The catalog ids come from five places: the calls of the package's message
functions (``msg``, ``nmsg``, ``tr``, ``ntr``, ``N_``), the descriptions of the
fields of a position (the comments of the files ``new`` and ``import`` write),
the comments of the starter files (those ``init`` writes, a paragraph each),
the help texts of every command and option (read from the click commands
themselves, so docstrings need no marker), and click's own messages
("Usage:", "No such option: {name}"), which the CLI routes through the
catalog. Everything is written without dates or line numbers, sorted: the same
sources give the same bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import inspect
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ametijuhend_cli import i18n  # noqa: E402

PACKAGE = ROOT / "ametijuhend_cli"
TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
#: fixed, so that the files are a function of the sources
EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
KEYWORDS = {
    "tr": None,
    # errors.msg: a message id with arguments, translated when shown; errors.nmsg: the
    # same with a plural
    "msg": None,
    "nmsg": (1, 2),
    "N_": None,
    "ntr": (1, 2),
}
CLICK_KEYWORDS = {"_": None, "ngettext": (1, 2)}


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=i18n.DOMAIN,
        project="ametijuhend",
        version="",
        copyright_holder="ametijuhend contributors",
        msgid_bugs_address="https://github.com/ametijuhend/ametijuhend/issues",
        creation_date=EPOCH,
        revision_date=EPOCH,
        fuzzy=False,
    )


def _add(catalog: Catalog, messages: object) -> None:
    # extract_from_dir yields (file, line, message, comments, context), extract_from_file
    # the same without the file
    for found in messages:  # type: ignore[attr-defined]
        message = found[-3]
        if message:
            catalog.add(message)


def _help_texts() -> list[str]:
    """Return the help text of every command and option of the CLI."""
    import click

    from ametijuhend_cli.cli import cli

    found: list[str] = []

    def walk(command: click.Command) -> None:
        if command.help:
            found.append(inspect.cleandoc(command.help).partition("\f")[0])
        for param in command.params:
            help_text = getattr(param, "help", None)
            if help_text:
                found.append(help_text)
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(cli)
    return found


def _field_descriptions() -> list[str]:
    """Return the description of every field the YAML writer comments (a position's)."""
    from ametijuhend_cli.authoring.yamlwriter import model_of
    from ametijuhend_cli.models import Position

    found: list[str] = []
    seen: set[type] = set()

    def walk(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():  # type: ignore[attr-defined]
            if info.description:
                found.append(info.description)
            sub = model_of(info.annotation)
            if sub is not None:
                walk(sub)

    walk(Position)
    return found


def _starter_comments() -> list[str]:
    """Return the comments of the starter files `init` writes (each a paragraph)."""
    from ametijuhend_cli.authoring.comments import starter_comments

    found: list[str] = []
    for path in sorted((PACKAGE / "authoring" / "starter").rglob("*")):
        if path.is_file():
            found += starter_comments(path.read_text(encoding="utf-8"))
    return found


def template() -> Catalog:
    """Return the catalog template: every message id the tool can show."""
    from ametijuhend_cli.cli.translate import CLICK_MODULES

    catalog = _new_catalog()
    # Babel warns of every f-string among a call's arguments: ours are the values of named
    # arguments (msg("byte 0x{byte}", byte=f"{b:02X}")), never an id
    # (tests/test_messages_catalog.py checks that every id is a literal)
    with contextlib.redirect_stderr(io.StringIO()):
        _add(catalog, extract_from_dir(str(PACKAGE), keywords=KEYWORDS, comment_tags=()))
    for help_text in _help_texts():
        catalog.add(help_text)
    for description in _field_descriptions():
        catalog.add(description)
    for comment in _starter_comments():
        catalog.add(comment)
    for module in CLICK_MODULES:
        path = module.__file__
        assert path is not None
        _add(catalog, extract_from_file("python", path, keywords=CLICK_KEYWORDS))
    catalog.add("Commands")
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(
        out, catalog, width=88, no_location=True, omit_header=False, sort_output=True,
        ignore_obsolete=True,
    )  # fmt: skip
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def expected_files() -> dict[Path, bytes]:
    """Return every catalog file as the sources and the present translations make it."""
    pot = template()
    files = {TEMPLATE: _po_bytes(pot)}
    for lang in i18n.LANGUAGES:
        if lang == i18n.SOURCE_LANGUAGE:
            continue
        folder = i18n.LOCALE_DIR / lang / "LC_MESSAGES"
        po_path = folder / f"{i18n.DOMAIN}.po"
        if po_path.is_file():
            with po_path.open("rb") as f:
                translated = read_po(f, locale=lang, domain=i18n.DOMAIN)
        else:
            translated = _new_catalog(lang)
        translated.update(pot, no_fuzzy_matching=True, update_creation_date=False)
        translated.creation_date = translated.revision_date = EPOCH
        translated.obsolete.clear()
        files[po_path] = _po_bytes(translated)
        # compiled from the file as written, so that the .mo is what a reader of the .po sees
        with io.BytesIO(files[po_path]) as f:
            files[folder / f"{i18n.DOMAIN}.mo"] = _mo_bytes(read_po(f, locale=lang))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args()
    stale = []
    for path, data in expected_files().items():
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run `make messages`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
