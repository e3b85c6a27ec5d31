"""Real recipients: import public data, parse addresses, match constituents to legislators."""
