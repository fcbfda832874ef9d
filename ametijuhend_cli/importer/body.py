"""Read the purpose, tasks, lists, requirements and competencies of a job description."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.lexicon import Lexicon, norm
from ametijuhend_cli.importer.outline import Kept, ParseError, Section
from ametijuhend_cli.messages import excerpt

# "3.1. Text", "3.1 Text", "3.1.Text" (no space after the number's full stop)
_TASK = re.compile(r"^(\d+)\.(\d+)(?:\.?(?:\s+|$)|\.(?=[^\W\d_]))(.*)$", re.S)


@dataclass
class RawTask:
    """A task as the document writes it."""

    number: str
    text: str
    start: Item
    results: list[str] = field(default_factory=list)
    subtasks: list[str] = field(default_factory=list)
    #: further paragraphs of the task (a table cell of several paragraphs)
    details: list[str] = field(default_factory=list)
    #: the list under a result, by the result's index
    sub_results: dict[int, list[str]] = field(default_factory=dict)
    #: the lead-in of the group the task belongs to ('Iga päev:')
    group: str | None = None


@dataclass
class TaskForm:
    """How the tasks are laid out: what a layout's ``tasks`` says."""

    form: str = "table"
    columns: list[str] = field(default_factory=lambda: ["task", "results"])
    header: bool = True
    numbered: bool = True
    subtasks: str = "bullets"
    #: the headings of the table's columns as written, by column
    headings: dict[str, str] = field(default_factory=dict)
    #: the results of a task in a list: bullets, or a paragraph after their label
    results: str = "bullets"
    #: a list's results stand under their label ('Oodatavad tulemused:')
    results_label: bool = True


@dataclass
class RawCompetency:
    """A competency as the document writes it: a name and its indicators."""

    name: str
    indicators: list[str]


@dataclass
class RawRequirements:
    """The requirements section as the document writes it."""

    values: dict[str, str]
    languages: list[dict[str, object]]
    language_style: str
    core: list[RawCompetency]
    additional: list[RawCompetency]
    knowledge: list[str]
    notes: list[Message]
    #: requirements of the position's own: (label, text)
    other: list[tuple[str, str]] = field(default_factory=list)
    form: Any = None


def sentence(text: str) -> str:
    """Return ``text`` ending with a full stop (a ';' or ',' left by a list becomes one)."""
    text = text.rstrip(" ;,")
    return text if text.endswith((".", "!", "?", ":", "…")) else text + "."


# "4.1. text", "4.1 text": a numbered item of a list section (not a date: "1.02.2025")
_ITEM_NUMBER = re.compile(r"^\d+\.\d+\.?\s+")


def breaks(prev: str, text: str) -> bool:
    """Return whether a new item starts at the line ``text`` after ``prev`` (no list marks):
    the line before ends an item, and this one begins a sentence or a numbered item."""
    if prev.endswith(";"):
        return True
    ends = prev.endswith((".", "!", "?"))
    return ends and (text[:1].isupper() or _ITEM_NUMBER.match(text) is not None)


# "3. Teha ettepanekuid": an entry numbered by hand
_HAND_NUMBER = re.compile(r"^(\d{1,2})[.)]\s+\S")


def _numbered_next(first: str, text: str) -> bool:
    """Return whether ``text`` is numbered as the entry after the one ``first`` begins
    ('2. Saada …' after '1. Saada …'), though no stop ends the line before it."""
    a, b = _HAND_NUMBER.match(first), _HAND_NUMBER.match(text)
    return a is not None and b is not None and int(b.group(1)) == int(a.group(1)) + 1


