"""The layout of a job description as data: its parts, their forms, numbering and policy."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.fields import field_names
from ametijuhend_cli.fields import fill as fill_fields
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Model, SectionKey
from ametijuhend_cli.texts import PlainText, Slug, Text

#: The fields a general part can show, in the order they are usually listed.
GeneralKey = Literal[
    "title",
    "unit",
    "manager",
    "substituted_by",
    "substitutes",
    "appointed_by",
    "subordinates",
    "special_conditions",
    "work_area",
    "position_number",
    "purpose",
    "agency",
    "paragraphs",
]

#: Sections a layout can give a field of the general part of its own (Tööpiirkond),
#: and the competencies (a section of their own instead of a part of the requirements).
FieldSectionKey = Literal["work_area", "special_conditions", "competencies"]
#: Every section a layout can list.
LayoutSectionKey = Literal[SectionKey, FieldSectionKey]

#: The rows a requirements table or list can show (other: the position's own rows).
RequirementKey = Literal["education", "experience", "languages", "computer_skills", "other"]

#: What a policy can require a position to give (a field, or a part of one).
RequiredPath = Literal[
    "manager",
    "substituted_by",
    "substitutes",
    "appointed_by",
    "subordinates",
    "special_conditions",
    "work_area",
    "position_number",
    "purpose",
    "tasks.results",
    "rights",
    "responsibilities",
    "work_tools",
    "requirements.education",
    "requirements.experience",
    "requirements.languages",
    "requirements.computer_skills",
    "requirements.core_competencies",
    "amendment",
    "signatures",
    "approval",
    "annex",
]

PresetName = Literal["standard", "avalik-teenistus", "tooleping", "none"]

#: What each policy preset requires. A job description states what its law asks
#: it to fix; beyond that, what an agency's documents hold is the agency's choice.
POLICY_PRESETS: dict[str, tuple[str, ...]] = {
    # the sample agency's template: what the format required before layouts existed
    "standard": (
        "manager",
        "substituted_by",
        "substitutes",
        "purpose",
        "tasks.results",
        "requirements.education",
        "requirements.experience",
        "requirements.languages",
        "requirements.computer_skills",
        "requirements.core_competencies",
        "signatures",
    ),
    # officials (Public Service Act): the place in the structure, the purpose,
    # and the requirements an appointment is checked against (education, the
    # command of Estonian); who signs, and how, is the agency's form
    "avalik-teenistus": (
        "manager",
        "purpose",
        "requirements.education",
        "requirements.languages",
    ),
    # employees (Employment Contracts Act): the description of the work (the
    # tasks, which every position has) is all the law asks of the document
    "tooleping": (),
    "none": (),
}


def _format_fields(value: str) -> set[str]:
    # plain names only: no index, attribute, conversion or format ('{value:>300000000}')
    return set(field_names(value))


def _template(*allowed: str) -> AfterValidator:
    """Return a validator that lets a template use only ``allowed`` fields in braces."""

    def check(value: str) -> str:
        bad = sorted(_format_fields(value) - set(allowed))
        if bad:
            names = ", ".join("{" + name + "}" for name in allowed)
            raise ValueError(
                msg(
                    "unknown field {field} in {value}; the fields here are {names}",
                    field="{" + bad[0] + "}",
                    value=excerpt(value),
                    names=names,
                )
            )
        return value

    return AfterValidator(check)


BannerLine = Annotated[
    PlainText,
    _template(
        "agency",
        "unit",
        "units",
        "units_genitive",
        "department",
        "title",
        "title_genitive",
        "position_number",
        "document_title",
    ),
]
TitleTemplate = Annotated[
    PlainText, _template("document_title", "title", "title_genitive", "position_number")
]
#: The fields a sentence of the general part may use besides its label and value.
_SENTENCE_FIELDS = ("title", "title_genitive", "title_partitive", "agency")
SubtitleTemplate = Annotated[PlainText, _template("subtitle", "position_number")]
SectionNumber = Annotated[PlainText, _template("n", "roman")]
ItemNumber = Annotated[PlainText, _template("section", "roman", "n")]
SubitemNumber = Annotated[PlainText, _template("section", "item", "n")]
LineTemplate = Annotated[PlainText, _template("label", "value", "number")]
GeneralLineTemplate = Annotated[PlainText, _template("label", "value", "number", *_SENTENCE_FIELDS)]
ValueTemplate = Annotated[PlainText, _template("label", "value", "number", *_SENTENCE_FIELDS)]


class FrontMatter(Model):
    """What comes before the first section: banner lines, the title, a subtitle."""

    banner: list[BannerLine] = Field(
        default_factory=list,
        description="Lines above the title, e.g. ['{agency}', '{units}']: {agency}, {unit} "
        "(the unit's names joined), {units} (one line per unit, outermost first), "
        "{units_genitive} (the same, each in the genitive: the unit's genitive in "
        "organization.yaml, else its name), "
        "{department} (the outermost unit), {title}, {title_genitive}, {position_number}, "
        "{document_title}. A line whose fields are all empty is left out.",
    )
    banner_case: Literal["upper", "as_written"] = Field(
        "upper", description="'upper': the banner in capitals (AMETIJUHEND banners are)."
    )
    title: TitleTemplate = Field(
        "{document_title}",
        description="The document title: '{document_title}' (AMETIJUHEND) or e.g. "
        "'{title_genitive} {document_title}' (AUTOJUHI AMETIJUHEND).",
    )
    title_case: Literal["upper", "sentence", "as_written"] = Field(
        "as_written",
        description="'upper': the title in capitals; 'sentence': its first letter a capital "
        "('Raamatukoguhoidja ametijuhend' from the title 'raamatukoguhoidja').",
    )
    subtitle: SubtitleTemplate | None = Field(
        "({subtitle})",
        description="The line under the title, printed when the position gives a subtitle "
        "(or a position number the template uses); null: never.",
    )


class Numbering(Model):
    """How sections and the items in them are numbered."""

    sections: SectionNumber = Field(
        "{n}.",
        description="Section numbers: '{n}.' (1.), '{n}' (1), '{roman}' (I), '{roman}.' (I.) "
        "or '' (none).",
    )
    items: ItemNumber = Field(
        "{section}.{n}",
        description="Numbers of the items of a section (general-part labels, tasks, purpose "
        "points, numbered lists): '{section}.{n}' (3.1), '{section}.{n}.' (3.1.) or '{n}.'.",
    )
    subitems: SubitemNumber = Field(
        "{item}.{n}", description="Numbers of a task's numbered parts: '{item}.{n}' (3.1.1)."
    )


def _section_shorthand(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


class SectionSpec(Model):
    """One section of the layout: which, under what heading, numbered or not."""

    key: LayoutSectionKey = Field(
        description="Which standard section; or work_area, special_conditions: that field "
        "of the position as a section of its own (Tööpiirkond) instead of a line of the "
        "general part; or competencies: the competencies and knowledge of the requirements "
        "as a section of their own (KOMPETENTSID)."
    )
    heading: Text | None = Field(
        None, description="Its heading, replacing the wording's (e.g. 'Üldsätted')."
    )
    show_heading: bool = Field(True, description="False: no heading line, only the content.")
    numbered: bool | None = Field(
        None,
        description="Whether the section has a number and is counted. Default: when it "
        "shows a heading or its number runs into its first paragraph. True: counted "
        "even without a heading line (its items numbered 1.1 …, the next section 2.); "
        "false: no number, not counted.",
    )
    run_in: bool = Field(
        False,
        description="True: the number (and heading) begin the first paragraph, as in "
        "'2. Teenistuskoha eesmärk on …'.",
    )
    join: bool = Field(
        False,
        description="True: the section continues the one before it in the layout, as in "
        "'Õigused ja vastutus': no heading and no number of its own, its numbered items "
        "counted on from that section's. Where that section is left out, it stands as a "
        "section of its own.",
    )


SectionEntry = Annotated[SectionSpec, BeforeValidator(_section_shorthand)]


def _field_shorthand(value: Any) -> Any:
    return {"field": value} if isinstance(value, str) else value


class GeneralField(Model):
    """A field of the general part: which, its label, and its own wording."""

    field: GeneralKey = Field(description="Which field.")
    label: Text | None = Field(
        None, description="Its label, replacing the wording's (e.g. 'Allub')."
    )
    text: ValueTemplate | None = Field(
        None,
        description="A sentence printed instead of 'label value', e.g. 'Töötaja vahetu "
        "juht on {value}.' (prose general parts); fields {label}, {value}, {number}, and "
        "{title}, {title_genitive}, {title_partitive} (the position's title and its cases: "
        "'{title} allub …'), {agency}.",
    )


GeneralEntry = Annotated[GeneralField, BeforeValidator(_field_shorthand)]


def _rows(value: Any) -> Any:
    """Return the fields as rows: a field given alone is a row of one."""
    if isinstance(value, list):
        return [item if isinstance(item, list) else [item] for item in value]
    return value


class GeneralPart(Model):
    """The general part: which fields, in which order and form."""

    form: Literal["rows", "table", "lines", "paragraph"] = Field(
        "rows",
        description="'rows': a table per row of fields, labels over values; 'table': one "
        "table, a field per row (label | value); 'lines': a paragraph per field; "
        "'paragraph': the fields' lines one after another in one paragraph (prose).",
    )
    fields: Annotated[list[list[GeneralEntry]], BeforeValidator(_rows)] = Field(
        default_factory=lambda: [
            [GeneralField.model_validate({"field": key}) for key in row]
            for row in (("title", "unit"), ("manager", "substituted_by", "substitutes"))
        ],
        description="The fields in order; in the 'rows' form a list of fields is one table. "
        "A field the position does not give is left out. 'paragraphs': where the position's "
        "general_paragraphs stand among the fields ('lines' and 'paragraph' forms; numbered "
        "with them); without it they follow the fields.",
    )
    numbered: bool = Field(True, description="Labels numbered 1.1, 1.2 … .")
    columns: Literal[2, 3] = Field(
        2, description="'table' form: 3 puts the number in a column of its own."
    )
    widths: list[list[Annotated[int, Field(ge=1)]]] = Field(
        default_factory=list,
        description="Relative column widths of each row ('rows' form), e.g. [[2, 3], [1, 1, 1]]; "
        "of the table ('table' form: [[1, 2]] or [[1, 3, 6]] with the number column). "
        "Default: equal columns (rows), [[3, 7]] or [[1, 3, 6]] (table); a layout that "
        "changes the form, the columns or the fields of the layout it extends and gives no "
        "widths gets the default.",
    )
    line: GeneralLineTemplate = Field(
        "{label} {value}",
        description="'lines' and 'paragraph' forms: a field's line, e.g. '{label}: {value}'; "
        "{number} is its number when numbered.",
    )


class PurposeForm(Model):
    """The purpose of the position: one paragraph, or numbered points."""

    form: Literal["paragraphs", "points"] = Field(
        "paragraphs", description="'points': numbered 2.1, 2.2 … ."
    )


TaskColumn = Literal["number", "task", "activities", "results"]


def _columns(*names: TaskColumn) -> list[TaskColumn]:
    return list(names)


def _requirement_rows(*names: RequirementKey) -> list[RequirementKey]:
    return list(names)


class TasksForm(Model):
    """The tasks: a table, a list or one paragraph."""

    form: Literal["table", "list", "paragraph"] = Field(
        "table",
        description="'table': a row per task; 'list': a paragraph per task (results "
        "under it); 'paragraph': all tasks in one paragraph.",
    )
    columns: list[TaskColumn] = Field(
        default_factory=lambda: _columns("task", "results"),
        min_length=1,
        description="'table' form: the columns, e.g. [task, results] or [task, activities, "
        "results] (activities: the task's subtasks); [number, task, results] puts the "
        "task's number in a column of its own (Nr).",
    )
    widths: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list,
        description="Relative widths of the columns, one per column. Default: by the "
        "columns ([11, 9] for two; the number column narrow).",
    )
    header: bool = Field(True, description="'table' form: a header row with column headings.")
    numbered: bool = Field(True, description="TasksForm numbered 3.1, 3.2 … .")
    subtasks: Literal["bullets", "numbered"] = Field(
        "bullets", description="A task's parts as bullets or numbered 3.1.1 … ."
    )
    results: Literal["bullets", "paragraph"] = Field(
        "bullets", description="'list' form: results as bullets under the task, or one paragraph."
    )
    results_label: bool = Field(
        True,
        description="'list' form: the label before the results ('Oodatavad tulemused:', "
        "wording tasks_table.results); false: the results alone under the task.",
    )

    @model_validator(mode="after")
    def _check(self) -> TasksForm:
        columns = [c for c in self.columns if c != "number"]
        if (
            len(set(self.columns)) != len(self.columns)
            or not columns
            or columns[0] != "task"
            or (self.columns[0] == "number") != ("number" in self.columns)
        ):
            raise ValueError(
                msg("columns start with 'task' (or 'number', 'task') and name each column once")
            )
        return self

    def column_widths(self) -> list[int]:
        """Return the relative width of each column: the layout's, else by the columns."""
        if self.widths:
            return list(self.widths)
        usual = {2: [11, 9], 3: [7, 7, 6]}
        rest = [c for c in self.columns if c != "number"]
        widths = usual.get(len(rest), [1] * len(rest))
        # the number column about a tenth of the page: room for 'Nr' and '3.12' on one line
        return ([4] + [w * 2 for w in widths]) if "number" in self.columns else widths


