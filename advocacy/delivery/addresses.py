"""Email addresses and header values: checked before a message is made, never repaired.

A recipient's name or address comes from a file someone else may have written, and
an email header is one line: a line break in a value ("x", a line break, "Bcc: ...") would add a
header of the attacker's choosing. Values with line breaks or other control characters
are refused, and an address must be a plain ``local@domain.tld`` (no comments, quoting
or routes, which mail programs read differently).
"""

from __future__ import annotations

import email.utils
import re

MAX_ADDRESS = 254  # RFC 5321: the longest path a server must accept
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAME_SPECIALS = re.compile(r'[<>"\\]')


def header_problem(value: str) -> str | None:
    """Say why a text cannot go into an email header (a line break, a control character)."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    kind = "a line break" if found[0] in "\r\n\u2028\u2029" else \
        f"a control character (U+{ord(found[0]):04X})"
    return f"it contains {kind}, which would end the header line; remove it"


def address_problem(address: str) -> str | None:
    """Say why a text is not a plain email address, or None if it is one."""
    found = header_problem(address)
    if found:
        return found
    if len(address) > MAX_ADDRESS:
        return f"it is {len(address)} characters long; an address has at most {MAX_ADDRESS}"
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "it has no '@' between a name and a domain, as in name@example.org"
    if not _LOCAL.fullmatch(local):
        return "the part before '@' has spaces, quotes or other characters mail servers refuse"
    if not _DOMAIN.fullmatch(domain):
        return "the part after '@' is not a domain name such as example.org"
    return None


def checked_address(value: str) -> str:
    """Return a plain address, or raise ValueError saying what is wrong (for models)."""
    problem = address_problem(value)
    if problem:
        raise ValueError(f"not an email address: {problem}")
    return value


def split_mailbox(value: str) -> tuple[str, str]:
    """Split 'Name <address>' (or a bare address) into the name and the address."""
    text = value.strip()
    if text.endswith(">") and "<" in text:
        name, _, address = text[:-1].rpartition("<")
        return name.strip().strip('"').strip(), address.strip()
    return "", text


def checked_mailbox(value: str) -> str:
    """Return 'Name <address>' or an address, or raise ValueError saying what is wrong."""
    problem = header_problem(value)
    if problem:
        raise ValueError(f"not an email address: {problem}")
    name, address = split_mailbox(value)
    if _NAME_SPECIALS.search(name):
        raise ValueError("the name before <address> may not contain <, >, quotes or "
                         "backslashes")
    checked_address(address)
    return value


def same_address(first: str, second: str) -> bool:
    """Tell whether two addresses name one mailbox (mail programs ignore case)."""
    return first.casefold() == second.casefold()


def formatted(name: str, address: str) -> str:
    """Write a mailbox for a message header (the name encoded when not ASCII)."""
    return email.utils.formataddr((name, address))