def entries(
    items: list[Item],
    document: Document,
    joiner: Joiner,
    starts: Callable[[list[str], str], bool] | None = None,
) -> list[str]:
    """Return list entries: a bullet or a DOCX paragraph starts one, text lines continue it.

    Without list marks, ``starts(entry_lines, line)`` tells whether ``line`` begins a
    new entry (by default: the previous line ends a sentence or an item).
    """
    has_bullets = any(i.bullet for i in items) and not document.detached
    groups: list[list[Item]] = []
    for item in items:
        if not groups or not document.lines or item.bullet:
            new = True
        elif has_bullets:
            new = False
        elif starts is not None:
            new = starts([i.text for i in groups[-1]], item.text)
        else:
            entry = groups[-1]
            new = breaks(entry[-1].text, item.text) or _numbered_next(entry[0].text, item.text)
        if new:
            groups.append([item])
        else:
            groups[-1].append(item)
    return [joiner.join(i.text for i in group) for group in groups]


def parse_paragraph(section: Section, joiner: Joiner) -> str:
    """Return the text of a one-paragraph section (purpose, work tools)."""
    text = joiner.join(i.text for i in section.items)
    if not text:
        raise ParseError(section.title, msg("the section is empty"), section.start)
    return text


@dataclass
class ListForm:
    """How a list section is written: what a layout's ``rights`` (and the like) says."""

    lead_in: bool = True
    items: str = "bullets"
    punctuation: str = "list"


def parse_list(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, votes: Counter[str]
) -> tuple[list[str], ListForm]:
    """Return the items of a rights or responsibilities list, without its lead-in sentence,
    and how the list is written (lead-in, bullets or numbers, punctuation)."""
    items = list(section.items)
    form = ListForm(lead_in=False)
    if items:
        intro = lexicon.intros.get(norm(items[0].text))
        if intro is not None:
            votes[intro[1]] += 1
            items = items[1:]
            form.lead_in = True
        elif _own_lead_in(items):  # 'Õpetaja abil on õigus:' over its bullets
            items = items[1:]
            form.lead_in = True
    numbered = [i for i in items if _ITEM_NUMBER.match(i.text) or i.label[:1].isdigit()]
    if numbered and len(numbered) * 2 >= len(items):
        form.items = "numbered"
        found = _numbered_entries(items, document, joiner)
    else:
        form.items = "bullets" if any(i.bullet for i in items) else "paragraphs"
        found = entries(items, document, joiner)
    if not found:
        raise ParseError(section.title, msg("no list items found"), section.start)
    sentences = sum(e.rstrip().endswith((".", "!", "?")) for e in found)
    if not form.lead_in and sentences == len(found):
        form.punctuation = "as_written"  # whole sentences, each with its full stop
        return found, form
    return [e.rstrip(" ;,.") for e in found], form


def split_combined(
    section: Section, second: str, lexicon: Lexicon, document: Document
) -> Section | None:
    """Return the second part of a section that holds two lists under one heading ('IV
    ÕIGUSED JA VASTUTUS': the responsibilities after the rights, numbered on), cut from
    ``section``; None when its items are not told apart (all stay in ``section``).

    The second part starts at its lead-in ('Vastutab:') or at the first item whose words
    are the second list's ('… vastutab … eest'); an item of the first list after it, or
    none before it, leaves the section whole (the two could not be printed back in order).
    """
    first = section.key
    items = section.items
    at: int | None = None
    for i, item in enumerate(items):
        previous = items[i - 1].text if i else ""
        if not i or not _starts_item(item, previous, lexicon, document):
            continue
        intro = lexicon.intros.get(norm(item.text))
        kind = intro[0] if intro is not None else lexicon.item_kind(item.text)
        if kind == second and at is None:
            at = i
        elif kind == first and at is not None:
            return None
    if at is None:
        return None
    section.items = items[:at]
    return Section(second, None, "", items[at:], items[at], how="joined", shows_heading=False)


def _starts_item(item: Item, previous: str, lexicon: Lexicon, document: Document) -> bool:
    """Return whether ``item`` begins an item of a list (or a lead-in), not continues one."""
    if not document.lines or item.bullet or item.label or _ITEM_NUMBER.match(item.text):
        return True
    return norm(item.text) in lexicon.intros or previous.rstrip().endswith((".", ";", ":"))


