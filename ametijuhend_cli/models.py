"""Pydantic schemas of position, library and organization files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.texts import Cefr, EmploymentType, Slug, Text, TextList, one_or_many


class Model(BaseModel):
    """Base of every schema: unknown keys are errors, numbers may stand for text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


def _ref_shorthand(value: Any) -> Any:
    return {"ref": value} if isinstance(value, str) else value


class ItemRef(Model):
    """A library reference (``- kaugtoo`` or ``- ref: kaugtoo``) or inline ``- text: …``."""

    #: how error messages name what is expected here
    expected_form: ClassVar[Message] = msg("a library id or 'text: …'")

    ref: Text | None = Field(None, description="Id of a library entry.")
    text: Text | None = Field(None, description="The position's own text, used as written.")

    _shorthand = model_validator(mode="before")(_ref_shorthand)

    @model_validator(mode="after")
    def _exactly_one(self) -> ItemRef:
        if (self.ref is None) == (self.text is None):
            raise ValueError(msg("give either a library id (ref) or your own text (text)"))
        return self


class CompetencyRef(Model):
    """A competency: a library id, optionally narrowed, or an inline one."""

    expected_form: ClassVar[Message] = msg(
        "a library id, 'ref: …' with a variant, or 'name: …' and 'text: …'"
    )

    ref: Text | None = Field(None, description="Id of a competency in the library.")
    variant: Text | None = Field(
        None, description="Named variant of the library entry (a subset of its indicators)."
    )
    indicators: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, description="Numbers (1-based) of the library entry's indicators to use."
    )
    name: Text | None = Field(None, description="Name of an inline competency.")
    text: Text | None = Field(None, description="Description of an inline competency.")

    _shorthand = model_validator(mode="before")(_ref_shorthand)

    @model_validator(mode="after")
    def _check(self) -> CompetencyRef:
        if self.ref is None:
            if self.name is None or self.text is None:
                raise ValueError(msg("give a library id (ref) or both name and text"))
            if self.variant is not None or self.indicators is not None:
                raise ValueError(msg("variant and indicators apply only to library competencies"))
        else:
            if self.name is not None or self.text is not None:
                raise ValueError(msg("give either a library id (ref) or name and text, not both"))
            if self.variant is not None and self.indicators is not None:
                raise ValueError(msg("give either variant or indicators, not both"))
        return self


class PositionRef(Model):
    """Another position of the organization by id: ``{position: koordinaator-klat}``."""

    position: Slug = Field(description="Id of the position (its file name without .yaml).")


def _person_kind(value: Any) -> str:
    return "<position>" if isinstance(value, (dict, PositionRef)) else "<text>"


def people_or_one(value: Any) -> Any:
    """Return ``value`` as a list: one person or position given alone is a list of one."""
    return [value] if isinstance(value, (str, dict)) else value


#: Vahetu juht, Kes asendab, Keda asendab: free text (someone outside the data)
#: or a reference to a position. The tags in angle brackets only pick the branch;
#: validation drops them from error locations.
PersonOrPosition = Annotated[
    Union[Annotated[Text, Tag("<text>")], Annotated[PositionRef, Tag("<position>")]],  # noqa: UP007
    Discriminator(_person_kind),
]
PeopleList = Annotated[list[PersonOrPosition], BeforeValidator(people_or_one)]


class Result(Model):
    """An expected result with a list of its own under it."""

    expected_form: ClassVar[Message] = msg("a text, or 'text: …' with 'items: […]'")

    text: Text = Field(description="The result, e.g. 'Koostatud on:'.")
    items: TextList = Field(min_length=1, description="The list under the result.")


def _result_kind(value: Any) -> str:
    # a mapping of other keys is a text with ': ' left unquoted: the text branch says so
    listed = isinstance(value, Result) or (
        isinstance(value, dict) and {"text", "items"} & set(value)
    )
    return "<list>" if listed else "<text>"


#: An expected result: a text, or a text with a list under it.
ResultItem = Annotated[
    Union[Annotated[Text, Tag("<text>")], Annotated[Result, Tag("<list>")]],  # noqa: UP007
    Discriminator(_result_kind),
]


