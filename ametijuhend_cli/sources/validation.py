"""Validate loaded YAML against the schemas and word pydantic's errors for people."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ametijuhend_cli.errors import Message, Problem, msg, verbatim
from ametijuhend_cli.messages import close_matches, did_you_mean, either, excerpt
from ametijuhend_cli.sources.yamlsource import Loc, SourceMap, format_loc

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": msg("text"),
    "list_type": msg("a list"),
    "dict_type": msg("a mapping (key: value lines)"),
    "model_type": msg("a mapping (key: value lines)"),
    "model_attributes_type": msg("a mapping (key: value lines)"),
    "int_type": msg("a whole number"),
    "int_parsing": msg("a whole number"),
    "int_from_float": msg("a whole number"),
    "bool_type": msg("true or false"),
    "bool_parsing": msg("true or false"),
    "date_type": msg("a date (YYYY-MM-DD)"),
    "date_parsing": msg("a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": msg("a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": msg("a date (YYYY-MM-DD) without a time"),
}


def describe(value: Any) -> Message:
    """Return a short description of a YAML value for an error message."""
    if value is None:
        return msg("nothing (an empty value)")
    if isinstance(value, bool):
        return msg("{value} (a yes/no value)", value=str(value).lower())
    if isinstance(value, dict):
        if not value:
            return msg("a mapping")
        keys = ", ".join(excerpt(str(k), 20)[1:-1] for k in list(value)[:4])
        return msg("a mapping with keys {keys}", keys=keys)
    if isinstance(value, list):
        if len(value) == 1:
            return msg("a list of {count} item", count=1)
        return msg("a list of {count} items", count=len(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return msg("the date {date}", date=value.isoformat())
    if isinstance(value, str):
        return verbatim(excerpt(value))
    return verbatim(excerpt(str(value))[1:-1])


def _unwrap(annotation: Any) -> list[Any]:
    """Return the model classes and containers an annotation may hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Return the model class that validates the value at ``loc``, if known."""
    current: Any = model
    for part in loc:
        candidates = _unwrap(current)
        nxt = None
        for cand in candidates:
            origin = typing.get_origin(cand)
            # on Python 3.10 a list[X] is an instance of type too: check the origin first
            plain = origin is None and isinstance(cand, type)
            if plain and issubclass(cand, BaseModel) and isinstance(part, str):
                field = cand.model_fields.get(part)
                if field is not None:
                    nxt = field.annotation
                    break
            elif origin is list and isinstance(part, int):
                nxt = typing.get_args(cand)[0]
                break
            elif origin is dict and isinstance(part, str):
                nxt = typing.get_args(cand)[1]
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if (
            typing.get_origin(cand) is None
            and isinstance(cand, type)
            and issubclass(cand, BaseModel)
        ):
            return cand
    return None


def _problem(error: Any, smap: SourceMap, model: type[BaseModel], prefix: int) -> Problem:
    full_loc: Loc = tuple(error["loc"])
    loc = full_loc[prefix:]
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = _model_at(model, full_loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = msg("known fields here: {names}", names=", ".join(allowed))
        return smap.problem(loc, msg("unknown field {key}", key=excerpt(key)), hint=hint, key=True)
    if kind == "literal_error":
        return smap.problem(
            loc,
            msg(
                "expected {expected}, got {found}",
                expected=either([repr(c) for c in _literal_choices(ctx)])
                if _literal_choices(ctx)
                else verbatim(str(ctx.get("expected"))),
                found=describe(value),
            ),
            hint=_literal_hint(value, ctx),
        )
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length", ctx.get("max_length"))
        return smap.problem(loc, _length_message(kind, limit, describe(value)))
    if kind in _TYPE_NAMES:
        expected = _TYPE_NAMES[kind]
        hint = _type_hint(kind, value)
        target = _model_at(model, full_loc) if kind.startswith(("model", "dict")) else None
        if target is not None:
            form = getattr(target, "expected_form", None)
            required = [n for n, f in target.model_fields.items() if f.is_required()]
            if form is not None:  # e.g. a reference: 'kaugtoo' or 'text: …'
                expected, hint = form, None
            elif not isinstance(value, (list, dict)) and required:
                hint = msg(
                    "write its fields on the lines below, indented: {names}",
                    names=", ".join(required),
                )
        return smap.problem(
            loc,
            msg("expected {expected}, got {found}", expected=expected, found=describe(value)),
            hint=hint,
        )
    if kind == "greater_than_equal":
        return smap.problem(
            loc,
            msg(
                "expected a number of at least {limit}, got {found}",
                limit=str(ctx.get("ge")),
                found=describe(value),
            ),
        )
    if kind == "less_than_equal":
        return smap.problem(
            loc,
            msg(
                "expected a number of at most {limit}, got {found}",
                limit=str(ctx.get("le")),
                found=describe(value),
            ),
        )
    if kind == "value_error":
        return smap.problem(loc, error_message(error))
    return smap.problem(
        loc, msg("{error}, got {found}", error=verbatim(error["msg"]), found=describe(value))
    )


def error_message(error: Any) -> Message:
    """Return the message of a validator's error: the Message it raised, else its text."""
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, ValueError) and raised.args and isinstance(raised.args[0], Message):
        return raised.args[0]
    return verbatim(str(raised if raised is not None else error["msg"]))


