"""The letters to employees (`notice`) and the approval directive (`directive`)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.text.paragraph import Paragraph

from ametijuhend_cli.render.letter import LetterRenderer
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import REPO, edit, git, run

POSITION = "data/positions/teenusejuht-kov.yaml"
SETTINGS = {
    "notice": {
        "sender": {"name": "Mari Mets", "title": "personalijuht", "office": "Personaliosakond"},
        "contact": "Mari Mets, 5555 5555",
        "reply_days": 10,
    },
    "directive": {
        "basis": [
            "avaliku teenistuse seaduse § 52 lõike 1",
            "Sotsiaalkindlustusameti põhimääruse § 12 lõike 1 punkti 3",
        ],
        "approver": {"name": "Maret Maripuu", "title": "peadirektor"},
        "compiler": {"name": "Mari Mets", "title": "personalijuht"},
        "notify": ["Personaliosakond"],
    },
}


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def changed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the sample repository with a project file and a commit that changes one position."""
    (repo / "ametijuhend.yaml").write_text(
        yaml.safe_dump(SETTINGS, allow_unicode=True), encoding="utf-8"
    )
    commit(repo, "settings")
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    edit(
        repo / POSITION,
        "Oma pädevuse piires arvamuste andmine õigusaktide eelnõudele.",
        "Oma pädevuse piires arvamuste andmine seaduste ja määruste eelnõudele.",
    )
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-03-01T10:00:00+02:00")
    commit(repo, "experience")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return repo


def _paragraphs(data: bytes) -> list[Paragraph]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def test_the_letter_as_docx(changed: Path) -> None:
    result = run("notice", "HEAD~1", "HEAD", "-o", "teated")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote teated/teade-teenusejuht-kov.docx\n"
    data = (changed / "teated/teade-teenusejuht-kov.docx").read_bytes()
    paragraphs = _paragraphs(data)
    texts = [p.text for p in paragraphs]
    # dated by the commit, the date on the right; the title in the Title style
    date = next(p for p in paragraphs if p.text == "01.03.2025")
    assert date.alignment is not None and int(date.alignment) == 2  # right
    title = next(p for p in paragraphs if p.text == "Teade ametijuhendi muutmise kohta")
    assert title.style is not None and title.style.name == "Title"
    assert "Lugupeetud Mart-Peeter Erss" in texts
    # a changed text: deleted words struck through, inserted ones underlined
    changed_task = next(p for p in paragraphs if "eelnõudele" in p.text)
    assert changed_task.style is not None and changed_task.style.name == "List Bullet"
    struck = [r.text for r in changed_task.runs if r.font.strike]
    underlined = [r.text for r in changed_task.runs if r.font.underline]
    assert (struck, underlined) == (["õigusaktide"], ["seaduste ja määruste"])
    # the sender from the project file; the reply date 10 days on (consent: requirements)
    assert "Palun teatage oma nõusolekust või mittenõusolekust hiljemalt 11.03.2025." in texts
    assert any(
        t.startswith("(allkirjastatud digitaalselt)\nMari Mets\npersonalijuht") for t in texts
    )
    assert "Kontakt: Mari Mets, 5555 5555" in texts
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.title == "Teade ametijuhendi muutmise kohta"
    assert core.author == "Sotsiaalkindlustusamet"
    # the same letter every time
    assert run("notice", "HEAD~1", "HEAD", "-o", "again").exit_code == 0
    assert (changed / "again/teade-teenusejuht-kov.docx").read_bytes() == data


def test_a_letter_without_a_date_is_refused(changed: Path) -> None:
    edit(changed / POSITION, "Vähemalt 5-aastane", "Vähemalt 6-aastane")
    text = (changed / POSITION).read_text(encoding="utf-8")
    assert "reviewed:" not in text and "approval:" not in text
    result = run("notice", "-o", "teated")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the working tree has no commit to date the letters by\n"
        "    hint: commit the change, or give --date YYYY-MM-DD\n"
    )
    dated = run("notice", "--date", "2025-04-01", "-o", "teated", "--format", "md")
    assert dated.exit_code == 0, dated.stderr
    assert "01.04.2025" in (changed / "teated/teade-teenusejuht-kov.md").read_text("utf-8")


def test_markup_in_the_data_stays_text() -> None:
    renderer = LetterRenderer(TemplateSet.for_project(REPO / "templates"))
    from ametijuhend_cli.render.markdown import escape_markdown

    value = escape_markdown(
        "Kasuta <del>vana</del> ja **uut** [linki](http://x) <!-- style: title -->"
    )
    markdown = f"Tekst: {value}\n\nja <ins>lisatud</ins> <b>b</b>\n"
    paragraphs = _paragraphs(renderer.render(markdown, creator="A", date=None))
    first, second = paragraphs
    assert first.text == (
        "Tekst: Kasuta <del>vana</del> ja **uut** [linki](http://x) <!-- style: title -->"
    )
    assert not any(r.font.strike or r.font.bold or r.font.underline for r in first.runs)
    assert first.style is not None and first.style.name == "Normal"
    assert second.text == "ja lisatud <b>b</b>"
    assert [r.text for r in second.runs if r.font.underline] == ["lisatud"]