def _task_shorthand(value: Any) -> Any:
    return {"task": value} if isinstance(value, str) else value


class Task(Model):
    """One main task (põhiülesanne), with its expected results where the document gives them."""

    expected_form: ClassVar[Message] = msg("a text, or 'task: …' with its results")

    task: Text = Field(description="The task, as one sentence (numbered 3.1, 3.2 … when rendered).")
    details: TextList = Field(
        default_factory=list,
        description="Further paragraphs of the task, printed under it (before the sub-tasks).",
    )
    results: Annotated[list[ResultItem], BeforeValidator(one_or_many)] = Field(
        default_factory=list,
        description="Expected results (oodatavad tulemused): one or a list; an item may be "
        "{text: …, items: […]} to give a list under it. Whether every task needs them is "
        "the layout's policy (tasks.results).",
    )
    subtasks: TextList = Field(
        default_factory=list,
        description="Parts of the task, listed under it (e.g. 'sh:') or, in a three-column "
        "table, its activities; numbered 3.1.1 … where the layout numbers them; punctuated "
        "like the rights: ';' after each, '.' after the last, unless the text ends in "
        "punctuation.",
    )

    _shorthand = model_validator(mode="before")(_task_shorthand)


class TaskGroup(Model):
    """Tasks under a lead-in of their own ('Iga päev:'), numbered on with the others."""

    group: Text = Field(description="The lead-in of the group, e.g. 'Iga päev:'.")
    tasks: list[Task] = Field(min_length=1, description="The tasks of the group.")


def _task_kind(value: Any) -> str:
    grouped = isinstance(value, TaskGroup) or (isinstance(value, dict) and "group" in value)
    return "<group>" if grouped else "<task>"


#: A task, or a group of tasks under a lead-in.
TaskItem = Annotated[
    Union[Annotated[Task, Tag("<task>")], Annotated[TaskGroup, Tag("<group>")]],  # noqa: UP007
    Discriminator(_task_kind),
]


LanguageStyle = Literal["valdab", "oskab", "oskus"]


class Language(Model):
    """A language requirement (one or several languages) with its CEFR level, or a text."""

    language: Text | None = Field(
        None, description="Language as an adjective: 'eesti', 'inglise', 'vene'."
    )
    languages: list[Text] = Field(
        default_factory=list,
        description="Several languages sharing one level in one sentence: [eesti, vene] "
        "prints 'Valdab eesti ja vene keelt …'.",
    )
    any_foreign: bool = Field(False, description="Any one foreign language will do.")
    preferably: TextList = Field(
        default_factory=list, description="With any_foreign: the preferred languages."
    )
    text: Text | None = Field(
        None,
        description="The requirement as the document words it, where it names no CEFR level "
        "('Eesti keele oskus vastavalt keeleseaduse nõuetele.').",
    )
    level: Cefr | None = Field(
        None, description="Minimum CEFR level: A1, A2, B1, B2, C1 or C2 (not with text)."
    )
    style: LanguageStyle | None = Field(
        None,
        description="Phrasing of this item: 'valdab' (Valdab eesti keelt …), 'oskab' (Oskab "
        "eesti keelt …) or 'oskus' (Eesti keele oskus …); default: the position's "
        "language_style.",
    )

    @model_validator(mode="after")
    def _check(self) -> Language:
        given = [self.language is not None, bool(self.languages), self.any_foreign]
        if self.text is not None:
            if any(given) or self.level is not None or self.style is not None:
                raise ValueError(msg("text stands alone: no language, level or style with it"))
            return self
        if sum(given) != 1:
            raise ValueError(msg("give one of language, languages, any_foreign: true or text"))
        if self.level is None:
            raise ValueError(msg("give the level (A1 … C2), or the requirement as text"))
        if self.preferably and not self.any_foreign:
            raise ValueError(msg("preferably goes with any_foreign: true"))
        if self.style is not None and self.any_foreign:
            raise ValueError(msg("style applies to named languages, not to any_foreign"))
        return self

    @property
    def names(self) -> list[str]:
        """Return the languages named by this item (none for any_foreign)."""
        return [self.language] if self.language is not None else list(self.languages)


