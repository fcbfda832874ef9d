"""What the importer recognizes in a document, all taken from the wording (wording.yaml)."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ametijuhend_cli.layout import Layout
from ametijuhend_cli.models import SectionKey
from ametijuhend_cli.sources.wording import Wording

#: The sections of a job description, in document order (the model's one list of them).
SECTION_KEYS: tuple[str, ...] = typing.get_args(SectionKey)
_NUMBER = re.compile(r"^(\d+)\.?\s+(?=\S)")
#: a label's number in the general part: "1.1", "1.1.", "1."
_LABEL_NUMBER = r"(?:\d+(?:\.\d+)*\.?\s*)?"
_LEVEL = "(?P<level>[ABC][12])"
_WORD = r"[^\W\d_]+"
_LANGUAGE = rf"(?P<language>{_WORD})"


def norm(text: str) -> str:
    """Return ``text`` folded for comparison: case, whitespace and a trailing colon ignored."""
    return " ".join(text.casefold().replace("\u00ad", "").split()).rstrip(" :")


def strip_number(text: str) -> tuple[str | None, str]:
    """Return the leading section number of a heading ('4.  ÕIGUSED') and the rest."""
    m = _NUMBER.match(text)
    return (m.group(1), text[m.end() :]) if m else (None, text)


def literal(text: str) -> str:
    """Return a regex for fixed wording, any run of whitespace matching any other."""
    pattern = r"\s+".join(re.escape(word) for word in text.split())
    if text[:1].isspace():
        pattern = r"\s+" + pattern
    if text[-1:].isspace() and pattern != r"\s+":
        pattern += r"\s+"
    return pattern


def template_pattern(template: str, fields: dict[str, str]) -> re.Pattern[str]:
    """Return a regex for a wording template: ``{name}`` becomes the group in ``fields``."""
    out = []
    for fixed, name in re.findall(r"([^{]*)(?:\{(\w+)\}|$)", template):
        out.append(literal(fixed))
        if name:
            out.append(fields[name])
    pattern = "".join(out)
    if pattern.endswith(r"\."):
        pattern = pattern[:-2]
    return re.compile(pattern + r"\.?", re.IGNORECASE)


def date_pattern(date_format: str) -> str:
    """Return a regex group ``date`` for dates written with the strftime ``date_format``."""
    parts = {"%d": r"\d{1,2}", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{2}"}
    out = re.escape(date_format)
    for code, regex in parts.items():
        out = out.replace(re.escape(code), regex)
    return f"(?P<date>{out})"


def _add(table: dict[str, list[str]], key: str, value: str) -> None:
    """Add ``value`` to the list of ``key`` in ``table`` unless it is there."""
    values = table.setdefault(key, [])
    if value not in values:
        values.append(value)


@dataclass(frozen=True)
class Approved:
    """An approval line read: the approver, the date, the number and the line's template."""

    by: str
    date: dt.date
    number: str
    template: str


#: the word of a wording's approval line that names the act ("käskkirjaga nr {number}")
_ACT = re.compile(r"[^\W\d_]+(?=\s+nr\.?\s+\{number\})")


# "{date} käskkirjaga nr {number}": the date, then the act and the number
_DATE_BEFORE_ACT = re.compile(r"\{date\}\s+(\S+)(\s+nr\.?\s+\{number\})")


def _line_patterns(
    templates: list[str], fields: dict[str, str]
) -> list[tuple[re.Pattern[str], str]]:
    """Return the patterns of approval or annex lines and their templates: as the wording
    has them, with any act ('korraldusega' for 'käskkirjaga'), and with the date after the
    act ('direktori käskkirjaga 01.02.2025 nr 5'), as many write it."""
    written = list(templates)
    written += [general for t in templates if (general := any_act(t)) is not None]
    written += [moved for t in written if (moved := _DATE_BEFORE_ACT.sub(r"\1 {date}\2", t)) != t]
    return [(template_pattern(t, fields), t) for t in written]


