"""Turn unitedstates/congress-legislators files into recipient records."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from advocacy.addressing import CHAMBERS
from advocacy.recipients.upstream import washington
from advocacy.usa import TERRITORIES

Record = dict[str, Any]

CHAIR_TITLES = ("Chairman", "Chair", "Chairwoman", "Cochairman", "Co-Chairman")
# The minority's leading member: "Ranking Member" in most committees, "Vice Chairman"
# in the Senate's select committees, where both sides share the chair.
MINORITY_TITLES = ("Ranking Member", "Vice Chairman", "Vice Chair", "Vice Chairwoman",
                   "Chairman", "Cochairman")


def memberships(membership: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Map each bioguide id to the committee and subcommittee ids the person sits on."""
    seats: dict[str, list[str]] = defaultdict(list)
    for committee_id, members in membership.items():
        for member in members:
            seats[member["bioguide"]].append(committee_id)
    return {bioguide: sorted(ids) for bioguide, ids in seats.items()}


def legislators(people: list[dict[str, Any]], seats: dict[str, list[str]]) -> list[Record]:
    """Return one record per current member of Congress, senators and House apart by chamber."""
    records = []
    for person in people:
        term = person["terms"][-1]
        bioguide = person["id"]["bioguide"]
        name = person["name"]
        chamber = "senate" if term["type"] == "sen" else "house"
        kind = "senator" if chamber == "senate" else "representative"
        record: Record = {"id": bioguide, "kind": kind}
        if chamber == "house" and term["state"] in TERRITORIES:
            record["kind"] = "delegate"
            record["title"] = "Resident Commissioner" if term["state"] == "PR" else "Delegate"
        record.update({
            "name": name.get("official_full") or f"{name['first']} {name['last']}",
            "last_name": name["last"],
            "chamber": chamber,
            "state": term["state"],
        })
        if chamber == "house":
            record["district"] = int(term["district"])
        record["party"] = term.get("party")
        record["gender"] = person.get("bio", {}).get("gender")  # for gendered salutations
        record.update(_washington_lines(term.get("address"), chamber))
        record["committees"] = seats.get(bioguide, [])
        records.append({key: value for key, value in record.items() if value is not None})
    return records


def committees(
    listing: list[dict[str, Any]], membership: dict[str, list[dict[str, Any]]],
    last_names: dict[str, str],
) -> list[Record]:
    """Return one record per full committee, addressed to its chair and ranking member.

    ``last_names`` maps bioguide ids to family names as the legislators data gives
    them ("Van Hollen", "Cortez Masto"): a name's last word is not always one.
    """
    records = []
    for committee in listing:
        committee_id = committee["thomas_id"]
        chamber = committee["type"] if committee["type"] in ("senate", "house") else None
        record: Record = {
            "id": committee_id,
            "kind": "committee",
            "name": committee["name"],
            "organisation": {"senate": CHAMBERS["senator"],
                             "house": CHAMBERS["representative"]}.get(
                                 committee["type"], "Congress of the United States"),
        }
        if chamber:
            record["chamber"] = chamber
        members = membership.get(committee_id, [])
        chair = _leader(members, "majority", CHAIR_TITLES, last_names)
        ranking = _leader(members, "minority", MINORITY_TITLES, last_names)
        if chair:
            record["chair"] = chair
        if ranking:
            record["ranking_member"] = ranking
        record.update(_washington_lines(committee.get("address"), chamber))
        records.append(record)
    return records


def _leader(members: list[dict[str, Any]], side: str, titles: tuple[str, ...],
            last_names: dict[str, str]) -> Record | None:
    for member in sorted(members, key=lambda m: m.get("rank", 99)):
        if member.get("party") == side and member.get("title") in titles:
            last = last_names.get(member.get("bioguide", "")) or _last_word(member["name"])
            return {"name": member["name"], "last_name": last, "title": member["title"]}
    return None


def _last_word(full_name: str) -> str:
    """Guess the family name of someone not in the legislators data: 'James E. Risch'."""
    words = full_name.replace(",", " ").split()
    while len(words) > 1 and words[-1].rstrip(".") in ("Jr", "Sr", "II", "III", "IV"):
        words.pop()
    return words[-1]


def _washington_lines(address: str | None, chamber: str | None) -> Record:
    """Address fields from a Washington office string; the chamber's ZIP when there is none."""
    if address:
        parsed = washington.parse(address)
        return {"address": [parsed.street], "city": parsed.city, "region": parsed.region,
                "postal_code": parsed.postal_code}
    if chamber:
        return {"city": "Washington", "region": "DC",
                "postal_code": washington.chamber_zip(chamber)}
    return {}