class ListForm(Model):
    """A list section (rights, responsibilities, amendment clauses)."""

    lead_in: bool = Field(True, description="Print the lead-in ('Omab õigust:').")
    items: Literal["auto", "bullets", "numbered", "paragraphs"] = Field(
        "bullets",
        description="'bullets', 'numbered' (4.1, 4.2 …), 'paragraphs', or 'auto' (one item: "
        "a paragraph, more: bullets).",
    )
    punctuation: Literal["list", "sentence", "as_written"] = Field(
        "list",
        description="'list': ';' after each item and '.' after the last; 'sentence': each "
        "item a sentence, its first letter a capital and '.' at its end (library texts that "
        "continue a lead-in, printed without one); 'as_written'.",
    )


class RequirementsForm(Model):
    """The requirements: a table or lines, which rows in which order."""

    form: Literal["table", "lines"] = Field("table", description="'table' or 'lines'.")
    rows: list[RequirementKey] = Field(
        default_factory=lambda: _requirement_rows(
            "education", "experience", "languages", "computer_skills"
        ),
        description="The rows in order; a row the position does not give is left out; "
        "'other': the position's own rows (requirements.other).",
    )
    widths: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=lambda: [3, 7], description="'table' form: label and value widths."
    )
    numbered: bool = Field(False, description="'lines' form: numbered 7.1, 7.2 … .")
    line: LineTemplate = Field("{label}: {value}", description="'lines' form: a row's line.")