def _own_lead_in(items: list[Item]) -> bool:
    """Return whether the first of ``items`` is a lead-in worded the document's own way: a
    sentence ending in ':' over a list of bullets or numbered items."""
    first, rest = items[0], items[1:]
    if first.bullet or first.label or not first.text.rstrip().endswith(":") or not rest:
        return False
    if _ITEM_NUMBER.match(first.text):
        return False
    return all(i.bullet or i.label or _ITEM_NUMBER.match(i.text) for i in rest)


def _numbered_entries(items: list[Item], document: Document, joiner: Joiner) -> list[str]:
    """Return the items of a numbered list ('4.1. …'), the numbers left out."""
    groups: list[list[str]] = []
    for item in items:
        m = _ITEM_NUMBER.match(item.text)
        if m is not None or item.label[:1].isdigit() or not groups or not document.lines:
            groups.append([item.text[m.end() :] if m else item.text])
        else:
            groups[-1].append(item.text)
    return [joiner.join(g) for g in groups]


def parse_purpose(section: Section, document: Document, joiner: Joiner) -> tuple[list[str], str]:
    """Return the purpose as paragraphs or numbered points, and which form it has."""
    items = section.items
    if any(_ITEM_NUMBER.match(i.text) for i in items):
        return _numbered_entries(items, document, joiner), "points"
    if document.lines:  # a blank line in extracted text is a page break as often as not
        found = [joiner.join(i.text for i in items)] if items else []
    else:
        found = [joiner.join([i.text]) for i in items]
    if not found:
        raise ParseError(section.title, msg("the section is empty"), section.start)
    return found, "paragraphs"


def parse_clauses(section: Section, document: Document, joiner: Joiner) -> list[str]:
    """Return the clauses of the amendment section."""
    found = entries(section.items, document, joiner)
    if not found:
        raise ParseError(section.title, msg("no clauses found"), section.start)
    return found


