"""Turn loaded documents into models, with each pydantic error placed and explained."""

from __future__ import annotations

import difflib
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from advocacy.errors import Problem, shorten
from advocacy.load.yaml_document import Document

M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], document: Document, problems: list[Problem]) -> M | None:
    """Validate a document against a model, turning pydantic errors into placed problems."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        seen: set[tuple[Any, ...]] = set()
        for detail in error.errors():
            key = _data_key(document.data, detail["loc"])
            problem = _describe(model, document, key, detail)
            if (key, problem.message) not in seen:
                seen.add((key, problem.message))
                problems.append(problem)
        return None


def _data_key(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Map a pydantic location to a path in the data, dropping union-branch labels."""
    key: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if _has(current, part):
            key.append(part)
            current = current[part]
        elif index == len(loc) - 1 and isinstance(part, str) and isinstance(current, dict):
            key.append(part)  # a missing key
    return tuple(key)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return isinstance(part, str) and part in container
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return False


def _describe(
    model: type[BaseModel], document: Document, key: tuple[str | int, ...],
    detail: Any,
) -> Problem:
    kind = detail["type"]
    dotted = ".".join(str(part) for part in key if isinstance(part, str))
    value = detail.get("input")
    if kind == "extra_forbidden":
        name = str(key[-1])
        known = _fields_at(model, key[:-1])
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
        return Problem(document.place(key), f"unknown key '{name}'{hint}", dotted)
    if kind == "missing":
        return Problem(document.place(key[:-1]), f"'{key[-1]}' is required", dotted)
    return Problem(document.place(key), _type_message(kind, detail["msg"], value), dotted)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_parsing_size": "a whole number of at most 4,300 digits",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of 'key: value' lines",
    "model_type": "a mapping of 'key: value' lines",
    "model_attributes_type": "a mapping of 'key: value' lines",
    "date_type": "a date written as YYYY-MM-DD",
    "date_parsing": "a date written as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written as YYYY-MM-DD",
}


def _type_message(kind: str, pydantic_message: str, value: Any) -> str:
    shown = type(value).__name__ if isinstance(value, (dict, list)) else \
        repr(shorten(value, 80)) if isinstance(value, str) else shorten(repr(value), 80)
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {shown}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "literal_error":
        allowed = pydantic_message.removeprefix("Input should be ")
        return f"must be {allowed}, got {shown}"
    return f"{pydantic_message} (got {shown})"


def _fields_at(model: type[BaseModel], key: tuple[str | int, ...]) -> list[str]:
    """List the keys a model accepts at a path, for 'did you mean' hints."""
    current: Any = model
    for part in key:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields and part not in _aliases(current):
            return []
        info = fields.get(part) or _aliases(current)[part]
        current = _model_in(info.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return sorted(info.alias or name for name, info in fields.items())


def _aliases(model: Any) -> dict[str, Any]:
    fields = getattr(model, "model_fields", {})
    return {info.alias: info for info in fields.values() if info.alias}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model class inside an annotation such as list[X] | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
