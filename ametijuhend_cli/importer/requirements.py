"""Read the requirements section: the fields, the language levels and the competencies."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.importer.body import RawCompetency, RawRequirements, breaks, entries, sentence
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.lexicon import Lexicon, norm
from ametijuhend_cli.importer.outline import ParseError, Section
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Requirements

_FIELDS = ("education", "experience", "languages", "computer_skills")
_NAMED = re.compile(r"^([^\W\d_][^:]{0,79}):(?:\s+(.*))?$", re.S)
_LEVEL = re.compile(r"\b([ABC][12])\b")


def _subheading(item: Item, label: str) -> bool:
    """Return whether ``item`` is the subheading ``label`` (or a close wording of it)."""
    folded = norm(item.text)
    if folded == label:
        return True
    words = label.split()
    return (
        not item.bullet
        and len(folded.split()) <= len(words) + 3
        and folded.startswith(" ".join(words[:2]))
    )


def _name(text: str, max_words: int = 10) -> tuple[str, str] | None:
    """Return (name, text) of 'Name: text', or None when ``text`` is no named item."""
    m = _NAMED.match(text.strip())
    if m is None or len(m.group(1).split()) > max_words:
        return None
    return m.group(1).strip(), (m.group(2) or "").strip()


@dataclass
class RequirementsForm:
    """How the requirements are written: what a layout's ``requirements`` says."""

    form: str = "table"
    rows: list[str] = field(default_factory=list)
    numbered: bool = False
    line: str = "{label}: {value}"
    #: the labels as written, by row
    labels: dict[str, str] = field(default_factory=dict)


# "7.1 ", "6.1. ": the number of a requirement's line
_ROW_NUMBER = re.compile(r"^\d+\.\d+\.?\s+")


def _label_like(text: str) -> bool:
    """Return whether a line alone reads as a label: a word or three, a capital, no stop."""
    text = text.strip().rstrip(":")
    return 0 < len(text.split()) <= 3 and text[:1].isupper() and not text.endswith((".", ";"))


def _row(text: str, lexicon: Lexicon) -> tuple[str, str, str, bool] | None:
    """Return (row, label as written, value, colon) of a requirement's line, or None."""
    for key in _FIELDS:
        for label in lexicon.requirement_labels.get(key, []):
            rest = lexicon.starts_with(text, label, bare=True)
            if rest is not None:
                colon = text[len(label) :].lstrip()[:1] == ":"
                return key, text[: len(label)], rest, colon
    named = _name(text, 4)
    if named is not None and named[1] and named[0][:1].isupper():
        return "other", named[0], named[1], True
    return None


class _Rows:
    """Reads the items of the requirements: labelled rows, then the competencies."""

    def __init__(self, lexicon: Lexicon, names: set[str]):
        self.lexicon = lexicon
        self.names = names
        self.values: dict[str, list[str]] = {}
        self.other: list[tuple[str, list[str]]] = []
        self.core: list[Item] = []
        self.additional: list[Item] = []
        self.notes: list[Message] = []
        self.form = RequirementsForm()
        self.lines = self.colons = self.written_colons = 0
        self.state: str | None = None

    def read(self, item: Item) -> None:
        labels = self.lexicon.requirements
        if _subheading(item, labels["core_competencies"]):
            self.state = "core"
        elif _subheading(item, labels["competencies"]):
            self.state = "additional"
        elif self.state in ("core", "additional") or not self._row(item):
            named = None if item.bullet else _name(item.text, 6)
            if self.state not in ("core", "additional") and named and norm(named[0]) in self.names:
                self.state = "core"  # a competency of the library: its subheading is lost
                self.notes.append(
                    msg(
                        "the competencies have no subheading '{heading}': found by {name}",
                        heading=self.lexicon.wording.requirements["core_competencies"],
                        name=excerpt(named[0]),
                    )
                )
            self._text(item)

    def _row(self, item: Item) -> bool:
        """Start a requirement's row at its label; return whether ``item`` begins one."""
        text = item.text
        number = _ROW_NUMBER.match(text)
        if number is not None:
            text = text[number.end() :]
        row = _row(text, self.lexicon)
        if row is None or (row[0] != "other" and row[0] in self.values):
            return False
        key, written, rest, colon = row
        self.form.numbered = self.form.numbered or number is not None
        self.lines += 1
        self.colons += colon or bool(rest and number)
        self.written_colons += colon
        if key not in self.form.rows:
            self.form.rows.append(key)
        if key == "other":
            self.other.append((written, [rest] if rest else []))
        else:
            self.form.labels[key] = written
            self.values[key] = [rest] if rest else []
        self.state = key
        return True

    def _text(self, item: Item) -> None:
        if self.state is None and _label_like(item.text):  # a row of the agency's own
            self.other.append((item.text.strip().rstrip(":"), []))
            self.state = "other"
        elif self.state is None:
            self.notes.append(
                msg("ignored {text} before the first requirement", text=excerpt(item.text))
            )
        elif self.state == "core":
            self.core.append(item)
        elif self.state == "additional":
            self.additional.append(item)
        elif self.state == "other":
            self.other[-1][1].append(item.text)
        else:
            self.values[self.state].append(item.text)