class _Tasks:
    """The state of reading the tasks table."""

    def __init__(self, section: Section, lexicon: Lexicon, document: Document, joiner: Joiner):
        self.section = section
        self.joiner = joiner
        self.lexicon = lexicon
        self.document = document
        self.tasks: list[RawTask] = []
        self.parts: list[tuple[str, list[str]]] = []  # (kind, lines) of the current task
        self.state = "task"
        self.row: tuple[int, int] | None = None
        self.after_header = False
        #: the columns of the table by its header (task, activities, results)
        self.columns: list[str] = ["task", "results"]
        self.headings: dict[str, str] = {}
        self.header = False
        #: the header row read from one line of text (its wrapped words may follow)
        self.header_line = ""
        # the tasks' numbers start with the section's ("3.1" under "3."); a document
        # whose headings were renumbered (or a section moved) keeps the old prefix
        prefixes = Counter(m.group(1) for i in section.items if (m := _TASK.match(i.text)))
        self.prefix = section.number
        if prefixes and section.number not in prefixes:
            self.prefix = prefixes.most_common(1)[0][0]
        numbered = [i for i in section.items if self._number(i) is not None]
        self.labelled = self._has_results_labels()
        levels = {i.level for i in section.items if i.bullet}
        # Word's own numbering leaves no "3.1" in the text: the outer list holds the tasks
        self.outer = min(levels) if not numbered and len(levels) > 1 else None
        self.header_rows = self._header_rows()
        #: the text before the first task ('Inspektori ülesanded on:')
        self.lead_in: list[Item] = []

    def _has_results_labels(self) -> bool:
        """Return whether each task's results follow a label 'Oodatavad tulemused:'."""
        started = previous_header = False
        for item in self.section.items:
            if self._number(item) is not None:
                started = True
            elif started and self._results_label(item) is not None and not previous_header:
                return True
            previous_header = norm(item.text) == self.lexicon.task_header[0]
        return False

    def _number(self, item: Item) -> re.Match[str] | None:
        m = _TASK.match(item.text)
        if m and (self.prefix is None or m.group(1) == self.prefix):
            return m
        return None

    def _results_label(self, item: Item) -> str | None:
        return self.lexicon.starts_with(item.text, self.lexicon.task_header[1])

    def _is_header(self, item: Item) -> bool:
        """Return whether ``item`` is (part of) the header row, repeated on each page."""
        if self.lexicon.is_task_header(item.text):  # the whole row on one line
            self.header_line = item.text
            self._whole_header(item.text)
            self.after_header = True
            return True
        if item.cell is None and not self.tasks and self._number(item) is None:
            found = self.lexicon.header_columns(item.text)
            if found is not None:  # a header worded otherwise, on one line
                self.header_line = item.text
                self.columns = [key for key, _ in found]
                self.headings = dict(found)
                self.after_header = True
                return True
        # '3.1. Ameti töötajate sõidutamine tööülesannete': the first task, whatever its words
        numbered = self._number(item) is not None
        if self.after_header and not numbered and self._header_end(item):
            return True
        self.header_line = ""
        if item.cell is not None and item.cell[:2] in self.header_rows:
            kind = self.header_rows[item.cell[:2]][item.cell[2]]
            if item.cell[2] == 0:
                self.columns, self.headings = [], {}
            if kind not in self.columns:
                self.columns.append(kind)
                self.headings[kind] = item.text.strip()
            self.after_header = True
            return True
        column = self.lexicon.task_column(item.text)
        if column is None and self.after_header and item.cell is None and not numbered:
            column = self.lexicon.column_kind(item.text)  # a heading worded otherwise
        first_row = item.cell is not None and item.cell[1] == 0
        header = column == "task" or (
            column is not None and (self.after_header or not self.parts or first_row)
        )
        if header:
            assert column is not None
            self.columns = [column] if column == "task" else [*self.columns, column]
            self.headings[column] = item.text.strip()
        self.after_header = header
        return header

    def _header_end(self, item: Item) -> bool:
        """Read the last words of a column's heading, wrapped onto a line of their own (a
        column's whole heading on a line of its own is read as the next column)."""
        words = item.text.split()
        kind = self.lexicon.column_kind(item.text) if len(words) <= 2 else None
        if not (self.lexicon.column_end(item.text) or (item.cell is None and kind is not None)):
            return False
        if not self.header_line and (
            self.lexicon.task_column(item.text) is not None
            or (kind is not None and kind not in self.columns)
        ):
            return False
        if self.header_line:
            self.header_line += " " + item.text
            found = self.lexicon.header_columns(self.header_line)
            if found is not None:
                self.columns = [key for key, _ in found]
                self.headings = dict(found)
            else:
                self._whole_header(self.header_line)
        return True

    def _whole_header(self, text: str) -> None:
        """Read the columns of a header row that text extraction put on one line."""
        folded = norm(text)
        found = [
            (folded.find(name), key)
            for key, names in self.lexicon.task_columns.items()
            for name in names
            if name in folded
        ]
        columns = [key for _, key in sorted(found)]
        self.columns = list(dict.fromkeys(columns)) or self.columns

    def _header_rows(self) -> dict[tuple[int, int], dict[int, str]]:
        """Return the first rows of the tables in the section that are a header row: cells
        without a task's number, one of them at least naming a column ('Oodatav tulemus'),
        each cell's column by its words or else by its place."""
        rows: dict[tuple[int, int], list[Item]] = {}
        for item in self.section.items:
            if item.cell is not None and item.cell[1] == 0:
                rows.setdefault(item.cell[:2], []).append(item)
        found: dict[tuple[int, int], dict[int, str]] = {}
        for row, cells in rows.items():
            columns = sorted({i.cell[2] for i in cells if i.cell is not None})
            if len(columns) < 2 or any(self._number(i) or i.bullet for i in cells):
                continue
            kinds = {
                i.cell[2]: self.lexicon.task_column(i.text) or self.lexicon.column_kind(i.text)
                for i in cells
                if i.cell is not None
            }
            if not any(kinds.values()) or any(len(i.text.split()) > 6 for i in cells):
                continue
            last = columns[-1]
            found[row] = {
                c: kinds.get(c) or ("task" if c == 0 else "results" if c == last else "activities")
                for c in columns
            }
            # the task's column first, or after a column of numbers ('Nr')
            first = [found[row][c] for c in columns[:2]]
            if first[0] != "task" and first != ["number", "task"]:
                del found[row]
        return found

    def start(self, number: str, text: str, item: Item) -> None:
        self.finish()
        self.parts = [("task", [text] if text else [])]
        self.tasks.append(RawTask(number, "", item))
        self.state = "task"
        self.row = item.cell[:2] if item.cell is not None else None

    def add(self, kind: str, text: str, new: bool) -> None:
        if new or not self.parts or self.parts[-1][0] != kind:
            self.parts.append((kind, [text]))
        else:
            self.parts[-1][1].append(text)

    def read(self, item: Item) -> None:
        if self._is_header(item):
            self.header = True
            return
        m = self._number(item)
        new_row = item.cell is not None and item.cell[2] == 0 and item.cell[:2] != self.row
        if m is not None:
            self.start(m.group(2), m.group(3).strip(), item)
            return
        if new_row and self.columns[0] == "number":  # 'Nr': the task is in the next cell
            self.start(item.text.strip(" .") or str(len(self.tasks) + 1), "", item)
            return
        if (new_row and not item.bullet) or (self.outer is not None and item.level == self.outer):
            self.start(str(len(self.tasks) + 1), item.text, item)
            return
        if not self.tasks:  # text before the first task: the tasks' lead-in
            self.lead_in.append(item)
            return
        label = self._results_label(item)
        if label is not None:
            self.state = "results"
            if label:
                self.add("results", label, True)
            return
        if item.cell is not None:
            self._cell(item, item.cell[2])
            return
        if not item.bullet:
            if self.document.lines:
                self._line(item.text)
            else:
                self.state = "results"
                self.add("results", item.text, True)
            return
        if self.state != "results" and self._subtask(item):
            self.state = "subtasks"
            self.add("subtasks", item.text, True)
        else:
            self.state = "results"
            self.add("results", item.text, True)

    def _cell(self, item: Item, column: int) -> None:
        """Read a paragraph of the tasks table: the task's column or the results'."""
        kind = self.columns[column] if column < len(self.columns) else "results"
        if kind == "number":  # the row's number: the task was started by it
            return
        if kind == "task" and item.bullet:
            self.add("subtasks", item.text, True)
        elif kind == "task":  # a paragraph of its own under the task's first one
            has_text = bool(self.parts and self.parts[0][1])
            details = has_text and not self.document.lines
            self.add("details" if details else "task", item.text, details)
        elif kind == "activities":
            self.add("subtasks", item.text, True)
        else:  # a second-level bullet is the list under the result before it
            self.add("sub" if item.bullet and item.level > 0 else "results", item.text, True)

    def _line(self, text: str) -> None:
        """Read a line without a list mark: it continues what came before it, mostly."""
        kind, lines = self.parts[-1]
        last = lines[-1] if lines else ""
        activity = kind == "subtasks" or (kind == "task" and last.endswith((".", ":")))
        if "activities" in self.columns and activity and text[:1].islower():
            self.add("subtasks", text, True)
            return
        if self.document.detached:  # the list marks are lost: tell items by their sentences
            opens = last.endswith(":") or (kind == "subtasks" and last.endswith((";", ",")))
            if kind in ("task", "subtasks") and opens and text[:1].islower():
                self.state = "subtasks"
                self.add("subtasks", text, True)
                return
            if breaks(last, text):
                self.state = "results"
                self.add("results", text, True)
                return
        lines.append(text)

    def _subtask(self, item: Item) -> bool:
        if self.labelled:
            return True
        task = " ".join(" ".join(lines) for kind, lines in self.parts if kind == "task")
        return task.rstrip().endswith(":") and (
            item.text[:1].islower() or item.text.rstrip().endswith((";", ","))
        )

    def finish(self) -> None:
        if not self.tasks or not self.parts:
            return
        task = self.tasks[-1]
        joiner = self.joiner
        task.text = sentence(
            joiner.join(t for kind, lines in self.parts if kind == "task" for t in lines)
        )
        for kind, lines in self.parts[1:]:
            if kind == "sub" and task.results:
                task.sub_results.setdefault(len(task.results) - 1, []).append(joiner.join(lines))
            elif kind in ("results", "sub"):
                task.results.append(sentence(joiner.join(lines)))
            elif kind == "subtasks":
                task.subtasks.append(joiner.join(lines))
            elif kind == "details":
                task.details.append(joiner.join(lines))
        self.parts = []


