"""Position ids: what makes an id safe as a file name on every system."""

from __future__ import annotations

import re

from ametijuhend_cli.errors import msg
from ametijuhend_cli.messages import excerpt, odd_character

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$")
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def check_slug(value: str) -> str:
    """Return ``value`` if it is a safe id (and file name); raise ValueError otherwise."""
    if value in WINDOWS_RESERVED:
        raise ValueError(
            msg(
                "{id} is not a valid id: it is a reserved device name on Windows, where no "
                "file can have it",
                id=excerpt(value),
            )
        )
    if len(value) > 80:
        raise ValueError(
            msg(
                "{id} is not a valid id: it is longer than {n} characters",
                id=excerpt(value, 21),
                n=80,
            )
        )
    if not SLUG.fullmatch(value):
        odd = odd_character(value)
        if odd:
            raise ValueError(
                msg(
                    "{id} is not a valid id: it {odd}; use lowercase letters a-z, digits, '-' "
                    "and '_' (not starting or ending with '-' or '_')",
                    id=excerpt(value),
                    odd=odd,
                )
            )
        raise ValueError(
            msg(
                "{id} is not a valid id: use lowercase letters a-z, digits, '-' and '_' (not "
                "starting or ending with '-' or '_')",
                id=excerpt(value),
            )
        )
    return value


def is_slug(value: str) -> bool:
    """Return True when ``value`` is a safe id."""
    return value not in WINDOWS_RESERVED and SLUG.fullmatch(value) is not None