def any_act(template: str) -> str | None:
    """Return an approval or annex line's template with its act as the field ``{act}``, so
    that a line naming another act ('korraldusega', 'otsuse') is read too; None: no act."""
    m = _ACT.search(template)
    return template[: m.start()] + "{act}" + template[m.end() :] if m is not None else None


@dataclass(frozen=True)
class Heading:
    """A recognized section heading."""

    key: str
    employment: str | None  # the vocabulary that uses this wording, if only one does


@dataclass(frozen=True)
class Prose:
    """A field of the general part written as a sentence of its layout."""

    field: str
    template: str
    pattern: re.Pattern[str]


def _prose(layouts: Sequence[Layout]) -> list[Prose]:
    """Return the sentences the layouts write fields of the general part as, as patterns."""
    found: list[Prose] = []
    for layout in layouts:
        for row in layout.general.fields:
            for f in row:
                if f.text and "{value}" in f.text and f.text not in [p.template for p in found]:
                    fixed = f.text.replace("{label}", "").replace("{number}", "")
                    pattern = template_pattern(fixed, {"value": "(?P<value>.+?)"})
                    found.append(Prose(f.field, f.text, pattern))
    return found


class Lexicon:
    """Headings, labels and phrasings to look for: one object for everything the importer
    recognizes, taken from the layouts (their wording first, then their forms).

    ``wording`` is the chosen layout's (the project's, or ``import --layout``'s); the
    ``others`` are the wordings and layouts of every other layout the project knows,
    so that a document of another layout is read too (and its layout learnt).
    """

    def __init__(
        self,
        wording: Wording,
        others: Sequence[Wording] = (),
        layouts: Sequence[Layout] = (),
    ):
        self.wording = wording
        everything = [wording, *others]
        self.headings: dict[str, Heading] = {}
        self.intros: dict[str, tuple[str, str]] = {}
        for one in everything:
            self._headings(one)
        # every name as a pattern that matches at the start of a line, the longest first:
        # "2. TEENISTUSKOHA EESMÄRK 2.1. …" and "Õigused: teha …" start with a heading
        self.heading_starts = [
            (re.compile(literal(name) + r"(?=$|[\s:.;,])", re.I), name, heading)
            for name, heading in sorted(self.headings.items(), key=lambda kv: -len(kv[0]))
        ]
        self.section_words = [
            (word.casefold(), key)
            for key, words in wording.importer.section_words.items()
            for word in words
        ]
        self._labels(everything, layouts)
        self.title = norm(wording.document_title)
        self.titles = {norm(one.document_title) for one in everything}
        self.approval_heading = norm(wording.approval["heading"])
        #: the approval line alone, the heading's word before it ('KINNITATUD: …',
        #: 'Kinnitatud …') or after it ('… käskkirjaga nr 5 kinnitatud'), or neither
        heading = literal(wording.approval["heading"])
        self._alone = re.compile(
            rf"(?P<before>{heading}:?\s+)?(?P<line>.+?)(?P<after>\s+{heading}\.?)?", re.I
        )
        date = date_pattern(wording.date_format)
        fields = {
            "by": "(?P<by>.+?)",
            "date": date,
            "number": r"(?P<number>\S+?)",
            "directive": "(?P<directive>.+?)",
            "annex": r"(?P<annex>\S+?)",
            "act": r"(?P<act>[^\W\d_]+)",
        }
        #: the approval line as the wording has it, then with any act for its directive's
        #: ('korraldusega', 'otsusega' for 'käskkirjaga'): (pattern, template)
        self.approval_lines = _line_patterns([wording.approval["line"]], fields)
        self.annex_lines = _line_patterns(
            [
                wording.approval[k]
                for k in ("annex_line", "annex_line_untitled")
                if k in wording.approval
            ],
            fields,
        )
        self.annex_label = template_pattern(
            wording.approval.get("annex_label", "Lisa {annex}"), {"annex": r"(?P<annex>\S+?)"}
        )
        self.task_header = (norm(wording.tasks_table["task"]), norm(wording.tasks_table["results"]))
        #: the headings of the tasks table's columns, every layout's (task, activities, results)
        self.task_columns: dict[str, list[str]] = {}
        self.requirement_labels: dict[str, list[str]] = {}
        for one in everything:
            for key, text in one.tasks_table.items():
                _add(self.task_columns, key, norm(text))
            for key, text in one.requirements.items():
                _add(self.requirement_labels, key, text)
        self.item_words = [
            (stem.casefold(), key)
            for key, stems in wording.importer.item_words.items()
            for stem in stems
        ]
        self.column_words = [
            (stem.casefold(), key)
            for key, stems in wording.importer.column_words.items()
            for stem in stems
        ]
        self.requirements = {key: norm(text) for key, text in wording.requirements.items()}
        self._languages(wording)
        marks: list[str] = []
        for one in everything:
            s = one.signatures
            marks += [
                " ".join(s[key].casefold().split()) for key in ("parties", "employer", "signed")
            ]
            marks.append(norm(one.acknowledgement.text))
        self.signature_marks = tuple(dict.fromkeys(marks))
        #: the digital signature's mark, folded: "(allkirjastatud digitaalselt)"
        self.signed_mark = " ".join(wording.signatures["signed"].casefold().split())
        self.acknowledgement_words = [w.casefold() for w in wording.importer.acknowledgement_words]
        self.acknowledgements = {norm(one.acknowledgement.text) for one in everything}
        self.acknowledgement_fields = {
            norm(f) for one in everything for f in one.acknowledgement.fields
        }
        self.importer = wording.importer

    def _headings(self, wording: Wording) -> None:
        """Add the headings and lead-ins of ``wording`` (those known already stay as they are)."""
        for key, text in wording.headings.items():
            self.headings.setdefault(norm(text), Heading(key, None))
        for employment, vocab in wording.vocabulary.items():
            for key in ("purpose", "tasks", "requirements"):
                text = norm(getattr(vocab, key))
                known = self.headings.get(text)
                if known is not None and known.key != key:
                    continue
                shared = known is not None and known.employment != employment
                self.headings[text] = Heading(key, None if shared else employment)
            self.intros.setdefault(norm(vocab.rights_intro), ("rights", employment))
            self.intros.setdefault(
                norm(vocab.responsibilities_intro), ("responsibilities", employment)
            )
        for key, variants in wording.importer.headings.items():
            for variant in variants:
                self.headings.setdefault(norm(variant), Heading(key, None))

    def _labels(self, everything: list[Wording], layouts: Sequence[Layout]) -> None:
        """Gather the labels of the general part's fields and the sentences of prose fields."""
        #: the labels of the general part's fields, the chosen wording's first
        self.labels: dict[str, list[str]] = {}
        for one in everything:
            for key, label in one.general.items():
                _add(self.labels, key, label)
            for vocab in one.vocabulary.values():
                for key, label in vocab.labels.items():
                    _add(self.labels, key, label)
        for layout in layouts:
            for row in layout.general.fields:
                for f in row:
                    if f.label:
                        _add(self.labels, f.field, f.label)
        for key, labels in everything[0].importer.labels.items():
            for label in labels:
                _add(self.labels, key, label)
        self.label_starts = [
            (re.compile(_LABEL_NUMBER + literal(label) + r"(?=$|[\s:])", re.I), key)
            for key, label in sorted(
                ((k, label) for k, labels in self.labels.items() for label in labels),
                key=lambda kl: -len(kl[1]),
            )
        ]
        self.prose = _prose(layouts)

    def _languages(self, wording: Wording) -> None:
        phrases = wording.languages
        # several languages sharing a level: "eesti ja vene", "saksa, prantsuse ja rootsi"
        joiners = [
            j for j in (phrases.get("and", "").strip(), phrases.get("separator", "").strip()) if j
        ]
        join = "|".join(
            r"\s*" + re.escape(j) + r"\s*" if j in ",;" else r"\s+" + re.escape(j) + r"\s+"
            for j in joiners
        )
        languages = _LANGUAGE if not join else rf"(?P<language>{_WORD}(?:(?:{join}){_WORD})*)"
        fields = {
            "language": languages,
            "Language": languages,
            "level": _LEVEL,
            "languages": r"(?P<languages>[^()]+?)",
        }
        self.language_phrases = [
            (key, template_pattern(phrases[key], fields))
            for key in ("any_foreign_preferably", "any_foreign", "valdab", "oskab", "oskus")
            if key in phrases
        ]
        self.language_or = phrases.get("or", " ").strip()
        self.language_and = phrases.get("and", " ").strip()

    def label_names(self, key: str) -> list[str]:
        """Return the labels field ``key`` goes by, the chosen wording's first."""
        return self.labels.get(key, [])

    def heading_texts(self, key: str) -> list[str]:
        """Return the headings a section may have, e.g. both vocabularies' purpose headings."""
        texts = [self.wording.headings[key]] if key in self.wording.headings else []
        for vocab in self.wording.vocabulary.values():
            text = getattr(vocab, key, None)
            if isinstance(text, str) and text not in texts:
                texts.append(text)
        return texts

    def heading(self, text: str) -> tuple[str | None, str, Heading | None]:
        """Return the number, the heading text and what it is, for a heading-like line."""
        number, rest = strip_number(text)
        return number, rest, self.headings.get(norm(rest).rstrip(" ."))

    def heading_start(self, text: str) -> tuple[int, Heading] | None:
        """Return the length of the known heading ``text`` starts with, and what it is."""
        for pattern, _, heading in self.heading_starts:
            m = pattern.match(text)
            if m is not None:
                return m.end(), heading
        return None

    def label_start(self, text: str) -> tuple[str, int] | None:
        """Return the field whose label ``text`` starts with ('1.1. Ametinimetus …'), and
        where the label ends."""
        for pattern, key in self.label_starts:
            m = pattern.match(text)
            if m is not None:
                return key, m.end()
        return None

    def section_word(self, text: str) -> tuple[str, str] | None:
        """Return the section whose heading word ``text`` holds first, and the word."""
        folded = text.casefold()
        found = [(folded.find(word), -len(word), key, word) for word, key in self.section_words]
        found = [f for f in found if f[0] >= 0]
        if not found:
            return None
        _, _, key, word = min(found)
        return key, word

    def combined(self, heading: str) -> list[str]:
        """Return the list sections a heading names together, in its order (['rights',
        'responsibilities'] for 'ÕIGUSED JA VASTUTUS'); fewer than two: it names one."""
        folded = heading.casefold()
        found: dict[str, int] = {}
        for word, key in self.section_words:
            at = folded.find(word)
            if key in ("rights", "responsibilities") and at >= 0:
                found[key] = min(at, found.get(key, at))
        return sorted(found, key=lambda key: found[key]) if len(found) == 2 else []

    def item_kind(self, text: str) -> str | None:
        """Return the list section an item's words belong to ('… vastutab … eest':
        responsibilities), by the first stem of the wording's item_words it holds."""
        folded = text.casefold()
        found = [(folded.find(stem), key) for stem, key in self.item_words]
        found = [f for f in found if f[0] >= 0]
        return min(found)[1] if found else None

    def approval(self, text: str) -> Approved | None:
        """Return approver, date and number read from a KINNITATUD line, and the line's
        template as written (its act: 'käskkirjaga', 'korraldusega' …)."""
        line = " ".join(text.split())
        for pattern, template in self.approval_lines:
            m = pattern.fullmatch(line)
            if m is None:
                continue
            try:
                date = dt.datetime.strptime(m.group("date"), self.wording.date_format).date()
            except ValueError:
                return None
            act = m.groupdict().get("act")
            written = template.replace("{act}", act) if act else template
            return Approved(m.group("by").strip(), date, m.group("number").strip(), written)
        return None

    def approval_alone(self, text: str) -> Approved | None:
        """Return what an approval line standing alone says ('Kinnitatud … käskkirjaga nr 5',
        '… käskkirjaga nr 5 kinnitatud'), its template holding the heading's word as written."""
        m = self._alone.fullmatch(" ".join(text.split()))
        if m is not None and (m.group("before") or m.group("after")):
            found = self.approval(m.group("line"))
            if found is not None:
                before, after = m.group("before") or "", m.group("after") or ""
                return replace(found, template=before + found.template + after)
        return self.approval(text)  # the word is not there, or the wording's line holds it

    def is_task_header(self, text: str) -> bool:
        """Return whether ``text`` is the header row of the tasks table (any layout's)."""
        folded = norm(text)
        tasks = self.task_columns.get("task", [])
        later = self.task_columns.get("results", []) + self.task_columns.get("activities", [])
        return (
            any(folded.startswith(t) for t in tasks)
            and any(r in folded for r in later)
            and len(folded.split()) <= 8
        )

    def column_end(self, text: str) -> bool:
        """Return whether ``text`` is the end of a tasks table column's heading ('kriteeriumid'
        of 'Tulemuslikkuse kriteeriumid', wrapped onto a line of its own)."""
        folded = norm(text)
        return bool(folded) and any(
            name.endswith(" " + folded) for names in self.task_columns.values() for name in names
        )

    def column_kind(self, text: str) -> str | None:
        """Return the column of the tasks table a heading names by a word of it ('Oodatav
        tulemus': results), or None; the heading is a few words, no sentence."""
        words = norm(text).split()
        if not words or len(words) > 5 or text.rstrip().endswith((".", ";")):
            return None
        kinds = [self._word_kind(w) for w in words]
        found = [k for k in kinds if k is not None]
        return found[-1] if found else None

    def _word_kind(self, word: str) -> str | None:
        if any(c.isdigit() for c in word):
            return None
        for stem, key in self.column_words:
            if stem in word:
                return key
        return None

    def header_columns(self, text: str) -> list[tuple[str, str]] | None:
        """Return the columns of a tasks table's header row written on one line ('Ülesanne
        Oodatav tulemus'), each with its heading as written, or None when it is no header.

        A word of a column's heading starts that column; words of none go with the
        next column ('Oodatav' with 'tulemus')."""
        words = text.split()
        if not 2 <= len(words) <= 8 or text.rstrip().endswith((".", ";", ":")):
            return None
        columns: list[tuple[str, list[str]]] = []
        pending: list[str] = []
        for word in words:
            kind = self._word_kind(norm(word))
            if kind is None:
                pending.append(word)
            elif columns and columns[-1][0] == kind and not pending:
                columns[-1][1].append(word)
            else:
                columns.append((kind, [*pending, word]))
                pending = []
        if pending and columns:
            columns[-1][1].extend(pending)
        keys = [k for k, _ in columns]
        if len(keys) < 2 or keys[0] != "task" or len(set(keys)) != len(keys):
            return None
        return [(k, " ".join(w)) for k, w in columns]

    def task_column(self, text: str) -> str | None:
        """Return which column of the tasks table ``text`` heads ('task', 'results' …)."""
        folded = norm(text)
        for key, names in self.task_columns.items():
            if folded in names:
                return key
        return None

    def annex(self, text: str) -> dict[str, str] | None:
        """Return the parts of an annex line ('… käskkirja nr 5 „…“ lisa 8') or label ('Lisa 8')."""
        line = " ".join(text.split())
        for pattern, template in self.annex_lines:
            m = pattern.fullmatch(line)
            if m is not None:
                found = {k: v for k, v in m.groupdict().items() if v and k != "act"}
                act = m.groupdict().get("act")
                found["template"] = template.replace("{act}", act) if act else template
                return found
        m = self.annex_label.fullmatch(line)
        return {"annex": m.group("annex")} if m is not None else None

    def starts_with(self, text: str, label: str, *, bare: bool = False) -> str | None:
        """Return what follows ``label`` (and a colon) at the start of ``text``, or None.

        With ``bare``, a value may follow the label without a colon if it starts with
        a capital letter, as a table row reads in extracted text ("Haridus Kõrgharidus").
        """
        text = text.strip()
        m = re.match(literal(label) + r"\s*(?::|$)\s*(.*)$", text, re.I | re.S)
        if m is None and bare:
            m = re.match(literal(label) + r"\s+(.*)$", text, re.I | re.S)
            if m is not None and not m.group(1)[:1].isupper():
                m = None
        return m.group(1).strip() if m else None