def _lead_in(tasks: list[RawTask], items: list[Item], joiner: Joiner, kept: list[Kept]) -> None:
    """Give the tasks the text before the first of them as their lead-in (a group of all)."""
    if not items:
        return
    text = joiner.join(i.text for i in items)
    for task in tasks:
        task.group = text if task.group is None else f"{text} {task.group}"
    kept.append(
        Kept(
            items[0],
            msg(
                "{text} stands before the first task: kept as the tasks' lead-in (a group of "
                "all of them)",
                text=excerpt(text),
            ),
        )
    )


def parse_tasks(
    section: Section,
    lexicon: Lexicon,
    document: Document,
    joiner: Joiner,
    kept: list[Kept] | None = None,
) -> tuple[list[RawTask], TaskForm, list[Message]]:
    """Return the tasks with their expected results and parts, their form and report notes;
    what is kept as written is added to ``kept``."""
    kept = [] if kept is None else kept
    if not _tabular(section, lexicon):
        return parse_task_list(section, lexicon, document, joiner, kept)
    reader = _Tasks(section, lexicon, document, joiner)
    for item in section.items:
        reader.read(item)
    reader.finish()
    tasks = reader.tasks
    if not tasks:
        raise ParseError(section.title, msg("no tasks found"), section.start)
    _lead_in(tasks, reader.lead_in, joiner, kept)
    form = TaskForm("table", reader.columns, reader.header, True, "bullets", reader.headings)
    if not reader.header and not any(t.results for t in tasks):
        form.form = "list"
    elif not reader.header and not document.lines and all(i.cell is None for i in section.items):
        form.form = "list"  # Word's paragraphs, no table: results in bullets under each task
        form.results_label = reader.labelled
    numbers = [t.number for t in tasks]
    if numbers == [str(i) for i in range(1, len(tasks) + 1)]:
        return tasks, form, []
    n = reader.prefix or "3"
    twice = [k for k, c in Counter(numbers).items() if c > 1]
    last = f"{n}.{len(tasks)}"
    said = (
        msg(
            "the document numbers two tasks {number}; they are numbered {n}.1–{last} here",
            number=f"{n}.{twice[0]}",
            n=n,
            last=last,
        )
        if twice
        else msg(
            "the document numbers the tasks out of order; they are numbered {n}.1–{last} here",
            n=n,
            last=last,
        )
    )
    return tasks, form, [said]