def _length_message(kind: str, limit: Any, found: Message) -> Message:
    """Return the message of a list that is too short or too long."""
    if kind == "too_short":
        if limit == 1:
            return msg("expected at least {limit} item, got {found}", limit=1, found=found)
        return msg("expected at least {limit} items, got {found}", limit=str(limit), found=found)
    if limit == 1:
        return msg("expected at most {limit} item, got {found}", limit=1, found=found)
    return msg("expected at most {limit} items, got {found}", limit=str(limit), found=found)


def _type_hint(kind: str, value: Any) -> Message | None:
    """Return how to fix a value of the wrong type, where the usual cause is known."""
    if kind == "list_type" and value is not None:
        return msg("start each item on its own line with '- '")
    mapping = kind in ("dict_type", "model_type", "model_attributes_type")
    if mapping and isinstance(value, list) and value:
        return msg("the fields here are 'key: value' lines; remove the '- ' in front of them")
    if kind != "string_type":
        return msg("for example 2024-02-12") if kind.startswith("date") else None
    if isinstance(value, dict) and len(value) == 1:
        return msg("a text containing ': ' must be in quotes: '…'")
    if isinstance(value, (list, dict)):
        return msg(
            "write the text on one line after the key, or use '>-' for a long text; "
            "a text starting with '[' or '{{' must be in quotes"
        )
    if isinstance(value, (bool, dt.date)):
        return msg("YAML reads this as a yes/no value or a date; put the text in quotes")
    if value is None:
        return msg("write the text after the ':'")
    return None


def _literal_hint(value: Any, ctx: dict[str, Any]) -> Message | None:
    """Return a 'did you mean' for a value that is not one of the allowed words."""
    choices = _literal_choices(ctx)
    same = [c for c in choices if c.lower() == str(value).strip().lower()]
    if same:
        return msg("did you mean {names}?", names=repr(same[0]))
    return did_you_mean(str(value), choices)


def _literal_choices(ctx: dict[str, Any]) -> list[str]:
    return [
        part.strip(" '\"")
        for part in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
        if part.strip()
    ]


def _is_tag(part: str | int) -> bool:
    """Return whether ``part`` is a union tag (``<text>``), not a field of the data."""
    return isinstance(part, str) and part.startswith("<") and part.endswith(">")


def validate(
    model: type[M],
    data: Any,
    smap: SourceMap,
    *,
    wrap: str | None = None,
    required: dict[Loc, list[str]] | None = None,
    because: Callable[[list[str]], Message | None] | None = None,
) -> tuple[M | None, list[Problem]]:
    """Return the validated model (or None) and the problems found in ``data``.

    ``required`` names fields that are missing beyond the schema's own (a
    layout's policy), by the mapping they belong in; they are reported with the
    schema's missing fields, and ``because`` says why for the hint.
    """
    if wrap is not None:
        data = {wrap: data}
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        return None, _problems(exc, model, data, smap, wrap, required or {}, because)
    if required:
        problems = []
        for parent, names in required.items():
            problems += _missing(parent, _in_order(model, parent, names), [], smap, because)
        return None, problems
    return validated, []