class RequirementRow(Model):
    """A requirement of the position's own, with its label ('Juhiload')."""

    label: Text = Field(description="Its label, e.g. 'Juhiload'.")
    text: Text = Field(description="The requirement, e.g. 'B-kategooria juhiload.'.")


class Requirements(Model):
    """Requirements for the position (section AMETIKOHALE ESITATAVAD NÕUDED).

    Which of them a position must give is its layout's policy.
    """

    education: Text | None = Field(None, description="Haridus.")
    experience: Text | None = Field(None, description="Töökogemus.")
    languages: list[Language] = Field(
        default_factory=list,
        description="Keeleoskus: one item per language, e.g. {language: eesti, level: C1} "
        "or {any_foreign: true, preferably: [inglise], level: B2}.",
    )
    language_style: LanguageStyle = Field(
        "valdab",
        description="Default phrasing of the languages: 'Valdab eesti keelt …', 'Oskab eesti "
        "keelt …' or 'Eesti keele oskus …' (an item's own style wins).",
    )
    computer_skills: ItemRef | None = Field(
        None,
        description="Arvutikasutamise oskus: an id from library/computer_skills.yaml or {text: …}.",
    )
    other: list[RequirementRow] = Field(
        default_factory=list,
        description="Requirements of the position's own, each with its label "
        "({label: Juhiload, text: …}); printed where the layout's rows name 'other'.",
    )
    core_competencies: list[CompetencyRef] = Field(
        default_factory=list, description="Tööks vajalikud kompetentsid (library ids)."
    )
    competencies: list[CompetencyRef] = Field(
        default_factory=list,
        description="Täiendavad kompetentsid ja isikuomadused: library ids, "
        "{ref: …, variant: …}, {ref: …, indicators: [1, 2]} or {name: …, text: …}; "
        "may be left out (with no knowledge either, the sub-section is dropped).",
    )
    knowledge: TextList = Field(
        default_factory=list,
        description="Knowledge items listed after the competencies; may be left out.",
    )


class Person(Model):
    """A signatory."""

    name: Text = Field(description="Full name.")
    title: Text | Annotated[list[Text], Field(min_length=1)] | None = Field(
        None,
        description="Position of the signatory; a list for a title over several lines "
        "([Talitusejuhataja, Osakonnajuhataja ülesannetes]).",
    )


class Signer(Person):
    """One of a list of signatories, with its own label."""

    name: Text | None = Field(  # type: ignore[assignment]
        None,
        description="Full name; leave it out where the document prints the label alone "
        "('Tööandja: (allkirjastatud digitaalselt)', the names being in the container).",
    )
    label: Text = Field(description="Label over the signature, e.g. 'Personalijuht:'.")


class Signatures(Model):
    """Who signs: employer and employee, the approver alone, a list, or no names at all."""

    employer: Person | None = Field(None, description="Tööandja.")
    employee: Person | None = Field(None, description="Töötaja.")
    approver: Person | None = Field(None, description="Approver of a KINNITATUD document.")
    signers: list[Signer] = Field(
        default_factory=list,
        description="Any number of labelled signatories (e.g. the employee, the manager and "
        "the head of HR), in place of employer and employee.",
    )
    unnamed: bool = Field(
        False,
        description="True: the document ends with only '(allkirjastatud digitaalselt)', the "
        "names being in the digital signature container.",
    )

    @model_validator(mode="after")
    def _check(self) -> Signatures:
        pair = self.employer is not None or self.employee is not None
        forms = [pair, self.approver is not None, bool(self.signers), self.unnamed]
        if sum(forms) != 1:
            raise ValueError(
                msg("give one of: employer and employee, approver, signers, or unnamed: true")
            )
        if pair and (self.employer is None or self.employee is None):
            raise ValueError(msg("give employer and employee (or approver alone)"))
        return self


