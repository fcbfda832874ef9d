"""The sandbox every project template runs in: no Python reached, bounded time and size.

A project's templates are untrusted (a pull request may change them), so they
run in Jinja's immutable sandbox: no attribute that starts with "_", no
module, no file, no environment variable, no change to the data. The sandbox
alone does not stop a template that loops 10^10 times or builds a string of
gigabytes, so each render has a budget: CPU time, loop steps and the bytes of
the values it makes, and no single operation (``'x' * n``, ``center(n)``,
``'{:>n}'.format``, ``10 ** n`` …) may make a value larger than a bound,
checked before the value is made. Going over a bound is a TemplateLimitError,
which the renderers turn into a problem at the template's line.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
import string
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.messages import display_path, excerpt

#: CPU seconds one render may take (a job description takes milliseconds); a render
#: over a whole project (the report) gets them once per REPORT_POSITIONS positions.
SECONDS = 2.0
REPORT_POSITIONS = 2000
#: The longest string (characters) or list (items) one operation may make.
MAX_CHARS = 16_000_000
MAX_ITEMS = 1_000_000
#: The bytes of all values one render makes, garbage included: what bounds its memory.
MAX_BYTES = 256 * 1024 * 1024
#: The loop steps and calls of one render (each may add a few values to an output buffer).
MAX_STEPS = 5_000_000
#: The widest field of a format ('{:>20}', '%-20s').
MAX_WIDTH = 1000
#: A power whose result would have more bits than this is refused before it is computed.
MAX_BITS = 100_000
#: How often (in steps) the clock is read.
_CLOCK_EVERY = 256
#: What Jinja passes a filter before its value (pass_environment, pass_context …).
_PASSED = (jinja2.Environment, jinja2.runtime.Context, nodes.EvalContext)
#: Values read from an attribute that need no wrapping (str.format needs it).
_PLAIN = frozenset({str, int, float, bool, list, tuple, dict, type(None)})
#: Answers of is_safe_attribute remembered (by type and name).
_SAFE_REMEMBERED = 4096
#: The output of a template is taken in pieces of this many parts (each piece one step).
_PIECE = 1024

#: Filters that make output depend on something besides the sources (random, lipsum).
_IMPURE = ("random",)
#: Attributes that read the clock: the output is a pure function of the sources.
_CLOCKS = frozenset({"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"})


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """A template went over one of the bounds of a render; ``reason`` says which (a catalog
    message, shown in the language of the moment it is printed)."""

    def __init__(self, reason: Message) -> None:
        super().__init__(str(reason))
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (TemplateLimitError, (self.reason,))


class _Budget:
    """What one render has spent: steps, bytes made, and when it started."""

    def __init__(self, scale: float = 1.0) -> None:
        self.seconds = SECONDS * scale
        self.max_steps = int(MAX_STEPS * scale)
        self.started = time.process_time()
        self.steps = 0
        self.bytes = 0
        #: the step count at which the limits are checked next (the clock costs a system call)
        self.next_check = _CLOCK_EVERY

    def step(self) -> None:
        self.steps += 1
        if self.steps >= self.next_check:
            self.check()

    def check(self) -> None:
        """Raise TemplateLimitError when the steps or the time are spent."""
        self.next_check = self.steps + _CLOCK_EVERY
        if self.steps > self.max_steps:
            raise TemplateLimitError(
                msg(
                    "the template took more than {steps} loop steps and calls",
                    steps=f"{self.max_steps:,}",
                )
            )
        if time.process_time() - self.started > self.seconds:
            raise TemplateLimitError(
                msg("the template ran longer than {seconds} seconds", seconds=f"{self.seconds:g}")
            )

    def made(self, value: Any) -> Any:
        """Return ``value``, counted against the bytes one render may make."""
        if isinstance(value, (str, bytes, list, tuple, dict)):
            size = len(value)
            if size > (MAX_CHARS if isinstance(value, (str, bytes)) else MAX_ITEMS):
                raise _too_large(size, isinstance(value, (str, bytes)))
            self.bytes += sys.getsizeof(value)
            if self.bytes > MAX_BYTES:
                raise TemplateLimitError(
                    msg(
                        "the template made more than {size} MB of text and lists",
                        size=MAX_BYTES >> 20,
                    )
                )
        return value


def _too_large(size: int, text: bool = True) -> TemplateLimitError:
    if text:
        return TemplateLimitError(
            msg(
                "the template would make a text of {size} characters (at most {limit})",
                size=f"{size:,}",
                limit=f"{MAX_CHARS:,}",
            )
        )
    return TemplateLimitError(
        msg(
            "the template would make a list of {size} items (at most {limit})",
            size=f"{size:,}",
            limit=f"{MAX_ITEMS:,}",
        )
    )


def _length(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else 0


def _check_length(size: int, text: bool) -> None:
    if size > (MAX_CHARS if text else MAX_ITEMS):
        raise _too_large(size, text)


def _check_repeat(value: Any, times: Any) -> None:
    """Refuse ``value * times`` (a sequence repeated) when the result would be too long."""
    if isinstance(times, int) and isinstance(value, (str, bytes, list, tuple)):
        _check_length(len(value) * max(times, 0), isinstance(value, (str, bytes)))


def _check_ints(left: Any, right: Any, op: str) -> None:
    """Refuse arithmetic on whole numbers whose result would be huge."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return
    if op == "**":
        bits = abs(left).bit_length() * max(right, 0)
    else:
        bits = abs(left).bit_length() + abs(right).bit_length()
    if bits > MAX_BITS:
        raise TemplateLimitError(
            msg("the template would compute a number of more than {bits} bits", bits=f"{bits:,}")
        )


