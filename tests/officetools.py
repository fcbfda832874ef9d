"""The office programs the office checks drive (make check-office): LibreOffice and pdftotext.

A missing program fails the check instead of skipping it: `.ci/run` installs them,
and a check that skips in CI would pass without having looked.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ametijuhend_cli.render.pdf import find_soffice


def require(*tools: str) -> None:
    """Fail unless every program of ``tools`` is on the PATH."""
    for tool in tools:
        # LibreOffice as the tool finds it (also where it is not on the PATH)
        found = find_soffice() if tool == "soffice" else shutil.which(tool)
        assert found, f"{tool} is not installed (see .ci/run)"


def soffice(args: Sequence[str], cwd: Path) -> None:
    """Run LibreOffice without a window in ``cwd`` with ``args``.

    It gets a profile of its own: another LibreOffice (a check on another worker,
    the user's own) holding the default profile makes this one exit 1.
    """
    program = find_soffice()
    assert program, "LibreOffice is not installed (see .ci/run)"
    profile = f"-env:UserInstallation={(cwd / '.lo-profile').resolve().as_uri()}"
    subprocess.run(
        [program, profile, "--headless", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=300,
    )


def pdftotext(pdf: Path, mode: str = "raw") -> str:
    """Return the text of ``pdf``: -raw keeps LibreOffice's content order (a table
    row's cells one after another), -layout sets a table's columns side by side."""
    done = subprocess.run(
        ["pdftotext", f"-{mode}", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")