#: The standard sections of a job description, in their usual order.
SectionKey = Literal[
    "general",
    "purpose",
    "tasks",
    "rights",
    "responsibilities",
    "work_tools",
    "requirements",
    "amendment",
]


class ExtraSection(Model):
    """A section that is not one of the standard ones, kept as written."""

    heading: Text | None = Field(
        None,
        description="The heading without its number, e.g. 'LISAD'; none: its paragraphs "
        "follow the section before without a heading or a number of their own (text an "
        "imported document has there and that reads as no known part, kept as written).",
    )
    paragraphs: TextList = Field(min_length=1, description="Its paragraphs, in order.")
    after: SectionKey | None = Field(
        None,
        description="The standard section it follows (e.g. tasks); default: after all of "
        "them. Where that section is left out, it stands where the section would be.",
    )


class Approval(Model):
    """The approval note: the directive that approved the job description."""

    date: dt.date = Field(description="Date of the directive (YYYY-MM-DD).")
    number: Text = Field(description="Number of the directive.")
    by: Text | None = Field(
        None,
        description="Approver in the genitive; default: the organization's approval_authority.",
    )
    directive: Text | None = Field(
        None,
        description="Title of the directive ('Ametijuhendite kinnitamine'), for layouts that "
        "name it in the annex line.",
    )
    signed_by: Text | None = Field(
        None,
        description="Who signed the approving directive, as the signed container names them "
        "(written by `ametijuhend signed --record`); not printed in the document.",
    )


def _none_is_empty(value: Any) -> Any:
    """Return [] for an empty value: a field left empty is a field not given."""
    return [] if value is None else value


def _no_repeats(value: list[str]) -> list[str]:
    repeated = sorted({key for key in value if value.count(key) > 1})
    if repeated:
        raise ValueError(msg("names {names} more than once", names=", ".join(repeated)))
    return value