class ExtraForm(Model):
    """The sections of a position's own (extra_sections)."""

    items: Literal["paragraphs", "numbered", "bullets"] = Field(
        "paragraphs",
        description="Their paragraphs as they are, numbered (3.1, 3.2 … as the layout numbers "
        "items) or as bullets.",
    )


class EndForm(Model):
    """How the document ends."""

    signatures: bool = Field(True, description="Print the position's signatures (if given).")
    signatures_heading: bool = Field(
        True,
        description="The heading over two or more signatories ('Poolte allkirjad:', wording "
        "signatures.parties); false: the labels alone.",
    )
    signed_mark: bool = Field(
        True,
        description="The mark of the digital signature ('(allkirjastatud digitaalselt)', "
        "wording signatures.signed) with each signatory; false for documents signed on paper.",
    )
    signatures_form: Literal["columns", "lines"] = Field(
        "columns",
        description="'columns': the signatories side by side in a table; 'lines': one under "
        "another, each as 'Label (allkirjastatud digitaalselt)', the name, the title.",
    )
    acknowledgement: bool = Field(
        False,
        description="The employee's acknowledgement ('Olen ametijuhendiga tutvunud …') with "
        "room for name, date and signature (wording: acknowledgement).",
    )


class Policy(Model):
    """What every position of this layout must give: a preset and additions."""

    preset: PresetName = Field(
        "standard",
        description="'standard' (the sample agency's template: what the format always "
        "required), 'avalik-teenistus' (officials, Public Service Act), 'tooleping' "
        "(employees, Employment Contracts Act) or 'none'.",
    )
    require: list[RequiredPath] = Field(
        default_factory=list, description="Further fields every position must give."
    )
    omit: list[RequiredPath] = Field(
        default_factory=list,
        description="Fields of the preset these positions need not give (e.g. [purpose] for "
        "documents without one).",
    )

    @property
    def required(self) -> tuple[str, ...]:
        """Return every path this policy requires, the preset's first."""
        wanted = [*POLICY_PRESETS[self.preset], *self.require]
        return tuple(path for path in dict.fromkeys(wanted) if path not in self.omit)


