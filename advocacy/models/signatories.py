"""Signatory lists and statements."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field

from advocacy.models.base import Model

# --- Signatories --------------------------------------------------------------------------------


class Signatory(Model):
    """One organisation or person who signs a statement."""

    name: str = Field(min_length=1, description="Full name as printed.")
    short: str | None = Field(None, description="Acronym printed in brackets: 'ACC'.")
    country: str | None = Field(None, description="Country code, for grouping and records.")
    contact: str | None = Field(None, description="Contact line, kept for the organisers.")
    kind: Literal["organisation", "person"] | None = Field(
        None, description="'person' for an individual; an entry with a title or organisation "
        "is a person even without it."
    )
    title: str | None = Field(None, description="A person's title or role.")
    organisation: str | None = Field(None, description="A person's organisation.")
    signature: str | None = Field(None, description="Signature image, relative to the list.")

    @property
    def is_person(self) -> bool:
        """Tell whether the entry is an individual rather than an organisation."""
        if self.kind is not None:
            return self.kind == "person"
        return bool(self.title or self.organisation)


class SignatoryList(Model):
    """A list of signatories, printed under a heading after a letter or statement."""

    heading: str | None = Field(None, description="Printed above the list.")
    headings: dict[str, str] = Field(
        {}, description="The heading in other languages, by language code: {fr: ...}."
    )
    numbered: bool = Field(True, description="Number the entries (1., 2., ...).")
    sort: Literal["given", "alphabetical"] = Field(
        "given", description="Print in the order given, or sorted alphabetically by name."
    )
    group_by: Literal["country", "kind"] | None = Field(
        None, description="Print under one heading per country, or organisations then "
        "individuals."
    )
    groups: dict[str, str] = Field(
        {}, description="Group headings, in the order printed: country codes, 'other' (no "
        "country), 'organisation' or 'person' -> heading."
    )
    signatories: list[Signatory] = Field(description="The entries, in the order given.")


# --- Statements ---------------------------------------------------------------------------------


class StatementFront(Model):
    """The front matter of a statement file (``statements/NAME.md``)."""

    title: str | None = Field(None, description="Printed as the statement's heading.")
    date: datetime.date | None = Field(None, description="Printed above the title.")
    language: str = Field("en", description="Language of the text.")
    signatories: str | None = Field(None, description="Signatory list printed after the text.")
    contact: str | None = Field(None, description="Contact line printed after the signatories.")