class Position(Model):
    """One job description: the file data/positions/<id>.yaml.

    Which fields a position must give beyond the few every document has is the
    policy of its layout (templates/layouts/<name>.yaml), not this schema.
    """

    id: Slug | None = Field(None, description="Optional; must equal the file name.")
    layout: Slug | None = Field(
        None,
        description="The layout of this document (templates/layouts/<name>.yaml); default: "
        "the project's (ametijuhend.yaml's layout).",
    )
    title: Text = Field(description="Ametinimetus: the job title, e.g. 'Teenusejuht'.")
    title_genitive: Text | None = Field(
        None,
        description="The title in the genitive case ('Autojuhi'), for layouts that print "
        "it so ('AUTOJUHI AMETIJUHEND'); validate names a position whose layout needs it.",
    )
    title_partitive: Text | None = Field(
        None,
        description="The title in the partitive case ('Koordinaatorit'), used where another "
        "position lists this one under Keda asendab.",
    )
    subtitle: Text | None = Field(
        None, description="A line under the title, e.g. 'teenuse omanik' (printed '(…)')."
    )
    position_number: Text | None = Field(
        None, description="The number of the position, e.g. 'põhitöö nr 586' or '586'."
    )
    employment: EmploymentType = Field(
        description="'ametnik' (official, Public Service Act) or 'töötaja' (employee); "
        "decides the document's vocabulary."
    )
    unit: Text = Field(
        description="Id of the structural unit in organization.yaml (the layout decides "
        "whether the document prints it)."
    )
    appointed_by: PersonOrPosition | None = Field(
        None,
        description="Ametisse nimetab / tööle võtab: who appoints to the position; text or "
        "{position: id}.",
    )
    manager: PersonOrPosition | None = Field(
        None,
        description="Vahetu juht: the manager's title as text, or {position: id} for a "
        "position in the data.",
    )
    subordinates: PeopleList = Field(
        default_factory=list,
        description="Alluvad: the positions that report to this one; text or {position: id}, "
        "one or a list.",
    )
    substituted_by: PeopleList = Field(
        default_factory=list,
        description="Kes asendab: who substitutes for this position; text or {position: id}, "
        "one or a list.",
    )
    substitutes: PeopleList = Field(
        default_factory=list,
        description="Keda asendab: whom this position substitutes; text or {position: id}, "
        "one or a list.",
    )
    special_conditions: Text | None = Field(
        None, description="Teenistus- or töötingimuste erisused: special conditions of the work."
    )
    work_area: Text | None = Field(None, description="Tööpiirkond: where the work is done.")
    general_paragraphs: TextList = Field(
        default_factory=list,
        description="Paragraphs of the general part after its fields (who hires and pays, "
        "working hours …), as the document words them.",
    )
    purpose: Annotated[TextList, BeforeValidator(_none_is_empty)] = Field(
        default_factory=list,
        description="Ametikoha / töökoha eesmärk: one paragraph on why the position exists, or "
        "a list of points (numbered 2.1, 2.2 … where the layout numbers them).",
    )
    tasks_heading: Text | None = Field(
        None, description="Own heading of the tasks section, e.g. TEENISTUSKOHUSTUSED."
    )
    tasks: list[TaskItem] = Field(
        min_length=1,
        description="Main tasks, numbered 3.1, 3.2 … where the layout numbers them: a task "
        "('- Dokumentide registreerimine.' or 'task: …' with results), or a group "
        "{group: 'Iga päev:', tasks: […]}.",
    )
    rights: list[ItemRef] = Field(
        default_factory=list,
        description="Õigused: ids from library/rights.yaml or {text: …}; leave out to drop "
        "the section (the later sections renumber).",
    )
    responsibilities: list[ItemRef] = Field(
        default_factory=list,
        description="Vastutus: ids from library/responsibilities.yaml or {text: …}; leave "
        "out to drop the section.",
    )
    work_tools: ItemRef | None = Field(
        None,
        description="Töövahendid: an id from library/work_tools.yaml or {text: …}; "
        "leave empty to drop the section (the later sections renumber).",
    )
    requirements: Requirements = Field(
        default_factory=Requirements,  # type: ignore[arg-type]
        description="Ametikohale esitatavad nõuded: education, experience, languages, "
        "computer skills, competencies; leave out (all of it) to drop the section.",
    )
    amendment: list[ItemRef] = Field(
        default_factory=list,
        description="Ametijuhendi muutmine: ids from library/clauses.yaml or {text: …}; "
        "leave out to drop the section.",
    )
    section_order: Annotated[list[SectionKey], AfterValidator(_no_repeats)] = Field(
        default_factory=list,
        description="The document's own order of the sections, e.g. [general, purpose, tasks, "
        "responsibilities, rights]: those named come first, in this order, the others after "
        "them in the layout's order; they are numbered as they come.",
    )
    extra_sections: list[ExtraSection] = Field(
        default_factory=list,
        description="Sections of the agency's own (e.g. VALVETEENISTUS, LISAD), after the "
        "standard section each names in 'after', else after all of them; numbered on.",
    )
    approval: Approval | None = Field(
        None,
        description="The directive that approved it (a KINNITATUD block, or the line naming "
        "the directive it is an annex of, as the layout prints it), if any.",
    )
    annex: Text | None = Field(
        None,
        description="Its number among the annexes of the approving directive: 'Lisa 8' for "
        "8 (layouts that print the annex label or line).",
    )
    reviewed: dt.date | None = Field(
        None,
        description="Date of the last review; with approval.date it decides when the next "
        "review is due.",
    )
    signatures: Signatures | None = Field(
        None,
        description="Poolte allkirjad: employer and employee, the approver alone, a list of "
        "signers, or no names at all (unnamed); leave out where the document has none.",
    )

    def all_tasks(self) -> list[Task]:
        """Return the tasks in document order, those of groups included."""
        return [
            task
            for item in self.tasks
            for task in (item.tasks if isinstance(item, TaskGroup) else [item])
        ]