ApprovalForm = Literal["block", "line", "annex", "label", "none"]


def _no_repeated_sections(value: list[SectionSpec]) -> list[SectionSpec]:
    keys = [s.key for s in value]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(msg("names {keys} more than once", keys=", ".join(repeated)))
    return value


class Layout(Model):
    """A layout file: templates/layouts/<name>.yaml (built-in or the project's own)."""

    description: Text | None = Field(None, description="One line on what the layout is for.")
    extends: Slug | None = Field(
        None, description="Name of a layout this one changes (its keys merge over it)."
    )
    approval: ApprovalForm | Annotated[list[ApprovalForm], Field(min_length=1)] = Field(
        "block",
        description="The approval note, when a position has one: 'block' (KINNITATUD and "
        "the directive), 'line' (the directive's line alone, as the wording's approval.line "
        "has it: 'Kinnitatud … käskkirjaga nr 5'), 'annex' (one line: the directive this is "
        "an annex of), 'label' "
        "('Lisa 8'), 'none'; or a list of them in their order, e.g. [label, block] for "
        "'Lisa 8' over the KINNITATUD block.",
    )
    front: FrontMatter = Field(
        default_factory=FrontMatter,  # type: ignore[arg-type]
        description="Banner, title and subtitle.",
    )
    numbering: Numbering = Field(
        default_factory=Numbering,  # type: ignore[arg-type]
        description="Numbers of sections and their items.",
    )
    sections: Annotated[list[SectionEntry], AfterValidator(_no_repeated_sections)] = Field(
        default_factory=lambda: [
            SectionSpec.model_validate({"key": key})
            for key in (
                "general",
                "purpose",
                "tasks",
                "rights",
                "responsibilities",
                "work_tools",
                "requirements",
                "amendment",
            )
        ],
        min_length=1,
        description="The sections in order: a key (general, purpose, tasks, rights, "
        "responsibilities, work_tools, requirements, amendment) or {key, heading, "
        "show_heading, numbered, run_in}. A section the position has no content for is "
        "left out and the rest renumber.",
    )
    general: GeneralPart = Field(default_factory=GeneralPart, description="The general part.")  # type: ignore[arg-type]
    purpose: PurposeForm = Field(default_factory=PurposeForm, description="The purpose.")  # type: ignore[arg-type]
    tasks: TasksForm = Field(default_factory=TasksForm, description="The tasks.")  # type: ignore[arg-type]
    rights: ListForm = Field(default_factory=ListForm, description="The rights.")  # type: ignore[arg-type]
    responsibilities: ListForm = Field(
        default_factory=ListForm,  # type: ignore[arg-type]
        description="The responsibilities.",
    )
    amendment: ListForm = Field(
        default_factory=lambda: ListForm(lead_in=False, items="auto", punctuation="as_written"),
        description="The amendment clauses.",
    )
    requirements: RequirementsForm = Field(
        default_factory=RequirementsForm,  # type: ignore[arg-type]
        description="The requirements.",
    )
    extra_sections: ExtraForm = Field(
        default_factory=ExtraForm,  # type: ignore[arg-type]
        description="How the sections of a position's own are printed.",
    )
    end: EndForm = Field(default_factory=EndForm, description="The end of the document.")  # type: ignore[arg-type]
    policy: Policy = Field(
        default_factory=Policy,  # type: ignore[arg-type]
        description="What every position of this layout must give.",
    )
    wording: dict[str, Any] = Field(
        default_factory=dict,
        description="Keys of wording.yaml for documents of this layout (headings, labels, "
        "vocabularies …): merged over the project's wording.",
    )

    def section(self, key: str) -> SectionSpec | None:
        """Return the layout's entry for section ``key`` (None: the layout has no such section)."""
        return next((s for s in self.sections if s.key == key), None)

    def general_keys(self) -> list[str]:
        """Return the fields the general part shows, in order."""
        return [f.field for row in self.general.fields for f in row]

    @property
    def approval_notes(self) -> list[str]:
        """Return the approval notes the layout prints, in order ('none' left out)."""
        notes = [self.approval] if isinstance(self.approval, str) else self.approval
        return [note for note in notes if note != "none"]