def test_the_directive(changed: Path) -> None:
    result = run(
        "directive", "HEAD~1", "HEAD", "--number", "1-2/34", "-o", "kk", "--", "koordinaator-klat"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote kk/00-kaskkiri.docx\nwrote kk/01-lisa-1-koordinaator-klat.docx\n"
    # named positions are annexed whether they changed or not
    directive = [p.text for p in _paragraphs((changed / "kk/00-kaskkiri.docx").read_bytes())]
    assert "KÄSKKIRI" in directive
    assert "01.03.2025 nr 1-2/34" in directive
    assert "Ametijuhendite kinnitamine" in directive
    assert (
        "Avaliku teenistuse seaduse § 52 lõike 1 ja Sotsiaalkindlustusameti põhimääruse § 12 "
        "lõike 1 punkti 3 alusel:"
    ) in directive
    assert "1. Kinnitan järgmiste ametikohtade ametijuhendid (lisatud):" in directive
    assert any(t.startswith("1.1. Koordinaator (") and t.endswith(") – lisa 1.") for t in directive)
    assert "(allkirjastatud digitaalselt)\nMaret Maripuu\npeadirektor" in directive
    assert directive[directive.index("Teatavaks teha:") + 1 :][:2][1] == "Personaliosakond"
    assert "Koostaja: Mari Mets, personalijuht" in directive
    annex = _paragraphs((changed / "kk/01-lisa-1-koordinaator-klat.docx").read_bytes())
    assert [p.text for p in annex[:2]] == [
        "Sotsiaalkindlustusameti peadirektori 01.03.2025 käskkirja nr 1-2/34 lisa 1",
        "KINNITATUD",
    ]


def test_the_directive_of_the_changed_positions_as_one_archive(changed: Path) -> None:
    result = run("directive", "HEAD~1", "HEAD", "--zip", "kaskkiri.zip")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(changed / "kaskkiri.zip") as zf:
        assert zf.namelist() == ["00-kaskkiri.docx", "01-lisa-1-teenusejuht-kov.docx"]
        directive = [p.text for p in _paragraphs(zf.read("00-kaskkiri.docx"))]
        annex = _paragraphs(zf.read("01-lisa-1-teenusejuht-kov.docx"))
    assert "Mart-Peeter Erss" in directive  # the employee concerned is made known
    assert "… nr …" not in directive and "01.03.2025 nr …" in directive  # a draft: no number
    assert annex[0].text == "Lisa 1" and annex[1].text == "AMETIJUHEND"
    nothing = run("directive", "HEAD", "HEAD")
    assert nothing.exit_code == 1
    assert nothing.stderr.startswith(
        "error: no job description is new or changed between these revisions\n"
    )


def test_the_redline_takes_the_commit_date(changed: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "teenusejuht-kov", "--format", "docx", "-o", "r.docx")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(changed / "r.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    dates = set(re.findall(r'w:date="([^"]+)"', xml))
    assert dates and dates <= {"2025-03-01T00:00:00Z", "2025-03-01T00:01:00Z"}


@pytest.fixture
def office(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the names of the documents LibreOffice was given; its PDF is 'PDF of ' + the DOCX."""
    from ametijuhend_cli.render import pdf

    given: list[str] = []

    def convert_to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
        outdir.mkdir(parents=True, exist_ok=True)
        made = []
        for file in docx_files:
            given.append(file.name)
            made.append(outdir / f"{file.stem}.pdf")
            made[-1].write_bytes(b"PDF of " + file.read_bytes())
        return made

    monkeypatch.setattr(pdf, "convert_to_pdf", convert_to_pdf)
    return given


def test_the_letter_as_pdf_only(changed: Path, office: list[str]) -> None:
    result = run("notice", "HEAD~1", "HEAD", "-o", "teated", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote teated/teade-teenusejuht-kov.pdf\n"
    assert office == ["teade-teenusejuht-kov.docx"]
    assert sorted(p.name for p in (changed / "teated").iterdir()) == ["teade-teenusejuht-kov.pdf"]
    assert run("notice", "HEAD~1", "HEAD", "-o", "docx").exit_code == 0
    letter = (changed / "docx/teade-teenusejuht-kov.docx").read_bytes()
    # the PDF is made of the very letter --format docx writes
    assert (changed / "teated/teade-teenusejuht-kov.pdf").read_bytes() == b"PDF of " + letter


def test_the_letter_as_docx_and_pdf(changed: Path, office: list[str]) -> None:
    result = run("notice", "HEAD~1", "HEAD", "-o", "teated", "--format", "docx", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (changed / "teated").iterdir()) == [
        "teade-teenusejuht-kov.docx",
        "teade-teenusejuht-kov.pdf",
    ]
    letter = (changed / "teated/teade-teenusejuht-kov.docx").read_bytes()
    assert (changed / "teated/teade-teenusejuht-kov.pdf").read_bytes() == b"PDF of " + letter


def test_an_annex_label_of_a_wording_that_cannot_be_filled() -> None:
    from ametijuhend_cli.document.annex import LABEL, LINE, fill
    from ametijuhend_cli.errors import TemplateError

    assert fill("Lisa {annex}", LABEL, annex="3") == "Lisa 3"
    with pytest.raises(TemplateError) as caught:
        fill("Lisa {annex", LABEL, annex="3")
    assert str(caught.value) == ("wording approval.annex_label: expected '}' before end of string")
    # the title of the directive has no place in the line of a directive without one
    with pytest.raises(TemplateError) as caught:
        fill("„{directive}“ lisa {annex}", LINE, by="", date="", number="1-2/3", annex="1")
    assert str(caught.value) == (
        "wording approval.annex_line_untitled: {directive} is not one of "
        "{by}, {date}, {number}, {annex}"
    )
