"""Recipients: a campaign's recipient records, and constituents matched to legislators.

``records`` reads a campaign's sources and overrides; ``constituents``, ``districts``
and ``lookup`` match constituents to their legislators by ZIP code; ``upstream``
turns the public data into recipient files.
"""
