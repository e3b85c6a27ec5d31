"""Deliver and track: email each letter, record hand deliveries, and say what reached whom.

- addresses.py: email addresses and header values, checked before any message is made
- settings.py: the SMTP server (a git-ignored settings file or environment variables)
- message.py: one email per letter (subject, text and HTML parts, attachments)
- plain_text.py: the text part, from the same HTML as the HTML part
- smtp.py: talking to the server: retries, back-off, what each reply means
- log.py: the append-only delivery log (the one reader and writer of its format)
- send.py: ``send``: gather, then send (or write the outbox), resuming from the log
- handed.py: hand and postal deliveries (``delivered``, ``--from-sheet``)
- status.py: what reached whom, per letter (``status``)
"""