# "3.1.1. text": a task's numbered part
_SUBTASK = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:\.?(?:\s+|$)|\.(?=[^\W\d_]))(.*)$", re.S)
# a sentence ends: a stop, then a space and a capital letter
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÕÄÖÜŠŽ])")


def _tabular(section: Section, lexicon: Lexicon) -> bool:
    """Return whether the tasks are a table: a header row, cells, or numbered tasks with
    their results in bullets (a table whose header was lost). Bullets under a line that
    ends in ':' ('3.3. Iga päev:') are that task's parts, not its results."""
    items = section.items
    if any(i.cell is not None for i in items):
        return True
    if any(
        lexicon.task_column(i.text)
        or lexicon.is_task_header(i.text)
        or lexicon.header_columns(i.text)
        for i in items[:6]
    ):
        return True
    if _word_numbered_results(items):
        return True
    if not any(_TASK.match(i.text) and not _SUBTASK.match(i.text) for i in items):
        return False
    lead_in = False
    for item in items:
        if not item.bullet:
            lead_in = item.text.rstrip().endswith(":")
        elif not lead_in and not _numbered(item):
            return True
    return False


def _word_numbered_results(items: list[Item]) -> bool:
    """Return whether the tasks are a list Word numbers (1., 2. …) with their results
    in bullets one level in (a table whose header was lost, as with typed numbers)."""
    levels = [i.level for i in items if i.bullet]
    if not levels:
        return False
    outer = min(levels)
    lead_in = True
    for item in items:
        if item.bullet and item.level == outer:
            if not re.fullmatch(r"\d{1,2}[.)]?", item.label.strip()):
                return False  # the outer list is not numbered by Word
            lead_in = item.text.rstrip().endswith(":")
        elif item.bullet and item.level > outer and not lead_in:
            return True
    return False