class Unit(Model):
    """A structural unit: osakond, talitus, tiim …, possibly with sub-units."""

    name: Text = Field(description="Name as the documents write it.")
    full_name: Text | None = Field(
        None,
        description="The unit's name in full as a document's general part prints it, where "
        "it is not the names from the department down joined ('tehnikaosakonna sõidukite "
        "talitus' for 'Tehnikaosakond, sõidukite talitus').",
    )
    genitive: Text | None = Field(
        None,
        description="The name in the genitive, where a layout's banner prints it so "
        "('{units_genitive}': 'Finantsosakonna' over 'PEASPETSIALISTI AMETIJUHEND').",
    )
    kind: Text | None = Field(None, description="osakond, talitus, tiim …")
    units: dict[Slug, Unit] = Field(default_factory=dict, description="Sub-units by id.")


class Organization(Model):
    """The file data/organization.yaml."""

    agency: Text = Field(description="Name of the agency.")
    approval_authority: Text | None = Field(
        None,
        description="Who approves job descriptions, in the genitive "
        "(e.g. 'Sotsiaalkindlustusameti peadirektori').",
    )
    units: dict[Slug, Unit] = Field(min_length=1, description="Top-level units by id.")


class Competency(Model):
    """A competency in the library: a name and its behavioural indicators."""

    name: Text = Field(description="Name of the competency, e.g. 'Empaatiavõime'.")
    indicators: TextList = Field(
        min_length=1, description="Behavioural indicators, one sentence (or a few) each."
    )
    variants: dict[Slug, list[Annotated[int, Field(ge=1)]]] = Field(
        default_factory=dict, description="Named subsets of the indicators, by number (1-based)."
    )

    @model_validator(mode="after")
    def _check(self) -> Competency:
        for name, numbers in self.variants.items():
            bad = [n for n in numbers if n > len(self.indicators)]
            if bad:
                raise ValueError(
                    msg(
                        "variant '{name}' names indicator {number}, but there are only {count}",
                        name=name,
                        number=bad[0],
                        count=len(self.indicators),
                    )
                )
        return self


class TextLibrary(Model):
    """A library of plain texts (rights, responsibilities …) by id."""

    entries: dict[Slug, Text]


class CompetencyLibrary(Model):
    """The competency library by id."""

    entries: dict[Slug, Competency]


@dataclass(frozen=True)
class KindName:
    """How messages name one entry of a library kind, and several."""

    one: Message
    many: Message


#: The names of the library kinds in messages and reports (the one table of them). A
#: message names a kind where it stands alone (the nominative, in Estonian).
KIND_NAMES = {
    "rights": KindName(msg("right"), msg("rights")),
    "responsibilities": KindName(msg("responsibility"), msg("responsibilities")),
    "work_tools": KindName(msg("work tools text"), msg("work tools")),
    "computer_skills": KindName(msg("computer skills text"), msg("computer skills")),
    "clauses": KindName(msg("clause"), msg("clauses")),
    "competencies": KindName(msg("competency"), msg("competencies")),
}

#: Library files in data/library/ and what each holds.
TEXT_LIBRARIES = ("rights", "responsibilities", "work_tools", "computer_skills", "clauses")
LIBRARY_FILES = (*TEXT_LIBRARIES, "competencies")

#: What each library file holds, for the JSON Schemas and the format reference.
LIBRARY_DESCRIPTIONS = {
    "rights": "Rights (ÕIGUSED) by id. Each text continues the lead-in 'Omab õigust:' / "
    "'Töötajal on õigus:'; the ';' between items and the final '.' are added when rendering.",
    "responsibilities": "Responsibilities (VASTUTUS) by id. Each text continues "
    "'Omab vastutust:' / 'Töötaja vastutab:'; punctuation is added when rendering.",
    "work_tools": "Work tools (TÖÖVAHENDID) by id: one paragraph each.",
    "computer_skills": "Computer skills (Arvutikasutamise oskus) by id: one paragraph each.",
    "clauses": "Standard clauses of the section AMETIJUHENDI MUUTMINE by id.",
    "competencies": "Competencies by id: a name, behavioural indicators and optional "
    "named variants (subsets of the indicators).",
}
