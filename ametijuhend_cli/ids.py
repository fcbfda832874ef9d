"""Position ids: what makes an id safe as a file name on every system."""

from __future__ import annotations

import re

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
            f"{excerpt(value)} is not a valid id: it is a reserved device name on Windows, "
            "where no file can have it"
        )
    if len(value) > 80:
        raise ValueError(f"{excerpt(value, 21)} is not a valid id: it is longer than 80 characters")
    if not SLUG.fullmatch(value):
        odd = odd_character(value)
        raise ValueError(
            f"{excerpt(value)} is not a valid id: "
            + (f"it {odd}; " if odd else "")
            + "use lowercase letters a-z, digits, '-' and '_' "
            "(not starting or ending with '-' or '_')"
        )
    return value


def is_slug(value: str) -> bool:
    """Return True when ``value`` is a safe id."""
    return value not in WINDOWS_RESERVED and SLUG.fullmatch(value) is not None