def parse_requirements(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, names: set[str]
) -> RawRequirements:
    """Return the requirements; ``names`` are the library's competency names (folded).

    Any of them may be missing; a labelled line of a requirement the wording does
    not name ('Juhiload: B-kategooria') is one of the position's own (other).
    """
    rows = _Rows(lexicon, names)
    for item in section.items:
        rows.read(item)
    form = rows.form
    if rows.lines and rows.colons * 2 >= rows.lines:
        form.form = "lines"
        form.line = (
            "{label}: {value}" if rows.written_colons * 2 >= rows.lines else "{label} {value}"
        )
    text = {key: joiner.join(lines) for key, lines in rows.values.items() if lines}
    style = str(Requirements.model_fields["language_style"].default)
    languages: list[dict[str, object]] = []
    if "languages" in text:
        languages, style, found = parse_languages(text["languages"], lexicon, section)
        rows.notes += found
    competencies, knowledge = _additional(rows.additional, document, joiner)
    read = text or languages or rows.core or competencies or knowledge or rows.other
    if not read and section.items:  # 'Nõutav on kõrgharidus …': kept as written, not dropped
        raise ParseError(section.title, msg("no requirement has a label"), section.start)
    return RawRequirements(
        text,
        languages,
        style,
        _core(rows.core, document, joiner, names, section, rows.notes) if rows.core else [],
        competencies,
        knowledge,
        rows.notes,
        [(label, joiner.join(lines)) for label, lines in rows.other if lines],
        form,
    )


def _core(
    items: list[Item],
    document: Document,
    joiner: Joiner,
    names: set[str],
    section: Section,
    notes: list[Message],
) -> list[RawCompetency]:
    """Return the core competencies: a name line followed by indicator bullets."""
    out: list[tuple[Item, str, list[list[str]]]] = []
    for item in items:
        named = None if item.bullet else _name(item.text, 6)
        if named is not None and (not named[1] or norm(named[0]) in names):
            out.append((item, named[0], [[named[1]]] if named[1] else []))
            continue
        if not out:
            raise ParseError(
                section.title,
                msg(
                    "expected the name of a competency and a colon, found {text}",
                    text=excerpt(item.text),
                ),
                item,
            )
        indicators = out[-1][2]
        new = item.bullet or not document.lines or not indicators
        if new or (document.detached and breaks(indicators[-1][-1], item.text)):
            indicators.append([item.text])
        else:
            indicators[-1].append(item.text)
    result = []
    for n, (item, name, indicators) in enumerate(out, 1):
        if not indicators and n == len(out) and item is items[-1]:
            # the last line of the section: the document stops after the competency's name
            notes.append(
                msg("the competency {name} has no description: left out", name=excerpt(name))
            )
            break
        if not indicators:
            raise ParseError(
                section.title,
                msg("the competency {name} has no description", name=excerpt(name)),
                item,
            )
        result.append(RawCompetency(name, [sentence(joiner.join(i)) for i in indicators]))
    return result


