"""Read a project's sources as they were at a git revision."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ametijuhend_cli.errors import AmetijuhendError, Message, msg, with_hint
from ametijuhend_cli.messages import close_matches, os_reason

#: Blobs larger than this are not read from history (no source file is this big).
MAX_FILE = 20 * 1024 * 1024
#: Files the tool reads: one of these larger than MAX_FILE is an error, not skipped.
_SOURCE_SUFFIXES = (".yaml", ".yml", ".j2", ".docx")
#: Nor more than this in all, so that a crafted history cannot fill the disk.
MAX_TOTAL = 200 * 1024 * 1024
_REGULAR = ("100644", "100755")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
UNSHALLOW_HINT = msg(
    "fetch the whole history with 'git fetch --unshallow' (in GitHub Actions: "
    "actions/checkout with 'fetch-depth: 0'; in GitLab CI: GIT_DEPTH: 0)"
)
_COMMIT_FIRST = msg("commit the sources first (git add, git commit)")


class GitError(AmetijuhendError):
    """git failed or the project is not in a git repository; ``hint`` says what to do."""

    def __init__(self, message: Message, hint: Message | None = None):
        super().__init__(with_hint(message, hint))
        #: git itself is missing (not: this folder is not in a repository)
        self.no_git = False


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise _no_git() from None
    except OSError as exc:  # too many open files, no memory for the child
        raise GitError(msg("git could not be started: {reason}", reason=os_reason(exc))) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        said = lines[-1] if lines else str(done.returncode)  # git's own words
        raise GitError(msg("git {command} failed: {reason}", command=args[0], reason=said))
    return done.stdout


def _no_git() -> GitError:
    error = GitError(
        msg("git is not installed (no 'git' on the PATH)"),
        hint=msg(
            "'ametijuhend diff' reads the versions from git: install git, or add it to the PATH"
        ),
    )
    error.no_git = True
    return error


def repository_root(folder: Path) -> Path:
    """Return the top folder of the git repository holding ``folder``."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except GitError as exc:
        if exc.no_git:
            raise
        raise GitError(
            msg("{folder} is not in a git repository", folder=str(folder)),
            hint=msg(
                "'ametijuhend diff' compares versions kept in git; run it inside the repository"
            ),
        ) from None


def has_commits(root: Path) -> bool:
    """Return True when the repository at ``root`` has a commit checked out."""
    return _resolve(root, "HEAD") is not None


def is_shallow(root: Path) -> bool:
    """Return True in a shallow clone (history cut at some depth)."""
    return _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"


def _resolve(root: Path, name: str) -> str | None:
    if not name or name.startswith("-") or any(c in name for c in "\0\n"):
        return None
    try:
        found = _git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"
        )
    except GitError:
        return None
    sha = found.decode("ascii", "replace").strip()
    return sha if _SHA.fullmatch(sha) else None


def resolve(root: Path, name: str) -> str | None:
    """Return the commit ``name`` names, or None when it names none (or looks like an option)."""
    return _resolve(root, name)


def ref_names(root: Path) -> list[str]:
    """Return the short names of the branches and tags, for "did you mean"."""
    out = _git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags")
    return out.decode("utf-8", "replace").split()


def check_revision(root: Path, name: str) -> str:
    """Return the commit of ``name``; raise a GitError saying why there is none."""
    if name.startswith("-"):
        raise GitError(
            msg("{name} is not a revision: it starts with '-'", name=f"'{name}'"),
            hint=msg("options go before the revisions; a position id after '--'"),
        )
    sha = _resolve(root, name)
    if sha is not None:
        return sha
    if not has_commits(root):
        raise GitError(no_commits_message(root), hint=_COMMIT_FIRST)
    if is_shallow(root):
        raise GitError(
            msg(
                "revision {name} is not in this shallow clone (its history is cut off)",
                name=f"'{name}'",
            ),
            hint=UNSHALLOW_HINT,
        )
    close = close_matches(name, ref_names(root))
    raise GitError(
        msg("unknown revision {name}", name=f"'{name}'"),
        hint=msg("did you mean {names}?", names=", ".join(close))
        if close
        else msg("see 'git log --oneline' and 'git tag'"),
    )


