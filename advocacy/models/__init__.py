"""The data model: what a campaign, statement, signatory list and recipient may contain.

These pydantic models are the truth about the file formats. Unknown keys are
rejected (``extra="forbid"``) so a typo never silently drops a setting.

- base.py: the base model and shared field types
- recipients.py: recipient records, selectors, sources
- signatories.py: signatory lists and statements
- campaigns.py: campaigns
"""

from advocacy.formats import Format
from advocacy.models.base import (
    BareAddress,
    BodyKeys,
    CountryCode,
    EmailAddress,
    Model,
    Text,
    TextList,
)
from advocacy.models.campaigns import (
    Campaign,
    Letterhead,
    Message,
    MessageTexts,
    PrintSettings,
    Sender,
    StatementRef,
    Texts,
)
from advocacy.models.recipients import (
    US_KINDS,
    Member,
    Recipient,
    RecipientFile,
    RecipientKind,
    RecipientSource,
    Selector,
)
from advocacy.models.signatories import (
    Signatory,
    SignatoryList,
    StatementFront,
)

__all__ = [
    "US_KINDS",
    "BareAddress",
    "BodyKeys",
    "Campaign",
    "CountryCode",
    "EmailAddress",
    "Format",
    "Letterhead",
    "Member",
    "Message",
    "MessageTexts",
    "Model",
    "PrintSettings",
    "Recipient",
    "RecipientFile",
    "RecipientKind",
    "RecipientSource",
    "Selector",
    "Sender",
    "Signatory",
    "SignatoryList",
    "StatementFront",
    "StatementRef",
    "Text",
    "TextList",
    "Texts",
]