def _numbered(item: Item) -> tuple[str, str, str | None] | None:
    """Return (task number, its text, part number) of a numbered line ('3.1.', '3.1.1.'),
    the number from the text or from Word's numbering."""
    for text in (item.text, f"{item.label} {item.text}" if item.label else ""):
        m = _SUBTASK.match(text)
        if m is not None:
            return m.group(2), m.group(4).strip(), m.group(3)
        m = _TASK.match(text)
        if m is not None:
            return m.group(2), m.group(3).strip(), None
    return None


def parse_task_list(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, kept: list[Kept]
) -> tuple[list[RawTask], TaskForm, list[Message]]:
    """Return the tasks of a section that is no table: numbered sentences (parts numbered
    3.1.1 or in bullets, results in bullets), groups under a lead-in ('Iga päev:') with
    bulleted tasks, unnumbered lines, or one paragraph of sentences."""
    items = section.items
    form = TaskForm("list", ["task"], False, False, "bullets")
    if _hand_numbered(items):  # '1. …', its parts '1.1. …': the items of a section 'II'
        form.numbered, form.subtasks = True, "numbered"
        tasks = _hand_numbered_tasks(items, joiner)
    elif any(_numbered(i) for i in items):
        form.numbered = True
        first = next(i for i, item in enumerate(items) if _numbered(item))
        tasks = _numbered_tasks(items[first:], lexicon, form, document, joiner)
        _lead_in(tasks, items[:first], joiner, kept)
    elif len(entries(items, document, joiner)) == 1 and not any(i.bullet for i in items):
        form.form = "paragraph"
        text = joiner.join(i.text for i in items)
        tasks = [RawTask(str(n), t, items[0]) for n, t in enumerate(_sentences(text), 1)]
    else:
        tasks = _grouped_tasks(items, document, joiner)
    if not tasks:
        raise ParseError(section.title, msg("no tasks found"), section.start)
    return tasks, form, []


# "2. Õpetajate juhendamine", "1.1. koostab tunniplaani": tasks numbered from 1 in their
# section, their parts under them, as documents whose sections are I, II … number them
_ONE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.S)
_TWO = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$", re.S)