def needed_title_forms(layout: Layout) -> dict[str, str]:
    """Return the title forms a layout prints (form field → the template that uses it).

    A generator of case forms fills exactly these; validate names a position
    that lacks one.
    """
    needed: dict[str, str] = {}
    general = layout.general
    sentences = [general.line, *(f.text for row in general.fields for f in row if f.text)]
    if layout.section("general") is None:
        sentences = []
    for template in [layout.front.title, *layout.front.banner, *sentences]:
        for form in ("title_genitive", "title_partitive"):
            if form in _format_fields(template):
                needed.setdefault(form, template)
    return needed


#: The fields of a position the general part can show.
_GENERAL_FIELDS = (
    "appointed_by",
    "manager",
    "subordinates",
    "substituted_by",
    "substitutes",
    "special_conditions",
    "work_area",
)


def printed(layout: Layout) -> dict[str, bool]:
    """Return, for each optional field of a position, whether documents of ``layout`` print it.

    A position that gives a field its layout does not print is refused (nothing
    is dropped silently); `init` leaves such fields out of its example.
    """
    general = set(layout.general_keys())
    front = layout.front
    templates = " ".join([front.title, *front.banner, front.subtitle or ""])
    shown = {key: key in general or layout.section(key) is not None for key in _GENERAL_FIELDS}
    shown["position_number"] = "position_number" in general or "{position_number}" in templates
    shown["purpose"] = "purpose" in general or layout.section("purpose") is not None
    for key in ("rights", "responsibilities", "work_tools", "amendment", "tasks", "requirements"):
        shown[key] = layout.section(key) is not None
    # the competencies are requirements too, in a section of their own or not
    shown["requirements"] = shown["requirements"] or layout.section("competencies") is not None
    shown["general_paragraphs"] = layout.section("general") is not None
    shown["subtitle"] = "{subtitle}" in (front.subtitle or "")
    shown["signatures"] = layout.end.signatures
    notes = layout.approval_notes
    shown["approval"] = any(note in notes for note in ("block", "line", "annex"))
    shown["annex"] = "label" in notes or "annex" in notes
    return shown


