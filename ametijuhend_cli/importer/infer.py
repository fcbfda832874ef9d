"""Learn an agency's layout from its documents: what each shows, the majority, the closest."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow
from ametijuhend_cli.importer.lexicon import norm
from ametijuhend_cli.importer.outline import Section, roman_value
from ametijuhend_cli.importer.reading import Reading
from ametijuhend_cli.layout import Layout
from ametijuhend_cli.sources.layouts import ResolvedLayout
from ametijuhend_cli.sources.wording import Wording

#: Features of the order of things: a document shows some of them, in its order.
_ORDERS = ("sections.order", "general.fields", "requirements.rows")
_TASK_NUMBER = re.compile(r"^\d+\.\d+(\.)?\s")
_ONE_NUMBER = re.compile(r"^\d{1,2}\.\s")
_SUB_NUMBER = re.compile(r"^\d+\.\d+\.\d+(\.)?\s")
_GENERAL = ("general", "rights", "responsibilities", "work_tools", "amendment")
_VOCABULARY = ("purpose", "tasks", "requirements")


#: A genitive ends in at most this many letters more than its nominative ('osakond' →
#: 'osakonna', 'amet' → 'ameti', 'talitus' → 'talituse').
_GENITIVE_LONGER = 2


def unit_genitive(line: str, name: str) -> str | None:
    """Return the banner line ``line`` as the genitive of the unit ``name`` ('FINANTSOSAKONNA'
    of 'finantsosakond': 'finantsosakonna', in the name's case), or None when it is not.

    The words before the last are the name's; the last is the name's last word with
    at most its final letter changed and a letter or two added, as Estonian forms the
    genitive of the names units have.
    """
    words, names = norm(line).split(), norm(name).split()
    if len(words) != len(names) or not words or words[:-1] != names[:-1]:
        return None
    last, head = words[-1], names[-1]
    longer = len(last) - len(head)
    if last == head or not 0 <= longer <= _GENITIVE_LONGER or len(head) < 3:
        return None
    if not last.startswith(head[:-1]) or not last.isalpha():
        return None
    written, name = " ".join(line.split()), " ".join(name.split())
    start = len(name) - 1  # the name as written, then the genitive's ending in its case
    ending = written[start:]
    return name[:start] + (ending.upper() if name.isupper() else ending.lower())


def _banner(lines: list[str], agency: str, units: list[str]) -> tuple[str, ...]:
    """Return the banner lines as a layout's templates: the agency and the units by name,
    or in the genitive ('FINANTSOSAKONNA' over the title)."""
    out: list[str] = []
    for line in lines:
        folded = norm(line)
        if agency and folded == norm(agency):
            out.append("{agency}")
        elif folded in {norm(u) for u in units}:
            if not out or out[-1] != "{units}":
                out.append("{units}")
        elif any(unit_genitive(line, u) for u in units):
            if not out or out[-1] != "{units_genitive}":
                out.append("{units_genitive}")
        else:
            out.append(line.replace("{", "{{").replace("}", "}}"))
    return tuple(out)


def _approval_key(forms: list[str], approval: dict[str, object]) -> str:
    """Return the wording key of an approval note's line: the block's (or the line's
    standing alone), or an annex line's."""
    if "block" in forms or "line" in forms:
        return "line"
    return "annex_line" if approval.get("directive") else "annex_line_untitled"


def _section_style(reading: Reading) -> str:
    styles = Counter(s.style for s in reading.outline.sections.values() if s.number)
    return styles.most_common(1)[0][0] if styles else ""


def _item_style(reading: Reading) -> str | None:
    """Return how the items of a section are numbered ('{section}.{n}' or with a dot)."""
    style = reading.general.item_style
    if style is not None:
        return style
    for task in reading.tasks:
        m = _TASK_NUMBER.match(task.start.text)
        if m is not None:
            return "{section}.{n}." if m.group(1) else "{section}.{n}"
        if _ONE_NUMBER.match(task.start.text) or re.fullmatch(r"\d{1,2}\.", task.start.label):
            return "{n}."  # numbered from 1 in each section, by hand or by Word ('1.')
    return None


def _sub_style(reading: Reading) -> str | None:
    for item in reading.outline.sections["tasks"].items:
        m = _SUB_NUMBER.match(item.text)
        if m is not None:
            return "{item}.{n}." if m.group(1) else "{item}.{n}"
    return None


def observe(reading: Reading, employment: str, agency: str, units: list[str]) -> dict[str, Any]:
    """Return what ``reading`` shows of its layout, as features (a path and its value)."""
    v: dict[str, Any] = {}
    front = reading.front
    forms = front.approval_forms
    if forms:  # a layout prints the approval only of a position with one
        v["approval"] = forms[0] if len(forms) == 1 else tuple(forms)
    if front.approval_line:  # its wording: the act that approved it ('korraldusega' …)
        v[f"wording.approval.{_approval_key(forms, front.approval)}"] = front.approval_line
    v["front.banner"] = _banner(front.banner, agency, units)
    if front.banner:
        v["front.banner_case"] = (
            "upper" if all(line.upper() == line for line in front.banner) else "as_written"
        )
    genitive = bool(front.title_genitive)
    v["front.title"] = "{title_genitive} {document_title}" if genitive else "{document_title}"
    v["front.title_case"] = (
        "upper" if genitive and front.title_line.upper() == front.title_line else "as_written"
    )
    if front.subtitle_template:
        v["front.subtitle"] = front.subtitle_template
    if front.document_title:
        v["wording.document_title"] = front.document_title
    v["numbering.sections"] = _section_style(reading)
    item = _item_style(reading)
    if item is not None:
        v["numbering.items"] = item
    sub = _sub_style(reading)
    if sub is not None:
        v["numbering.subitems"] = sub
    _sections(reading, employment, v)
    _general(reading, v)
    _body(reading, employment, v)
    _end(reading, v)
    return v


def _end(reading: Reading, v: dict[str, Any]) -> None:
    """Observe the end: the signatures and their marks, the acknowledgement as worded."""
    end = reading.end
    signatures = reading.signatures
    if signatures is not None:  # a layout prints signatures of a position with them
        v["end.signatures"] = True
        v["end.signed_mark"] = end.signed
        if "employer" in signatures or "signers" in signatures:
            v["end.signatures_heading"] = end.heading
        if end.form is not None:
            v["end.signatures_form"] = end.form
    v["end.acknowledgement"] = reading.acknowledgement
    if end.acknowledgement:
        v["wording.acknowledgement.text"] = end.acknowledgement
        v["wording.acknowledgement.fields"] = tuple(end.fields)


def _sections(reading: Reading, employment: str, v: dict[str, Any]) -> None:
    found = sorted(reading.outline.sections.values(), key=lambda s: s.start.number)
    v["sections.order"] = tuple(s.key for s in found)
    lists = [s for s in found if s.key in ("rights", "responsibilities")]
    if len(lists) == 2:  # whether the second continues the first ('Õigused ja vastutus')
        v[f"sections.{lists[1].key}.join"] = lists[1].how == "joined"
    for s in found:
        if s.how == "joined":  # no heading and no number of its own: those of the section before
            continue
        implicit = s.how == "labels"
        v[f"sections.{s.key}.show_heading"] = s.shows_heading and not implicit
        v[f"sections.{s.key}.run_in"] = s.run_in
        v[f"sections.{s.key}.numbered"] = s.number is not None or _counted(s, found)
        if not s.shows_heading or implicit or s.how == "lead-in":
            continue
        heading = " ".join(s.heading.split())
        if s.key in _GENERAL:
            v[f"wording.headings.{s.key}"] = heading
        else:
            v[f"wording.vocabulary.{employment}.{s.key}"] = heading
    if reading.purpose_form in ("paragraphs", "points"):
        v["purpose.form"] = reading.purpose_form
        v["purpose.place"] = "section"
    elif reading.purpose_form == "general":
        v["purpose.place"] = "general"


def _counted(section: Section, found: list[Section]) -> bool:
    """Return whether a general part without a heading, the document's first section, is
    counted all the same: the first section numbered after it is the second ('2.', 'II')."""
    if section.how != "labels" or not found or found[0] is not section:
        return False
    number = next((s.number for s in found if s.number), None)
    if number is None:
        return False
    return (int(number) if number.isdigit() else roman_value(number)) == 2


def _general(reading: Reading, v: dict[str, Any]) -> None:
    general = reading.general
    starts = {row[0] for row in general.rows if row} if general.form == "rows" else None
    fields: list[tuple[str, str | None, str | None, bool]] = []
    for key, label in general.labels.items():
        starts_row = starts is None or key in starts
        fields.append((key, " ".join(label.written.split()), None, starts_row))
    if general.paragraphs_at is not None:  # numbered with the labels, where they stand
        fields.insert(general.paragraphs_at, ("paragraphs", None, None, True))
    for key, template in general.prose.items():
        fields.append((key, None, template, True))
    v["general.fields"] = tuple(fields)
    ambiguous = reading.document.lines and general.form == "lines" and ":" not in general.line
    if general.labels and not ambiguous:  # 'Label value' in text: a table's row or a line
        v["general.form"] = general.form
        v["general.numbered"] = general.numbered
        if general.form == "lines":
            v["general.line"] = general.line
        if general.form == "table" and not reading.document.lines:  # text shows no columns
            v["general.columns"] = general.columns
    elif general.prose:
        v["general.form"] = "lines"
        v["general.numbered"] = False


def _body(reading: Reading, employment: str, v: dict[str, Any]) -> None:
    form = reading.task_form
    v["tasks.form"] = form.form
    if form.form == "table":
        v["tasks.columns"] = tuple(form.columns)
        v["tasks.header"] = form.header
    elif form.form == "list" and "results" in form.headings:
        v["tasks.results"] = form.results
    if form.form == "list" and any(t.results for t in reading.tasks):
        v["tasks.results_label"] = form.results_label
    for column, heading in form.headings.items():
        v[f"wording.tasks_table.{column}"] = heading
    v["tasks.numbered"] = form.numbered
    if form.numbered:
        v["tasks.subtasks"] = form.subtasks
    for key, (_, lists) in reading.lists.items():
        v[f"{key}.lead_in"] = lists.lead_in
        v[f"{key}.items"] = lists.items
        v[f"{key}.punctuation"] = lists.punctuation
        section = reading.outline.sections[key]
        if lists.lead_in and section.items:
            intro = section.items[0].text.strip()
            v[f"wording.vocabulary.{employment}.{_intro(key)}"] = intro
    req = reading.requirements
    if req is not None and req.form is not None:
        v["requirements.form"] = req.form.form
        v["requirements.rows"] = tuple(req.form.rows)
        if req.form.form == "lines":
            v["requirements.numbered"] = req.form.numbered
            v["requirements.line"] = req.form.line
        for row, label in req.form.labels.items():
            v[f"wording.requirements.{row}"] = " ".join(label.split())


def _intro(key: str) -> str:
    return "rights_intro" if key == "rights" else "responsibilities_intro"


def layout_values(resolved: ResolvedLayout, employment: str) -> dict[str, Any]:
    """Return the features of a layout, as ``observe`` gives those of a document."""
    layout = resolved.layout
    w = resolved.wording
    approval = layout.approval
    v: dict[str, Any] = {"approval": approval if isinstance(approval, str) else tuple(approval)}
    for key in ("line", "annex_line", "annex_line_untitled"):
        if key in w.approval:
            v[f"wording.approval.{key}"] = w.approval[key]
    front = layout.front
    v["front.banner"] = tuple(front.banner)
    v["front.banner_case"] = front.banner_case
    v["front.title"] = front.title
    v["front.title_case"] = front.title_case
    v["front.subtitle"] = front.subtitle
    v["wording.document_title"] = w.document_title
    v["numbering.sections"] = layout.numbering.sections
    v["numbering.items"] = layout.numbering.items
    v["numbering.subitems"] = layout.numbering.subitems
    v["sections.order"] = tuple(s.key for s in layout.sections)
    vocab = w.vocabulary.get(employment) or next(iter(w.vocabulary.values()))
    for s in layout.sections:
        v[f"sections.{s.key}.show_heading"] = s.show_heading
        v[f"sections.{s.key}.run_in"] = s.run_in
        counted = (s.show_heading or s.run_in) if s.numbered is None else s.numbered
        v[f"sections.{s.key}.numbered"] = counted and layout.numbering.sections != ""
        v[f"sections.{s.key}.join"] = s.join
        if s.key in _GENERAL:
            v[f"wording.headings.{s.key}"] = s.heading or w.headings.get(s.key)
        else:
            v[f"wording.vocabulary.{employment}.{s.key}"] = s.heading or getattr(vocab, s.key)
    v["purpose.form"] = layout.purpose.form
    v["purpose.place"] = "general" if "purpose" in layout.general_keys() else "section"
    _layout_general(layout, w, vocab.labels, v)
    tasks = layout.tasks
    v["tasks.form"] = tasks.form
    v["tasks.columns"] = tuple(tasks.columns)
    v["tasks.widths"] = tuple(tasks.widths)
    v["tasks.header"] = tasks.header
    v["tasks.numbered"] = tasks.numbered
    v["tasks.subtasks"] = tasks.subtasks
    v["tasks.results"] = tasks.results
    v["tasks.results_label"] = tasks.results_label
    for column in ("task", "activities", "results"):
        if column in w.tasks_table:
            v[f"wording.tasks_table.{column}"] = w.tasks_table[column]
    for key in ("rights", "responsibilities"):
        spec = getattr(layout, key)
        v[f"{key}.lead_in"] = spec.lead_in
        v[f"{key}.items"] = spec.items
        v[f"{key}.punctuation"] = spec.punctuation
        v[f"wording.vocabulary.{employment}.{_intro(key)}"] = getattr(vocab, _intro(key))
    req = layout.requirements
    v["requirements.form"] = req.form
    v["requirements.rows"] = tuple(req.rows)
    v["requirements.numbered"] = req.numbered
    v["requirements.line"] = req.line
    for row in ("education", "experience", "languages", "computer_skills"):
        v[f"wording.requirements.{row}"] = w.requirements.get(row)
    v["end.signatures"] = layout.end.signatures
    v["end.signed_mark"] = layout.end.signed_mark
    v["end.signatures_heading"] = layout.end.signatures_heading
    v["end.signatures_form"] = layout.end.signatures_form
    v["end.acknowledgement"] = layout.end.acknowledgement
    v["wording.acknowledgement.text"] = w.acknowledgement.text
    v["wording.acknowledgement.fields"] = tuple(w.acknowledgement.fields)
    return v


def _layout_general(layout: Layout, w: Wording, labels: dict[str, str], v: dict[str, Any]) -> None:
    general = layout.general
    fields = []
    for row in general.fields:
        for i, f in enumerate(row):
            label = f.label or labels.get(f.field) or w.general.get(f.field)
            starts_row = i == 0 or general.form != "rows"
            fields.append((f.field, None if f.text else label, f.text, starts_row))
    v["general.fields"] = tuple(fields)
    v["general.form"] = general.form
    v["general.numbered"] = general.numbered
    v["general.line"] = general.line
    v["general.columns"] = general.columns


def _subsequence(part: Sequence[Any], whole: Sequence[Any]) -> bool:
    """Return whether ``part`` is ``whole`` with some items left out (the order kept)."""
    found = iter(whole)
    return all(any(x == y for y in found) for x in part)


#: Fields of the general part every position gives: a layout that lists them prints them.
_ALWAYS = ("title", "unit")


def same(path: str, layout_value: Any, observed: Any) -> bool:
    """Return whether a layout's feature agrees with what a document shows."""
    if path == "general.fields":
        shown = {_item_key(f) for f in observed}
        printed = {_item_key(f) for f in layout_value or ()}
        if any(key in printed and key not in shown for key in _ALWAYS):
            return False  # the layout prints a field every position has, the document not
    if path in _ORDERS:
        return _subsequence(observed, layout_value or ())
    return bool(layout_value == observed)


@dataclass
class Vote:
    """The majority's value of one feature, and the documents that show another."""

    value: Any
    count: int
    total: int
    others: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Inferred:
    """A layout learnt from documents."""

    #: the closest built-in layout, and the features in which the documents differ from it
    base: str
    changes: dict[str, Vote]
    votes: dict[str, Vote]
    documents: int
    agreeing: int = 0
    features: int = 0
    #: the features of the base layout
    base_values: dict[str, Any] = field(default_factory=dict)

    def layout_data(self) -> dict[str, Any]:
        """Return the layout file: extends the closest built-in one, with what differs."""
        changes = {path: vote.value for path, vote in self.changes.items()}
        return _nested(self.base, changes, self.base_values)


def _merged_order(orders: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Return one order of the items of several documents, each document's order kept."""
    out: list[Any] = []
    keys: list[Any] = []
    for order in sorted(orders, key=len, reverse=True):
        for i, item in enumerate(order):
            if _item_key(item) in keys:
                continue
            before = [_item_key(k) for k in order[:i] if _item_key(k) in keys]
            at = keys.index(before[-1]) + 1 if before else 0
            out.insert(at, item)
            keys.insert(at, _item_key(item))
    return tuple(out)


def vote(observations: dict[str, dict[str, Any]]) -> dict[str, Vote]:
    """Return the majority's value of every feature the documents show, and the others."""
    paths = dict.fromkeys(p for obs in observations.values() for p in obs)
    votes: dict[str, Vote] = {}
    for path in paths:
        shown = {name: obs[path] for name, obs in observations.items() if path in obs}
        if path in _ORDERS:
            value = _merged_order([tuple(v) for v in shown.values()])
            others = [n for n, v in shown.items() if not _subsequence(v, value)]
            votes[path] = Vote(value, len(shown) - len(others), len(shown), {"": others})
            continue
        counts = Counter(_key(v) for v in shown.values())
        winner_key = counts.most_common(1)[0][0]
        winner = next(v for v in shown.values() if _key(v) == winner_key)
        others_by: dict[str, list[str]] = {}
        for name, v in shown.items():
            if _key(v) != winner_key:
                others_by.setdefault(repr(v), []).append(name)
        votes[path] = Vote(winner, counts[winner_key], len(shown), others_by)
    return votes


def _key(value: Any) -> str:
    return repr(value)


def infer(
    observations: dict[str, dict[str, Any]],
    layouts: dict[str, dict[str, Any]],
    prefer: str = "standard",
) -> Inferred:
    """Return the layout the documents share: the closest of ``layouts`` (their features by
    name) and the features in which the documents' majority differs from it."""
    votes = vote(observations)
    best: tuple[int, int, str] | None = None
    for name, values in layouts.items():
        agree = sum(same(path, values.get(path), v.value) for path, v in votes.items())
        rank = (agree, name == prefer, name)
        if best is None or rank[:2] > (best[0], best[1]):
            best = (agree, name == prefer, name)
    assert best is not None
    base = best[2]
    values = layouts[base]
    changes = {path: v for path, v in votes.items() if not same(path, values.get(path), v.value)}
    for path, v in list(changes.items()):
        base_value = values.get(path)
        tied = v.others.get(repr(base_value), [])
        if path not in _ORDERS and len(tied) == v.count:  # a tie: the base layout's stays
            shown = [n for n, o in observations.items() if repr(o.get(path)) == repr(v.value)]
            v.others = {repr(v.value): shown}
            v.value = base_value
            del changes[path]
    agreeing = len(votes) - len(changes)
    inferred = Inferred(base, changes, votes, len(observations), agreeing, len(votes), values)
    _complete(inferred, values)
    return inferred


def _complete(inferred: Inferred, values: dict[str, Any]) -> None:
    """Give the orders that change everything their base layout has (a document shows only
    what its position has: the others stay where the base layout puts them)."""
    for path in _ORDERS:
        vote_ = inferred.changes.get(path)
        base = values.get(path) or ()
        if vote_ is None:
            continue
        value = list(vote_.value)
        keys = [_item_key(x) for x in value]
        for i, item in enumerate(base):
            if _item_key(item) in keys or (path == "general.fields" and item[0] in _ALWAYS):
                continue
            before = [_item_key(x) for x in base[:i] if _item_key(x) in keys]
            at = keys.index(before[-1]) + 1 if before else 0
            value.insert(at, item)
            keys.insert(at, _item_key(item))
        vote_.value = tuple(value)


def _item_key(item: Any) -> Any:
    return item[0] if isinstance(item, tuple) else item


def _set(out: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = out
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


_FLAGS = {"show_heading": True, "run_in": False, "numbered": True, "join": False}


def _widths(out: dict[str, Any], changes: dict[str, Any], values: dict[str, Any]) -> None:
    """Give a table whose columns changed a width for each column."""
    form = changes.get("general.form", values.get("general.form"))
    wide = changes.get("general.columns", values.get("general.columns"))
    if form == "table" and ("general.form" in changes or "general.columns" in changes):
        out["general"]["widths"] = [Flow([1, 3, 6] if wide == 3 else [3, 7])]
    columns = changes.get("tasks.columns")
    if columns is not None and len(columns) != len(values.get("tasks.widths") or ()):
        out["tasks"]["widths"] = Flow([1] * len(columns))


def _nested(base: str, changes: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Return the layout file's data: ``extends`` and the changed features as its keys.

    ``values`` are the base layout's features: a list the file gives replaces the
    base's whole, so it is given whole.
    """
    out: dict[str, Any] = {"extends": base}
    flagged = False
    for path, value in changes.items():
        if path == "purpose.place":
            continue
        if path.startswith("sections."):
            flagged = True
        elif path == "general.fields":
            out.setdefault("general", {})["fields"] = _fields(value)
        elif isinstance(value, tuple):  # front.banner, tasks.columns, approval …
            _set(out, path, Flow(list(value)))
        else:
            _set(out, path, value)
    _widths(out, changes, values)
    place = changes.get("purpose.place")
    if place is not None:  # the purpose moves between a section and a field of the general part
        flagged = True
        order = list(changes.get("sections.order") or values.get("sections.order") or ())
        fields = list(changes.get("general.fields") or values.get("general.fields") or ())
        if place == "general":
            order = [k for k in order if k != "purpose"]
        else:
            fields = [f for f in fields if f[0] != "purpose"]
            if "purpose" not in order:
                order.insert(order.index("general") + 1 if "general" in order else 0, "purpose")
        changes = {**changes, "sections.order": tuple(order)}
        out.setdefault("general", {})["fields"] = _fields(tuple(fields))
    if flagged:
        feature = {**values, **changes}
        entries: list[Any] = []
        for key in feature["sections.order"]:
            spec = {
                flag: feature.get(f"sections.{key}.{flag}", default)
                for flag, default in _FLAGS.items()
            }
            # a section is numbered by default when it shows a heading or runs in
            auto = {**_FLAGS, "numbered": spec["show_heading"] or spec["run_in"]}
            own = {flag: value for flag, value in spec.items() if value != auto[flag]}
            entries.append({"key": key, **own} if own else key)
        out["sections"] = entries
    return out


def _fields(value: tuple[Any, ...]) -> list[Any]:
    """Return the general part's fields as a layout gives them: rows of fields."""
    rows: list[list[Any]] = []
    for entry in value:
        key, label, text, starts_row = entry
        if starts_row or not rows:
            rows.append([])
        rows[-1].append(_field((key, label, text)))
    return [row[0] if len(row) == 1 else row for row in rows]


def _field(entry: tuple[str, str | None, str | None]) -> Any:
    key, label, text = entry
    if text:
        return {"field": key, "text": text}
    if label:
        return {"field": key, "label": label}
    return key