def _additional(
    items: list[Item], document: Document, joiner: Joiner
) -> tuple[list[RawCompetency], list[str]]:
    """Return the named additional competencies and the knowledge items after them."""
    competencies: list[RawCompetency] = []
    knowledge: list[str] = []

    def starts(entry: list[str], line: str) -> bool:
        if _name(line) is not None:
            return True
        return _name(entry[0]) is None and breaks(entry[-1], line)

    for text in entries(items, document, joiner, starts):
        named = _name(text)
        if named is not None and named[1]:
            competencies.append(RawCompetency(named[0], [named[1]]))
        else:
            knowledge.append(sentence(text))
    return competencies, knowledge


def _names(text: str, lexicon: Lexicon) -> list[str]:
    """Return 'inglise või vene' as ['inglise', 'vene']."""
    parts = (
        re.split(r",|\s" + re.escape(lexicon.language_or) + r"\s", text)
        if lexicon.language_or
        else [text]
    )
    stem = lexicon.importer.language.casefold()
    out = []
    for part in parts:
        words = [w for w in part.split() if not w.casefold().startswith(stem)]
        if words:
            out.append(" ".join(words).lower())
    return out


def parse_languages(
    text: str, lexicon: Lexicon, section: Section
) -> tuple[list[dict[str, object]], str, list[Message]]:
    """Return the languages with their CEFR levels, the phrasing style and report notes."""
    found: list[tuple[int, int, dict[str, object], str | None]] = []
    for key, pattern in lexicon.language_phrases:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end, _, _ in found):
                continue
            level = m.group("level").upper()
            if key.startswith("any_foreign"):
                entry: dict[str, object] = {"any_foreign": True}
                if key == "any_foreign_preferably":
                    entry["preferably"] = _names(m.group("languages"), lexicon)
                entry["level"] = level
                found.append((m.start(), m.end(), entry, None))
            else:
                found.append((m.start(), m.end(), _named(m.group("language"), level, lexicon), key))
    notes: list[Message] = []
    rest = text
    for start, end, _, _ in found:  # blank out what was read, keeping the offsets
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for sentence_match in re.finditer(r"\S.*?(?:[.;](?=\s|$)|$)", rest):
        part = " ".join(sentence_match.group().split())
        if not re.search(r"\w", part):
            continue
        notes.append(
            msg(
                "language requirement '{text}' kept as written (it is worded in none of the "
                "phrasings of wording.yaml's languages)",
                text=part,
            )
        )
        found.append((sentence_match.start(), 0, {"text": part}, None))
    found.sort(key=lambda f: f[0])
    styles = [style for _, _, _, style in found if style]
    # the most common phrasing is the position's; an item worded otherwise keeps its own
    counts = Counter(styles)
    style = (
        max(counts, key=lambda k: (counts[k], -styles.index(k)))
        if styles
        else str(Requirements.model_fields["language_style"].default)
    )
    for _, _, entry, own in found:
        if own is not None and own != style:
            entry["style"] = own
    return [entry for _, _, entry, _ in found], style, notes


def _named(text: str, level: str, lexicon: Lexicon) -> dict[str, object]:
    """Return the requirement of 'eesti' or of several languages, 'eesti ja vene'."""
    joiners = [j for j in (lexicon.language_and, ",") if j]
    pattern = "|".join(r"\s*,\s*" if j == "," else r"\s+" + re.escape(j) + r"\s+" for j in joiners)
    names = [n.lower() for n in re.split(pattern, text.strip(), flags=re.I) if n.strip()]
    if len(names) == 1:
        return {"language": names[0], "level": level}
    return {"languages": names, "level": level}