#: A printf field: flags, width and precision (a '*' takes them from the arguments).
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]?")


def check_printf(template: str) -> None:
    """Refuse a '%' format whose field is wider than MAX_WIDTH (or given by '*')."""
    for match in _PRINTF.finditer(template):
        for part in match.groups():
            if part == "*" or (part and int(part) > MAX_WIDTH):
                raise TemplateLimitError(
                    msg(
                        "the format {format} is wider than {width} characters",
                        format=excerpt(match.group(0)),
                        width=MAX_WIDTH,
                    )
                )


#: The width and precision of a format spec ('>20', '08.3f').
_SPEC = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[a-zA-Z%]?$")


def check_format_spec(spec: str) -> None:
    """Refuse a format spec that is not plain or is wider than MAX_WIDTH."""
    match = _SPEC.match(spec)
    if match is None or "{" in spec:
        raise TemplateLimitError(msg("the format spec {spec} is not allowed", spec=excerpt(spec)))
    for part in match.groups():
        if part and (len(part) > 6 or int(part) > MAX_WIDTH):
            raise TemplateLimitError(
                msg(
                    "the format spec {spec} is wider than {width} characters",
                    spec=excerpt(spec),
                    width=MAX_WIDTH,
                )
            )


def check_format(template: str) -> None:
    """Refuse a str.format template with a field too wide or one nested in another."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format says what is wrong with it
    for _, name, spec, _ in fields:
        if name is not None and spec:
            check_format_spec(spec)


def _check_binop(op: str, left: Any, right: Any) -> None:
    if op == "*":
        _check_repeat(left, right)
        _check_repeat(right, left)
        _check_ints(left, right, op)
    elif op == "**":
        _check_ints(left, right, op)
    elif op == "+" and isinstance(left, (str, bytes, list, tuple)):
        _check_length(_length(left) + _length(right), isinstance(left, (str, bytes)))
    elif op == "%" and isinstance(left, str):
        check_printf(left)


def _method(obj: Any) -> tuple[Any, str]:
    """Return the owner and the name of a bound method (perhaps wrapped by the sandbox)."""
    inner = getattr(obj, "__wrapped__", obj)
    return getattr(inner, "__self__", None), getattr(inner, "__name__", "")


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _at_most(value: Any) -> Any:
    """Return ``value``, a list made of it when it is an iterator; refuse too many items."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return value
    if not isinstance(value, Sized):
        value = list(itertools.islice(value, MAX_ITEMS + 1))
    _check_length(len(value), False)
    return value