def required_unprinted(layout: Layout) -> list[str]:
    """Return what the layout's policy requires and its documents do not print (a contradiction)."""
    shown = printed(layout)
    tasks = layout.tasks
    results = tasks.form == "list" or (tasks.form == "table" and "results" in tasks.columns)
    wrong = []
    for path in layout.policy.required:
        if path == "tasks.results":
            ok = results
        elif path.startswith("requirements."):
            row = path.split(".", 1)[1]
            if row == "core_competencies":
                ok = shown["requirements"]
            else:
                ok = layout.section("requirements") is not None and row in layout.requirements.rows
        else:
            ok = shown.get(path, True)
        if not ok:
            wrong.append(path)
    return wrong


def width_problems(layout: Layout) -> list[tuple[tuple[str, str], Message]]:
    """Return where the widths of a (merged) layout do not fit its columns, and how."""
    found: list[tuple[tuple[str, str], Message]] = []
    general = layout.general
    widths = general.widths
    if general.form == "table" and widths:
        n = general.columns
        if len(widths) != 1 or len(widths[0]) != n:
            found.append(
                (
                    ("general", "widths"),
                    msg(
                        "the 'table' form with {n} columns takes one list of {n} widths, "
                        "e.g. {example}",
                        n=n,
                        example="[[1, 3, 6]]" if n == 3 else "[[3, 7]]",
                    ),
                )
            )
    if general.form == "rows":
        rows = general.fields
        bad = len(widths) > len(rows) or any(
            len(w) != len(row) for w, row in zip(widths, rows, strict=False)
        )
        if bad:
            found.append(
                (
                    ("general", "widths"),
                    msg(
                        "the 'rows' form takes a list of widths for each row of fields, one "
                        "width a field: {shape}",
                        shape=str([len(row) for row in rows]),
                    ),
                )
            )
    tasks = layout.tasks
    if tasks.widths and len(tasks.widths) != len(tasks.columns):
        found.append(
            (
                ("tasks", "widths"),
                msg(
                    "give one width per column ({columns}), got {count}",
                    columns=len(tasks.columns),
                    count=len(tasks.widths),
                ),
            )
        )
    return found


def annex_label(template: str, annex: str | int) -> str:
    """Return the annex label of a job description ("Lisa 8") from the wording's template."""
    return fill_fields(template, annex=annex)


def roman(number: int) -> str:
    """Return ``number`` (1 …) in Roman numerals."""
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, number = divmod(number, value)
        out += letters * count
    return out
