"""Parse the Washington office addresses of Congress into address lines.

The upstream data spells them several ways: members' offices as
"425 Dirksen Senate Office Building Washington DC 20510", committees as
"2170 RHOB; Washington, DC 20515-6128" or "H307 CAPITOL; Washington, DC 20515-6015".
Each becomes a street line with the building spelled out, plus city, region and ZIP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations used by the committee records, spelled as on an envelope.
BUILDINGS = {
    "CHOB": "Cannon House Office Building",
    "LHOB": "Longworth House Office Building",
    "RHOB": "Rayburn House Office Building",
    "FHOB": "Ford House Office Building",
    "DSOB": "Dirksen Senate Office Building",
    "HSOB": "Hart Senate Office Building",
    "RSOB": "Russell Senate Office Building",
    "CAPITOL": "U.S. Capitol",
}

_ADDRESS = re.compile(
    r"^(?P<room>[A-Z0-9-]+)\s+(?P<building>.+?)[;,]?\s+Washington,?\s+D\.?C\.?\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WashingtonAddress:
    """An office address in Washington, DC, split into the parts of an address block."""

    street: str
    postal_code: str
    city: str = "Washington"
    region: str = "DC"


def parse(text: str) -> WashingtonAddress:
    """Split an office address such as '2170 RHOB; Washington, DC 20515-6128'.

    Raises ValueError for a string that is not a Washington office address.
    """
    match = _ADDRESS.match(" ".join(text.split()))
    if not match:
        raise ValueError(f"not a Washington office address: {text!r}")
    building = match["building"]
    building = BUILDINGS.get(building.upper(), building)
    if building.isupper():  # older records shout: "HART SENATE OFFICE BUILDING"
        building = building.title()
    return WashingtonAddress(f"{match['room']} {building}", match["zip"])


def chamber_zip(chamber: str) -> str:
    """Return the ZIP code all offices of a chamber receive mail at (20510 or 20515)."""
    return "20510" if chamber == "senate" else "20515"
