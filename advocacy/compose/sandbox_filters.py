"""The filters a template may use (sandbox.py): Jinja's own, those that build text bounded.

Left out: those that may build without bound or show objects (batch, slice, sum,
wordwrap, pprint, tojson, xmlattr, urlize, urlencode, random).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import filters as jinja_filters
from jinja2.exceptions import FilterArgumentError
from jinja2.utils import _PassArg, pass_eval_context
from markupsafe import escape, soft_str

from advocacy.compose.sandbox import (
    as_text,
    check_percent,
    check_total,
    grow,
    refuse_container,
    replaced_length,
    text_length,
)


def _text_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter that turns its value into text: lists and mappings are refused."""
    index = 0 if _PassArg.from_obj(function) is None else 1

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > index:
            refuse_container(args[index], "make text of {}")
        return function(*args, **kwargs)

    return wrapper


def _center(value: Any, width: int = 80) -> str:
    text = as_text(value)
    if isinstance(width, int):
        grow(f"center({width})", len(text), width)
    return text.center(width)


def _indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = as_text(value)
    unit = len(width) if isinstance(width, str) else width
    if isinstance(unit, int):
        grow("indent()", len(text), len(text) + (text.count("\n") + 1) * unit)
    return jinja_filters.do_indent(text, width, first, blank)


@pass_eval_context
def _replace(eval_ctx: Any, value: Any, old: str, new: str, count: int | None = None) -> str:
    text = as_text(value)
    grow("replace()", len(text), replaced_length(text, str(old), str(new),
                                                   -1 if count is None else count))
    return jinja_filters.do_replace(eval_ctx, value, old, new, count)


@pass_eval_context
def _join(eval_ctx: Any, value: Iterable[Any], separator: str = "",
          attribute: str | int | None = None) -> str:
    items = list(value)
    if attribute is not None:
        getter = jinja_filters.make_attrgetter(eval_ctx.environment, attribute)
        items = [getter(item) for item in items]
    sizes = sum(text_length(item) for item in items)
    check_total("join", sizes + len(str(separator)) * max(len(items) - 1, 0))
    return jinja_filters.sync_do_join(eval_ctx, items, separator)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise FilterArgumentError("can't handle positional and keyword "
                                                "arguments at the same time")
    text = as_text(value)
    values = kwargs or args
    check_percent(text, values)
    return text % values


# The filters a template may use (and markdown, added by templating.make_environment).
FILTERS: dict[str, Callable[..., Any]] = {
    **{name: getattr(jinja_filters, f"do_{name}") for name in (
        "attr", "default", "dictsort", "first", "float", "groupby", "int", "items", "last",
        "list", "map", "max", "min", "reject", "rejectattr", "reverse", "round", "select",
        "selectattr", "sort", "unique")},
    **{name: _text_filter(getattr(jinja_filters, f"do_{name}")) for name in (
        "capitalize", "forceescape", "lower", "striptags", "title", "trim", "truncate",
        "upper", "wordcount")},
    "abs": abs, "count": len, "length": len, "d": jinja_filters.do_default,
    "e": _text_filter(escape), "escape": _text_filter(escape),
    "safe": _text_filter(jinja_filters.do_mark_safe), "string": _text_filter(soft_str),
    "center": _center, "indent": _indent, "replace": _replace, "join": _join, "format": _format,
}