def _hand_numbered(items: list[Item]) -> bool:
    """Return whether the tasks are numbered 1., 2. … (their parts 1.1, 1.2 …): the first
    line so, two tasks at least or parts under one, every part under a task of its number."""
    ones = [m.group(1) for i in items if (m := _ONE.match(i.text.strip()))]
    twos = [m.group(1) for i in items if (m := _TWO.match(i.text.strip()))]
    if not items or _ONE.match(items[0].text.strip()) is None:
        return False
    return (len(ones) >= 2 or bool(twos)) and all(two in ones for two in twos)


def _hand_numbered_tasks(items: list[Item], joiner: Joiner) -> list[RawTask]:
    """Return the tasks numbered 1., 2. …, their parts 1.1, 1.2 … as subtasks and the
    lines without a number as the text they continue."""
    tasks: list[RawTask] = []
    parts: list[list[str]] = []

    def finish() -> None:
        if tasks:
            tasks[-1].text = joiner.join(parts[0])
            tasks[-1].subtasks = [joiner.join(lines) for lines in parts[1:]]

    for item in items:
        text = item.text.strip()
        if (one := _ONE.match(text)) is not None:
            finish()
            tasks.append(RawTask(one.group(1), "", item))
            parts = [[one.group(2)]]
        elif (two := _TWO.match(text)) is not None:
            parts.append([two.group(3)])
        else:
            parts[-1].append(text)
    finish()
    return tasks


def _sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _numbered_tasks(
    items: list[Item], lexicon: Lexicon, form: TaskForm, document: Document, joiner: Joiner
) -> list[RawTask]:
    """Return numbered tasks: their numbered parts, bulleted parts or results, and lines that
    continue them."""
    tasks: list[RawTask] = []
    parts: list[tuple[str, list[str]]] = []

    def finish() -> None:
        if not tasks:
            return
        task = tasks[-1]
        task.text = joiner.join(parts[0][1])
        for kind, lines in parts[1:]:
            (task.subtasks if kind == "subtasks" else task.results).append(joiner.join(lines))

    for item in items:
        found = _numbered(item)
        if found is not None and (found[2] is None or not tasks):
            finish()
            tasks.append(RawTask(found[0], "", item))
            parts = [("task", [found[1]])]
        elif found is not None:
            form.subtasks = "numbered"
            parts.append(("subtasks", [found[1]]))
        elif item.bullet:
            opens = parts[0][1][-1].rstrip().endswith(":")
            parts.append(("subtasks" if opens else "results", [item.text]))
        elif (result := _labelled_result(item.text, lexicon, form)) is not None:
            parts.append(("results", [result]))
        elif document.lines:
            parts[-1][1].append(item.text)
        else:
            parts.append(("results", [item.text]))
    finish()
    return tasks


def _labelled_result(text: str, lexicon: Lexicon, form: TaskForm) -> str | None:
    """Return the result of a line 'Oodatav tulemus: …' under a task (the label noted in
    ``form``), or None when the line has no such label."""
    label, colon, rest = text.partition(":")
    if not colon or not rest.strip() or lexicon.column_kind(label) != "results":
        return None
    form.results = "paragraph"
    form.headings["results"] = label.strip()
    return rest.strip()


def _grouped_tasks(items: list[Item], document: Document, joiner: Joiner) -> list[RawTask]:
    """Return unnumbered tasks: bullets or lines, in groups under a lead-in ending in ':'."""
    tasks: list[RawTask] = []
    group: str | None = None
    lines: list[Item] = []

    def finish() -> None:
        if lines:
            text = joiner.join(i.text for i in lines)
            tasks.append(RawTask(str(len(tasks) + 1), text, lines[0], group=group))
            lines.clear()

    has_bullets = any(i.bullet for i in items)
    for item in items:
        lead_in = not item.bullet and item.text.rstrip().endswith(":") and has_bullets
        if lead_in:
            finish()
            group = item.text.strip()
        elif item.bullet or not document.lines or not lines:
            finish()
            lines.append(item)
        elif has_bullets or not breaks(lines[-1].text, item.text):
            lines.append(item)
        else:
            finish()
            lines.append(item)
    finish()
    return tasks
