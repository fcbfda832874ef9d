"""The message catalog: what the tool says, in Estonian or English, and how the language is chosen.

Messages are English catalog ids with named arguments in braces (``"{n} positions
checked"``); ``tr(msgid, **args)`` looks the id up in the gettext catalog of
the chosen language and fills the arguments in. ``N_`` marks an id for
extraction where it is translated later (a module-level constant, a click help
text). The catalogs are ``locale/<lang>/LC_MESSAGES/ametijuhend.po`` in the
package, compiled to ``.mo`` by ``make messages`` (Babel) and shipped in the
wheel; ``tests/test_i18n.py`` fails when a message has no
translation or the compiled catalog is stale.

The language, first found wins: the environment variable ``AMETIJUHEND_LANG``
(``et`` or ``en``); in CI (the variable ``CI`` set) the project's
``messages.ci`` of ametijuhend.yaml; the project's ``messages.language``; the
locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``et_EE.UTF-8`` is
Estonian); else English.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path

#: The gettext domain: the catalog files are named after it.
DOMAIN = "ametijuhend"
#: The languages the tool speaks; the catalog ids are English.
LANGUAGES = ("et", "en")
SOURCE_LANGUAGE = "en"
#: The environment variable that chooses the language over everything else.
ENVIRONMENT = "AMETIJUHEND_LANG"
#: The project setting's value that leaves the choice to the locale.
FROM_LOCALE = "locale"
#: Where the catalogs are: ametijuhend_cli/locale/<lang>/LC_MESSAGES/ametijuhend.mo.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: list[str] = [SOURCE_LANGUAGE]


def N_(message: str) -> str:
    """Return ``message`` unchanged: marks a catalog id that is translated where it is shown."""
    return message


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """Return the compiled catalog of ``language`` (English: the ids themselves)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def language() -> str:
    """Return the language messages are shown in now: 'et' or 'en'."""
    return _current[0]


def set_language(lang: str) -> None:
    """Show messages in ``lang`` from now on, in this process and the workers it forks.

    A worker started by spawn (where fork is missing) imports this module
    afresh: its initializer must call ``set_language(language())`` of the parent.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: give one of {', '.join(LANGUAGES)}")
    _current[0] = lang


def gettext_(message: str) -> str:
    """Return ``message`` in the current language (the plain gettext call)."""
    if not message:  # gettext's "" is the catalog's header, not a message
        return message
    return catalog(_current[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form for ``n`` in the current language."""
    return catalog(_current[0]).ngettext(singular, plural, n)


def tr(msgid: str, /, **args: object) -> str:
    """Return the message ``msgid`` in the current language, its {named} arguments filled in."""
    message = gettext_(msgid)
    return message.format(**args) if args else message


def ntr(singular: str, plural: str, n: int, /, **args: object) -> str:
    """Return the singular or plural message for ``n``, its arguments ({n} included) filled in."""
    return ngettext(singular, plural, n).format(n=n, **args)


def locale_language(environ: Mapping[str, str]) -> str | None:
    """Return the language the locale asks for ('et', 'en'), or None when it names neither.

    The variables in gettext's order: LANGUAGE (a list of preferences), then
    the first of LC_ALL, LC_MESSAGES, LANG that is set; "C" and "POSIX" name
    no language, another language than Estonian gives English.
    """
    for item in environ.get("LANGUAGE", "").split(":"):
        if _code(item) in LANGUAGES:  # a list of preferences: the first the tool speaks
            return _code(item)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = _code(environ.get(variable, ""))
        if code in LANGUAGES:
            return code
        if code:  # the first variable set decides: C and POSIX name no language
            return None if code in ("c", "posix") else SOURCE_LANGUAGE
    return None


def _code(locale: str) -> str:
    """Return the language code of a locale name: 'et' of 'et_EE.UTF-8'."""
    return locale.split(".")[0].split("@")[0].split("_")[0].strip().lower()


def choose_language(
    environ: Mapping[str, str], setting: str | None = None, ci_setting: str | None = None
) -> str:
    """Return the language to speak, from the environment and the project's settings.

    ``setting`` is the project's ``messages.language`` (et, en or locale),
    ``ci_setting`` its ``messages.ci`` (et, en or None: as outside CI).
    """
    forced = environ.get(ENVIRONMENT, "").strip().lower()
    if forced in LANGUAGES:
        return forced
    if environ.get("CI") and ci_setting in LANGUAGES:
        return ci_setting
    if setting in LANGUAGES:
        return setting
    return locale_language(environ) or SOURCE_LANGUAGE
