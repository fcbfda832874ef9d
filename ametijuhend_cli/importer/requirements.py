"""Read the requirements section: the fields, the language levels and the competencies."""

from __future__ import annotations

import re
from collections import Counter

from ametijuhend_cli.importer.body import RawCompetency, RawRequirements, breaks, entries, sentence
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.layout import ParseError, Section
from ametijuhend_cli.importer.lexicon import Lexicon, norm
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Requirements
from ametijuhend_cli.sources.wording import fill

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


def parse_requirements(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, names: set[str]
) -> RawRequirements:
    """Return the requirements; ``names`` are the library's competency names (folded)."""
    labels = lexicon.requirements
    values: dict[str, list[str]] = {}
    core: list[Item] = []
    additional: list[Item] = []
    notes: list[str] = []
    state: str | None = None
    for item in section.items:
        if _subheading(item, labels["core_competencies"]):
            state = "core"
            continue
        if _subheading(item, labels["competencies"]):
            state = "additional"
            continue
        if state not in ("core", "additional"):
            label = next(
                (
                    (key, rest)
                    for key in _FIELDS
                    if (rest := lexicon.starts_with(item.text, labels[key], bare=True)) is not None
                ),
                None,
            )
            if label is not None and label[0] not in values:
                state = label[0]
                values[state] = [label[1]] if label[1] else []
                continue
        if state is None:
            notes.append(
                f"ignored {excerpt(item.text)} before '{lexicon.wording.requirements['education']}'"
            )
        elif state == "core":
            core.append(item)
        elif state == "additional":
            additional.append(item)
        else:
            values[state].append(item.text)
    for key in _FIELDS:
        if not values.get(key):
            raise ParseError(
                section.title,
                f"no '{lexicon.wording.requirements[key]}' found",
                section.start,
                "the requirements start with the fields "
                + ", ".join(lexicon.wording.requirements[k] for k in _FIELDS),
            )
    if not core:
        raise ParseError(
            section.title,
            f"no competencies under '{lexicon.wording.requirements['core_competencies']}'",
            section.start,
        )
    text = {key: joiner.join(lines) for key, lines in values.items()}
    languages, style, found = parse_languages(text["languages"], lexicon, section)
    notes += found
    competencies, knowledge = _additional(additional, document, joiner)
    return RawRequirements(
        text,
        languages,
        style,
        _core(core, document, joiner, names, section),
        competencies,
        knowledge,
        notes,
    )


def _core(
    items: list[Item], document: Document, joiner: Joiner, names: set[str], section: Section
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
                f"expected the name of a competency and a colon, found {excerpt(item.text)}",
                item,
            )
        indicators = out[-1][2]
        new = item.bullet or not document.lines or not indicators
        if new or (document.detached and breaks(indicators[-1][-1], item.text)):
            indicators.append([item.text])
        else:
            indicators[-1].append(item.text)
    result = []
    for item, name, indicators in out:
        if not indicators:
            raise ParseError(
                section.title, f"the competency {excerpt(name)} has no description", item
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
) -> tuple[list[dict[str, object]], str, list[str]]:
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
    notes: list[str] = []
    rest = text
    for start, end, _, _ in found:  # blank out what was read, keeping the offsets
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for sentence_match in re.finditer(r"\S.*?(?:[.;](?=\s|$)|$)", rest):
        part = " ".join(sentence_match.group().split())
        if not re.search(r"\w", part):
            continue
        loose = _loose_language(part, lexicon)
        if loose is None:
            raise ParseError(
                section.title,
                f"cannot read the language requirement {excerpt(part)}",
                section.start,
                "write it like '"
                + fill(
                    lexicon.wording.languages["valdab"],
                    language="eesti",
                    Language="Eesti",
                    level="C1",
                )
                + "'",
            )
        notes.append(f"language requirement '{part}' reworded to the standard phrasing")
        found.append((sentence_match.start(), 0, loose, None))
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


def _loose_language(part: str, lexicon: Lexicon) -> dict[str, object] | None:
    """Return the language requirement of a sentence worded otherwise than the wording's."""
    level = _LEVEL.search(part)
    if level is None:
        return None
    words = re.findall(r"[^\W\d_]+", part)
    folded = [w.casefold() for w in words]
    words_cf = lexicon.importer
    if any(w.startswith(words_cf.foreign_language.casefold()) for w in folded):
        entry: dict[str, object] = {"any_foreign": True}
        m = re.search(
            re.escape(words_cf.preferably) + r"\s+([^()]+?)\s+" + re.escape(words_cf.language),
            part,
            re.I,
        )
        if m:
            entry["preferably"] = _names(m.group(1), lexicon)
        entry["level"] = level.group(1)
        return entry
    stem = words_cf.language.casefold()
    for i, word in enumerate(folded[1:], 1):
        if word.startswith(stem) and not folded[i - 1].startswith(stem):
            return {"language": folded[i - 1], "level": level.group(1)}
    return None