def _joined(items: Any, separator: Any) -> int:
    """Return the length of ``items`` joined by ``separator``."""
    return sum(len(str(i)) for i in items) + _length(separator) * max(len(items) - 1, 0)


#: The characters str.split() without a separator splits at (the common ones).
_SPACES = " \t\n\r\x0b\x0c"


def _pieces(text: str | bytes, separator: Any) -> int:
    """Return at most how many pieces splitting ``text`` at ``separator`` makes."""
    if len(text) <= MAX_ITEMS:
        return 0
    if isinstance(text, str) and isinstance(separator, str) and separator:
        return text.count(separator) + 1
    if isinstance(text, str):
        return sum(text.count(c) for c in _SPACES) + 1
    return len(text)


def _str_call(text: str | bytes, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return the arguments of a call of a string method, refused when its result would be
    too long (an iterator joined is made a list first, of a bounded length)."""
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_length(_int(first), True)
    elif name == "expandtabs":
        _check_length(len(text) * max(_int(first) if args else 8, 1), True)
    elif name == "replace" and len(args) >= 2:
        count = _int(args[2]) if len(args) > 2 and _int(args[2]) >= 0 else len(text) + 1
        _check_length(len(text) + count * _length(args[1]), True)
    elif name == "join" and args:
        items = _at_most(first)
        _check_length(_joined(items, text), True)
        return (items, *args[1:])
    elif name in ("split", "rsplit", "splitlines"):
        _check_length(_pieces(text, first if name != "splitlines" else "\n"), False)
    elif name in ("format", "format_map") and isinstance(text, str):
        check_format(text)
    return args


#: Filters that make a list (or a text) of all the items of their value.
_WHOLE = frozenset({"list", "sort", "unique", "reverse", "dictsort", "groupby", "join", "sum"})


def _filter_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Return the arguments of a filter, refused when its result would be too long."""
    value = args[0] if args else None
    rest = list(args[1:]) + list(kwargs.values())
    first = rest[0] if rest else None
    if name in _WHOLE and args:
        value = _at_most(value)
        args = (value, *args[1:])
    if name == "center":
        _check_length(_int(first), True)
    elif name == "indent" and isinstance(value, str):
        width = len(first) if isinstance(first, str) else _int(first)
        _check_length(len(value) + (value.count("\n") + 1) * width, True)
    elif name == "format" and isinstance(value, str):
        check_printf(value)
    elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
        count = _int(rest[2]) if len(rest) > 2 and _int(rest[2]) > 0 else len(value) + 1
        _check_length(len(value) + count * _length(rest[1]), True)
    elif name in ("batch", "slice"):
        _check_length(_int(first), False)
    elif name == "join" and isinstance(value, Sized) and not isinstance(value, dict):
        _check_length(_joined(value, first if isinstance(first, str) else ""), True)
    elif name == "sum" and isinstance(value, (list, tuple)):
        total = sum(_length(i) for i in value) + _length(kwargs.get("start"))
        _check_length(total, False)
    return args


class _Generator(CodeGenerator):
    """Compile templates so that every loop step and every '~' goes through the budget."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in list(node.find_all(nodes.For)):
            loop.iter = nodes.Filter(loop.iter, "_bounded", [], [], None, None, lineno=loop.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_bounded((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class ProjectEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed environment of project templates, with the bounds of a render."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = _Budget()
        for name in _IMPURE:
            self.filters.pop(name, None)
        self.globals.pop("lipsum", None)
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters["_bounded"] = self._bounded
        self._safe: dict[tuple[type, str], bool] = {}

    def start(self, scale: float = 1.0) -> None:
        """Start the budget of a new render (``scale`` times the time and steps of one)."""
        self.budget = _Budget(scale)

    def _bounded(self, iterable: Any) -> Iterable[Any]:
        """Return ``iterable`` with each step of the loop over it counted: a list or a range
        at once (its length), anything else as the loop takes it."""
        budget = self.budget
        try:
            size = len(iterable)
        except TypeError:
            return self._counted(iterable)
        budget.steps += size
        if budget.steps >= budget.next_check:
            budget.check()
        return iterable  # type: ignore[no-any-return]

    def _counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        budget = self.budget
        for item in iterable:
            budget.step()
            yield item

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.budget.step()
            # the first argument may be the environment or a context (pass_context …)
            if args and isinstance(args[0], _PASSED):
                args = (args[0], *_filter_call(name, args[1:], kwargs))
            else:
                args = _filter_call(name, args, kwargs)
            return self.budget.made(func(*args, **kwargs))

        return bounded

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Return False for what the immutable sandbox refuses, and for the clock.

        The answer depends only on the object's type and the attribute's name,
        so it is remembered: a document reads the same few attributes thousands
        of times, and the sandbox's checks would double the time of a render.
        """
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = attr not in _CLOCKS and super().is_safe_attribute(obj, attr, value)
            if len(self._safe) >= _SAFE_REMEMBERED:
                self._safe.clear()
            self._safe[key] = safe
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return ``obj.attribute`` as the sandbox allows it (a plain value: at once)."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # obj[attribute], or undefined
        if type(value) in _PLAIN and self._safe.get((type(obj), attribute)):
            return value
        return super().getattr(obj, attribute)  # asks is_safe_attribute, which remembers

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Return ``left operator right``, refused when the result would be too large."""
        self.budget.step()
        _check_binop(operator, left, right)
        return self.budget.made(self.binop_table[operator](left, right))

    def call(
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        """Return the result of a call from a template, counted and bounded."""
        __self.budget.step()
        owner, name = _method(__obj)
        if isinstance(owner, (str, bytes)):
            args = _str_call(owner, name, args)
        return __self.budget.made(super().call(__context, __obj, *args, **kwargs))

    def join_bounded(self, parts: Iterable[Any]) -> str:
        """Return the parts of a '~' joined as text, refused when too long."""
        texts = [str(p) for p in parts]
        _check_length(sum(map(len, texts)), True)
        return str(self.budget.made("".join(texts)))

    def concat(self, parts: Iterable[str]) -> str:
        """Return the output of a template or block, refused when it grows too long."""
        kept: list[str] = []
        total = 0
        pieces = iter(parts)
        while piece := list(itertools.islice(pieces, _PIECE)):
            total += sum(map(len, piece))
            if total > MAX_CHARS:
                raise _too_large(total)
            kept += piece
            self.budget.step()
        return str(self.budget.made("".join(kept)))


#: What a template may raise when it fails like a program (1/0, a missing key, a bad format).
RENDER_ERRORS = (
    jinja2.TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    MemoryError,
)


def render(template: jinja2.Template, *, scale: float = 1.0, **values: Any) -> str:
    """Return ``template`` rendered with ``values`` within the bounds of one render
    (``scale`` times the time and steps of one, for a render over a whole project)."""
    environment = template.environment
    if isinstance(environment, ProjectEnvironment):
        environment.start(scale)
    with _address_space_bound(MAX_BYTES + _HEADROOM):
        return template.render(**values)


#: What a render may take beyond the values it makes (Jinja's own frames, buffers).
_HEADROOM = 128 * 1024 * 1024


@contextlib.contextmanager
def _address_space_bound(extra: int) -> Iterator[None]:
    """Keep the process within its present address space plus ``extra`` bytes (Linux).

    The checks above refuse every operation known to make a large value before
    it is made; this is the backstop for one not known: the allocation fails
    with a MemoryError (a located problem) instead of the machine running out
    of memory. Where the limit cannot be read or set, nothing is changed.
    """
    try:
        import resource

        with open("/proc/self/statm", "rb") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    bound = used + extra
    if hard != resource.RLIM_INFINITY:
        bound = min(bound, hard)
    if soft != resource.RLIM_INFINITY and soft <= bound:
        yield  # already as tight
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def located(exc: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """Return the template file and line ``exc`` (raised rendering ``template``) came from."""
    filename = template.filename or str(template.name)
    # Jinja rewrites tracebacks so that template frames carry template lines; an
    # included template or a macro of another file counts as the line that called it
    lines = [
        (f.filename, f.lineno)
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename == filename or not f.filename.endswith((".py", ">"))
    ]
    where, line = lines[-1] if lines else (filename, None)
    return display_path(Path(where)), line
