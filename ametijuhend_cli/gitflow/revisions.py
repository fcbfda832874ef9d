"""Read a project's sources as they were at a git revision."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from ametijuhend_cli.errors import AmetijuhendError


class GitError(AmetijuhendError):
    """git failed or the project is not in a git repository."""


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def repository_root(folder: Path) -> Path:
    """Return the top folder of the git repository holding ``folder``."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except GitError:
        raise GitError(f"{folder} is not in a git repository") from None


def is_revision(folder: Path, name: str) -> bool:
    """Return True when ``name`` names a commit in the repository at ``folder``."""
    if not name or name.startswith("-"):
        return False
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    except GitError:
        return False
    return True


def export(root: Path, revision: str, subfolder: str, dest: Path) -> Path:
    """Write the files of ``subfolder`` at ``revision`` into ``dest``; return that folder."""
    tree = f"{revision}:{subfolder}" if subfolder not in ("", ".") else revision
    data = _git(root, "archive", "--format=tar", tree)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            # an archive of our own repository, but never write outside dest
            target = (dest / member.name).resolve()
            if not str(target).startswith(str(dest.resolve())) or not (
                member.isfile() or member.isdir()
            ):
                continue
            if hasattr(tarfile, "data_filter"):
                archive.extract(member, dest, filter="data")
            else:  # Python before 3.10.12: the check above is the filter
                archive.extract(member, dest)
    return dest