def commit_date(root: Path, commit: str) -> dt.date:
    """Return the day ``commit`` was committed, in its committer's time zone."""
    if not _SHA.fullmatch(commit):
        raise GitError(msg("{name} is not a commit id", name=f"'{commit}'"))
    stamp = _git(root, "show", "-s", "--format=%cI", commit).decode("ascii", "replace").strip()
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        raise GitError(msg("git gave no date for {commit}", commit=commit[:12])) from None


def history(root: Path, subfolder: str, depth: int) -> list[str]:
    """Return the last ``depth`` commits (newest first) that changed ``subfolder``."""
    if not has_commits(root):
        return []
    where = subfolder if subfolder not in ("", ".") else "."
    out = _git(root, "rev-list", f"--max-count={depth}", "HEAD", "--", where)
    return [sha for sha in out.decode("ascii", "replace").split() if _SHA.fullmatch(sha)]


def no_commits_message(root: Path) -> Message:
    """Return the message for a repository without commits."""
    return msg(
        "the git repository {root} has no commits yet: there is no version to compare with",
        root=str(root),
    )


@dataclass(frozen=True)
class _Blob:
    path: PurePosixPath
    oid: str
    size: int


def _tree(root: Path, commit: str, subfolder: str) -> list[_Blob]:
    if not _SHA.fullmatch(commit):
        raise GitError(msg("{name} is not a commit id", name=f"'{commit}'"))
    tree = f"{commit}:{subfolder}" if subfolder not in ("", ".") else commit
    try:
        listing = _git(root, "ls-tree", "-r", "-z", "-l", "--end-of-options", tree)
    except GitError:
        raise GitError(
            msg(
                "the project folder {folder} does not exist at {commit}",
                folder=f"'{subfolder}'",
                commit=commit[:12],
            )
        ) from None
    blobs = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode("ascii").split()
        path = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        # regular files only: no symlinks, no submodules; never a path leaving the folder
        if mode not in _REGULAR or kind != "blob" or path.is_absolute() or ".." in path.parts:
            continue
        blobs.append(_Blob(path, oid, int(size)))
    return blobs


def _contents(root: Path, blobs: list[_Blob]) -> list[bytes]:
    if not blobs:
        return []
    data = _git(root, "cat-file", "--batch", stdin="".join(b.oid + "\n" for b in blobs).encode())
    out, pos = [], 0
    for blob in blobs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3 or header[0].decode() != blob.oid:
            said = msg("git cat-file gave an unexpected answer for {path}", path=str(blob.path))
            raise GitError(said)
        size = int(header[2])
        out.append(data[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return out


def export(root: Path, commit: str, subfolder: str, dest: Path) -> Path:
    """Write the files of ``subfolder`` at ``commit`` into ``dest``; return that folder.

    Every regular file is read from git's object store (``ls-tree`` and
    ``cat-file``), so that no attribute (``export-ignore``) hides one.
    """
    blobs = _tree(root, commit, subfolder)
    for blob in blobs:
        if blob.size > MAX_FILE and blob.path.suffix.lower() in _SOURCE_SUFFIXES:
            raise GitError(
                msg(
                    "{path} at {commit} is larger than {n} KB: not a source file of a job "
                    "description",
                    path=str(blob.path),
                    commit=commit[:12],
                    n=MAX_FILE >> 10,
                )
            )
    blobs = [b for b in blobs if b.size <= MAX_FILE]
    if sum(b.size for b in blobs) > MAX_TOTAL:
        raise GitError(
            msg(
                "the project at {commit} is larger than {n} MB",
                commit=commit[:12],
                n=MAX_TOTAL >> 20,
            )
        )
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for blob, data in zip(blobs, _contents(root, blobs), strict=True):
            target = dest.joinpath(*blob.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:  # a full temporary folder
        raise GitError(
            msg(
                "cannot copy the sources at {commit} into the temporary folder {folder}: {reason}",
                commit=commit[:12],
                folder=str(dest.parent),
                reason=os_reason(exc),
            ),
            hint=msg("free some space there, or point TMPDIR at a folder with room"),
        ) from None
    return dest