def _in_order(model: type[BaseModel], parent: Loc, names: list[str]) -> list[str]:
    """Return ``names`` in the order of the fields of the mapping at ``parent``."""
    owner = _model_at(model, parent)
    if owner is None:
        return names
    order = list(owner.model_fields)
    return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


def _as_written(data: Any, loc: Loc) -> Loc:
    """Return ``loc`` up to a text given where a list may stand (``purpose: …`` as one item)."""
    for i, part in enumerate(loc):
        if isinstance(part, int) and not isinstance(data, (list, dict)):
            return loc[:i]
        listed = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if listed or (isinstance(data, dict) and part in data):
            data = data[part]
        else:
            break
    return loc


def _problems(
    exc: ValidationError,
    model: type[BaseModel],
    data: Any,
    smap: SourceMap,
    wrap: str | None,
    required: dict[Loc, list[str]],
    because: Callable[[list[str]], Message | None] | None,
) -> list[Problem]:
    """Return the problems of a failed validation, with the ``required`` fields missing."""
    prefix = 1 if wrap is not None else 0
    problems = []
    missing: dict[Loc, list[str]] = {}
    unknown: dict[Loc, list[str]] = {}
    for error in exc.errors(include_url=False):
        # tagged unions put the chosen tag into the location; the data has no such key
        loc = _as_written(data, tuple(part for part in error["loc"] if not _is_tag(part)))
        error["loc"] = loc
        # dict keys that fail validation are reported with a '[key]' marker
        if "[key]" in loc:
            i = loc.index("[key]")
            key_loc = loc[prefix:i]
            if error["type"] == "literal_error":  # a key that must be one of a few words
                choices = _literal_choices(error.get("ctx") or {})
                hint = did_you_mean(str(error.get("input")), choices) or msg(
                    "known keys here: {names}", names=", ".join(choices)
                )
                message = msg("unknown key {key}", key=excerpt(str(error.get("input"))))
                problems.append(smap.problem(key_loc, message, hint=hint, key=True))
                continue
            problems.append(smap.problem(key_loc, error_message(error), key=True))
            continue
        if error["type"] == "missing":
            missing.setdefault(loc[prefix:-1], []).append(str(loc[-1]))
            continue
        if error["type"] == "extra_forbidden":
            unknown.setdefault(loc[prefix:-1], []).append(str(loc[-1]))
        problems.append(_problem(error, smap, model, prefix))
    for parent, names in required.items():
        known = missing.setdefault(parent, [])
        # in the order of the fields, as the schema's own are
        missing[parent] = _in_order(model, parent, known + [n for n in names if n not in known])
    for parent, names in missing.items():
        problems += _missing(parent, names, unknown.get(parent, []), smap, because)
    return problems


def _missing(
    parent: Loc,
    names: list[str],
    unknown: list[str],
    smap: SourceMap,
    because: Callable[[list[str]], Message | None] | None = None,
) -> list[Problem]:
    """Return the problems for required fields missing in the mapping at ``parent``."""
    # a misspelt key is reported as unknown, with a 'did you mean'; the field
    # it was meant to be is not reported missing as well
    names = [n for n in names if not any(close_matches(key, [n]) for key in unknown)]
    why = because(names) if because is not None and names else None
    if len(names) == 1:
        problem = smap.problem(
            parent,
            msg("required field '{name}' is missing", name=names[0]),
            hint=_why(msg("add a line '{name}: …'", name=names[0]), why),
        )
        return [dataclasses.replace(problem, field=format_loc(parent + (names[0],)))]
    if names:
        return [
            smap.problem(
                parent,
                msg("required fields are missing: {names}", names=", ".join(names)),
                hint=_why(msg("add a line 'field: …' for each of them"), why),
            )
        ]
    return []


def _why(hint: Message, why: Message | None) -> Message:
    """Return ``hint`` with the reason a field is required, if there is one."""
    return msg("{hint}; {why}", hint=hint, why=why) if why is not None else hint
