"""The template sandbox: what a template may read, call and build.

Templates and texts (campaign bodies, statements) arrive with a shared folder: they
are someone else's code, run on the user's machine. Jinja's sandbox stops access to
Python's internals (``__class__``, ``__globals__``); this module closes the rest:

- **Data only.** Templates see plain values (``templating.plain``): texts, numbers,
  None, tuples and read-only mappings (``Record``, ``MappingProxyType``). No model,
  path or other object with methods ever reaches a template.
- **Calls from a short list.** A template may call its own macros, blocks and loop
  helpers, and the methods in TEXT_METHODS, MAPPING_METHODS and LOOP_METHODS; any
  other method is refused where it is looked up. Filters: sandbox_filters.FILTERS.
- **Bounded growth.** No operation may add more than MAX_REPEAT characters to a
  text at once (``*``, ``%``, ``ljust``, ``center``, ``replace``, a format width ...),
  checked before the text is built, nor make a text, or a whole letter, longer than
  MAX_TEXT; numbers stay under MAX_POWER_BITS. Lists and mappings are never turned
  into text (their printed form can be exponentially larger than they are).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro, Undefined, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup, soft_str

# What one operation may build: bigger results are a template trying to exhaust memory.
MAX_POWER_BITS = 10_000  # 2 ** 10_000 has over 3,000 digits (Python prints up to 4,300)
MAX_REPEAT = 1_000_000  # characters or items one operation may add: 'text' * n, ljust(n) ...
MAX_TEXT = 20_000_000  # characters in any text a template makes, the letter itself included

# Methods a template may call, by the kind of value they belong to.
TEXT_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle",
    "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "rfind",
    "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
    "swapcase", "title", "upper", "striptags", "unescape",  # the last two: Markup's
    # These can make a text longer: each call is checked first (see _bounded_arguments).
    "center", "expandtabs", "format", "join", "ljust", "replace", "rjust", "zfill",
})
MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
LOOP_METHODS = frozenset({"changed", "cycle"})
# Callables a template makes itself: its macros (and caller()), blocks, recursive loops.
TEMPLATE_CALLABLES = (Macro, BlockReference, LoopContext, Undefined)


class Record(Mapping[str, Any]):
    """A read-only record of fields, read in templates as ``recipient.name``.

    Its class is named after what it holds (Recipient, Sender ...; see templating.plain),
    so messages say "recipient has no field 'nmae'". ``text`` is what it prints as,
    if it prints at all (a signatory entry prints as its text).
    """

    __slots__ = ("_fields", "_text")
    _fields: dict[str, Any]
    _text: str | None

    def __init__(self, fields: Mapping[str, Any], text: str | None = None) -> None:
        object.__setattr__(self, "_fields", dict(fields))
        object.__setattr__(self, "_text", text)

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __str__(self) -> str:
        if self._text is None:
            raise SecurityError(f"cannot print {type(self).__name__.lower()}; print one of its "
                                "fields")
        return self._text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._fields!r})"


@functools.cache
def record_type(name: str) -> type[Record]:
    """Return the Record class of a kind of value, named after it."""
    return type(name, (Record,), {"__slots__": ()})


def may_call(owner: Any, name: str) -> bool:
    """Tell whether a template may call the method ``name`` of a value."""
    if isinstance(owner, str):
        return name in TEXT_METHODS
    if isinstance(owner, Mapping):
        return name in MAPPING_METHODS
    if isinstance(owner, LoopContext):
        return name in LOOP_METHODS
    return False


class Sandbox(SandboxedEnvironment):
    """The sandbox with the rules above; templating.make_environment gives it its filters."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_generator_class = _CodeGenerator
        self.globals.clear()  # not even range, dict, cycler, joiner, namespace or lipsum

    # --- reading ---

    def getattr(self, obj: Any, attribute: str) -> Any:  # noqa: D102
        if isinstance(obj, Record) and attribute in obj:  # a field before a method (keys ...)
            return obj[attribute]
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:  # noqa: D102
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not callable(value) or isinstance(value, TEMPLATE_CALLABLES) \
            or may_call(obj, attr)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:  # noqa: D102
        if attribute.startswith("_"):
            return super().unsafe_undefined(obj, attribute)
        return self.undefined(f"calling {type(obj).__name__}.{attribute}() is not allowed in "
                              "templates (see TEXT_METHODS in advocacy/sandbox.py)",
                              name=attribute, obj=obj, exc=SecurityError)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return str.format made safe and bounded; str.format_map is not allowed at all."""
        owner = getattr(value, "__self__", None)
        if not isinstance(owner, str) or getattr(value, "__name__", "") != "format":
            return None
        return _bounded_format_method(self, owner)

    # --- calling ---

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: D102
        if isinstance(__obj, TEMPLATE_CALLABLES) or getattr(__obj, "_sandbox_made", False):
            return __context.call(__obj, *args, **kwargs)
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if not may_call(owner, name):
            what = f"{type(owner).__name__}.{name}()" if owner is not None \
                else f"a {type(__obj).__name__}"
            raise SecurityError(f"calling {what} is not allowed in templates")
        if isinstance(owner, str):
            if name == "format":  # reached without wrap_str_format, e.g. through a filter
                return __context.call(_bounded_format_method(__self, owner), *args, **kwargs)
            args = _bounded_arguments(owner, name, args)
        return __context.call(__obj, *args, **kwargs)

    # --- building ---

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:  # noqa: D102
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and right > 0 and left.bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(f"{left} ** {right} is too large a number")
        if operator == "*":
            _check_multiplication(left, right)
        elif operator == "+" and isinstance(left, (str, list, tuple)) \
                and isinstance(right, (str, list, tuple)):
            check_total("joining two texts or lists", len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            check_percent(left, right)
        return super().call_binop(context, operator, left, right)

    def concat(self, parts: Iterable[str]) -> str:
        """Join what a template, macro or block writes, stopping at MAX_TEXT characters."""
        kept, total = [], 0
        for part in parts:
            total += len(part)
            if total > MAX_TEXT:
                raise SecurityError(f"the template writes more than {MAX_TEXT:,} characters")
            kept.append(part)
        return "".join(kept)

    def join_values(self, autoescape: bool, values: tuple[Any, ...]) -> str:
        """Join the operands of '~', as Jinja does, once their size is known to be sane."""
        check_total("joining texts with '~'", sum(text_length(v) for v in values))
        return markup_join(values) if autoescape else str_join(values)


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, with '~' going through Sandbox.join_values (Jinja cannot hook it)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_values(context.eval_ctx.autoescape, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


# --- Sizes ------------------------------------------------------------------------------------


def printable(value: Any) -> Any:
    """Return a value to print; refuse a list or mapping (Jinja's finalize)."""
    refuse_container(value, "print {}")
    return value


def refuse_container(value: Any, doing: str) -> None:
    """Refuse to turn a list or a mapping into text: its printed form has no bound."""
    if isinstance(value, Record) and value._text is not None:  # a signatory entry: its text
        return
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        kind = type(value).__name__.lower() if isinstance(value, Record) else \
            "a mapping" if isinstance(value, Mapping) else "a list"
        raise SecurityError(f"cannot {doing.format(kind)}; use one of its fields or items, "
                            "or loop over it with {% for %}")


def as_text(value: Any) -> str:
    """Return a value as text (Markup stays Markup); lists and mappings are refused."""
    refuse_container(value, "make text of {}")
    return soft_str(value)


def text_length(value: Any) -> int:
    """Return the length of a value as text; lists and mappings are refused."""
    refuse_container(value, "make text of {}")
    return len(value) if isinstance(value, str) else len(str(value))


def grow(what: str, before: int, after: int) -> None:
    """Refuse an operation that would add more than MAX_REPEAT characters, or pass MAX_TEXT."""
    if after - before > MAX_REPEAT:
        raise SecurityError(f"{what} would add {after - before:,} characters; the limit is "
                            f"{MAX_REPEAT:,}")
    check_total(what, after)


def check_total(what: str, size: int) -> None:
    """Refuse an operation whose result would hold more than MAX_TEXT characters or items."""
    if size > MAX_TEXT:
        raise SecurityError(f"{what} would make {size:,} characters or items; the limit is "
                            f"{MAX_TEXT:,}")


def _check_multiplication(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_POWER_BITS:
            raise SecurityError(f"the product of a {len(str(abs(left))):,}-digit and a "
                                f"{len(str(abs(right))):,}-digit number is too large")
    elif isinstance(left, int) or isinstance(right, int):
        count, repeated = (left, right) if isinstance(left, int) else (right, left)
        if isinstance(repeated, (str, list, tuple)):
            if not isinstance(repeated, str) and any(isinstance(item, (list, tuple, Mapping))
                                                     for item in repeated):
                raise SecurityError("repeating a list of lists or mappings is not allowed")
            if len(repeated) * count > MAX_REPEAT:
                raise SecurityError(f"repeating {len(repeated)} characters or items {count} "
                                    f"times makes more than {MAX_REPEAT:,}")


def _bounded_arguments(owner: str, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check a call of a text method that can make a text longer; return its arguments."""
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        grow(f"{name}({args[0]})", len(owner), args[0])
    elif name == "expandtabs":
        size = args[0] if args else 8
        if isinstance(size, int):
            grow(f"expandtabs({size})", len(owner), len(owner) + owner.count("\t") * size)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        grow("replace()", len(owner), replaced_length(owner, *args))
    elif name == "join" and args:
        items = list(args[0])  # consumed here: the join gets the list
        sizes = sum(text_length(item) for item in items)
        check_total("join()", sizes + len(owner) * max(len(items) - 1, 0))
        args = (items, *args[1:])
    return args


def replaced_length(text: str, old: str, new: str, count: Any = -1) -> int:
    """Return the length of text.replace(old, new, count), without making it."""
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


# printf-style conversions: %(key)-08.3f and the like
_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?P<width>\*|\d+)?"
                      r"(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<kind>.)", re.S)


def check_percent(template: str, values: Any) -> None:
    """Estimate what 'template % values' makes, before making it."""
    mapping = values if isinstance(values, Mapping) else None
    items = iter(values if isinstance(values, tuple) else (values,))
    total = len(template)
    try:
        for match in _PERCENT.finditer(template):
            kind = match["kind"]
            if kind == "%":
                continue
            width = next(items) if match["width"] == "*" else int(match["width"] or 0)
            precision = next(items) if match["precision"] == "*" \
                else int(match["precision"] or 0)
            value = mapping[match["key"]] if mapping is not None and match["key"] is not None \
                else next(items)
            length = text_length(value) * (4 if kind in "ra" else 1) + 2
            total += max(int(width), length + int(precision))
    except (StopIteration, LookupError, TypeError, ValueError):
        return  # the values do not fit the template: the '%' itself says so
    grow("'%' formatting", len(template), total)


def _format_sizes(spec: str) -> int:
    """Return the widths and precisions of a format spec, added up (an upper bound)."""
    numbers = re.findall(r"\d+", spec)
    if any(len(number) > 9 for number in numbers):
        return MAX_REPEAT + 1
    return sum(int(number) for number in numbers)


class _BoundedFormatting:
    """str.format's fields, each checked before it is made, and their running total."""

    total = 0

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        refuse_container(value, "format {}")
        return super().convert_field(value, conversion)  # type: ignore[misc]

    def format_field(self, value: Any, format_spec: str) -> Any:
        refuse_container(value, "format {}")
        sizes = _format_sizes(format_spec)
        if sizes > MAX_REPEAT:
            raise SecurityError(f"the format '{{:{format_spec[:20]}}}' would add more than "
                                f"{MAX_REPEAT:,} characters")
        piece = super().format_field(value, format_spec)  # type: ignore[misc]
        self.total += len(piece)
        check_total("format()", self.total)
        return piece


class _TextFormatter(_BoundedFormatting, SandboxedFormatter):
    pass


class _MarkupFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


def _bounded_format_method(env: Sandbox, owner: str) -> Callable[..., str]:
    def format_(*args: Any, **kwargs: Any) -> str:
        formatter = _MarkupFormatter(env, escape=owner.escape) if isinstance(owner, Markup) \
            else _TextFormatter(env)
        return type(owner)(formatter.vformat(owner, args, kwargs))

    format_._sandbox_made = True  # type: ignore[attr-defined]
    return format_
