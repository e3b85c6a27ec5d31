"""Shared pieces of the data model: the base model, text and list coercions, formats."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from advocacy.delivery.addresses import checked_address, checked_mailbox


def as_list(value: Any) -> Any:
    """Accept one value where a list is expected: ``state: MN`` means ``state: [MN]``."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    return value


def mapping_as_list(value: Any) -> Any:
    """Accept one mapping where a list of mappings is expected."""
    return [value] if isinstance(value, dict) else value


def as_text(value: Any) -> Any:
    """Accept numbers where text is expected (a ZIP or district typed as 55401)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_DATE = TypeAdapter(datetime.date)


def letter_date(value: Any) -> Any:
    """Read a letter's date: a date, or 'none' for a letter that prints no date."""
    if value is None or (isinstance(value, str) and value.strip().casefold() == "none"):
        return None if value is None else "none"
    try:
        return _DATE.validate_python(value)
    except ValidationError as error:  # the date's own error, so its message reads as usual
        detail = error.errors()[0]
        raise PydanticCustomError(detail["type"], detail["msg"]) from None


Text = Annotated[str, BeforeValidator(as_text)]
TextList = Annotated[list[Text], BeforeValidator(as_list)]
# Codes are compared as written ("US" decides the paper and the delivery order): 'us' is 'US'.
CountryCode = Annotated[str, AfterValidator(str.upper)]
# A UN body and year, e.g. hrc-2023: compared in lower case.
BodyKeys = Annotated[list[Annotated[str, AfterValidator(str.lower)]], BeforeValidator(as_list)]


# 'Name <address>' or an address (a campaign's from, cc ...), and a bare address (a record's).
EmailAddress = Annotated[str, AfterValidator(checked_mailbox)]
BareAddress = Annotated[str, AfterValidator(checked_address)]


class Model(BaseModel):
    """Base: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
