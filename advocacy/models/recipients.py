"""Recipient records and the selectors and sources that pick them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from advocacy.models.base import BareAddress, BodyKeys, CountryCode, Model, Text, TextList, as_list

# --- Recipients ---------------------------------------------------------------------------------

RecipientKind = Literal[
    "senator", "representative", "delegate", "committee", "permanent-mission", "generic"
]
# Kinds that exist only in the United States: their records are in the US without saying so.
US_KINDS = frozenset({"senator", "representative", "delegate", "committee"})


class Member(Model):
    """A named person inside a recipient record: a committee's chair or ranking member."""

    name: str = Field(description="Full name as printed, e.g. 'Jim Risch'.")
    last_name: str = Field(description="Family name used in the salutation.")
    title: str = Field(description="Role as printed, e.g. 'Chairman' or 'Ranking Member'.")
    honorific: str = Field("The Honorable", description="Printed before the name.")


class Recipient(Model):
    """One addressee: a legislator, a committee, a permanent mission, or anyone else."""

    id: Text = Field(description="Unique, stable key (bioguide id, committee id, country code).")
    kind: RecipientKind = Field("generic", description="Decides the address and salutation rules.")
    honorific: str | None = Field(None, description="'The Honorable', 'H.E. Mr.', 'Dr.' ...")
    name: str = Field(min_length=1, description="Full name as printed in the address block.")
    last_name: str | None = Field(None, description="Family name used in the salutation.")
    title: str | None = Field(None, description="Role printed under the name.")
    organisation: str | None = Field(None, description="Office, chamber or mission name.")
    address: TextList = Field([], description="Street lines, without city and postal code.")
    city: str | None = None
    region: str | None = Field(None, description="Postal state or province, e.g. 'DC'.")
    postal_code: Text | None = None
    country: CountryCode | None = Field(
        None, description="Postal country: ISO 3166 two-letter code. Omitted: US for "
        "senators, representatives, delegates and committees, none for others (A4 paper).")
    member_state: str | None = Field(None, description="Country a mission represents (code).")
    state: str | None = Field(None, description="State a legislator represents, e.g. 'MN'.")
    district: int | None = Field(None, description="House district; 0 means at-large.")
    party: str | None = None
    chamber: Literal["senate", "house"] | None = None
    committees: TextList = Field([], description="Committee ids the person sits on.")
    chair: Member | None = Field(None, description="Committee chair (committee records).")
    ranking_member: Member | None = Field(None, description="Committee ranking member.")
    language: str | None = Field(None, description="Language of this recipient's letter.")
    gender: Literal["F", "M"] | None = Field(
        None, description="For salutations in languages with gendered titles (French)."
    )
    salutation: str | None = Field(None, description="Overrides the salutation rule.")
    address_block: TextList | None = Field(None, description="Overrides the address rule.")
    attention: str | None = Field(None, description="A note for the organiser (e.g. vacant).")
    email: BareAddress | None = Field(None, description="Where 'advocacy send' emails the letter; "
                              "never printed. The public data has none: add it in an "
                              "overrides file.")

    @model_validator(mode="before")
    @classmethod
    def _in_the_us(cls, data: Any) -> Any:
        """Place a record of Congress in the US when it names no country (the imported data)."""
        kind = data.get("kind") if isinstance(data, dict) else None
        if isinstance(kind, str) and kind in US_KINDS and data.get("country") is None:
            return {**data, "country": "US"}
        return data


class RecipientFile(Model):
    """A recipients file: a list of records under ``recipients:``."""

    recipients: list[Recipient]


class Selector(Model):
    """Which records of a recipients file a campaign writes to; every key given must match."""

    id: TextList | None = Field(None, description="Record ids.")
    state: TextList | None = Field(None, description="Two-letter state codes.")
    district: Annotated[list[int], BeforeValidator(as_list)] | None = Field(
        None, description="House districts (0: at-large)."
    )
    chamber: list[Literal["senate", "house"]] | None = Field(None, description="senate, house.")
    party: TextList | None = Field(None, description="Democrat, Republican, Independent.")
    committee: TextList | None = Field(None, description="Committee ids, e.g. SSFR.")
    bioguide: TextList | None = Field(None, description="Congress bioguide ids.")
    country: TextList | None = Field(
        None, description="Country codes: the country a mission represents, else the postal one."
    )
    kind: list[RecipientKind] | None = Field(None, description="Recipient kinds.")
    member_of: BodyKeys | None = Field(
        None, description="UN bodies by year, e.g. hrc-2023: missions of their member states "
        "(recipients/un-bodies.yaml).")
    observer_of: BodyKeys | None = Field(
        None, description="UN bodies by year: missions of the states that are not members but "
        "observers (the other UN member states and the non-member observer states).")


class RecipientSource(Model):
    """Where a campaign's recipients come from: a recipients file and a selector."""

    model_config = ConfigDict(populate_by_name=True)

    source: str = Field(alias="from", description="Name of a file in recipients/.")
    where: Selector = Field(default_factory=Selector, description="Optional selectors.")
    overrides: str | None = Field(
        None, description="A file in recipients/ whose records, matched by id, complete or "
        "correct these records (e.g. a mission's street address)."
    )
