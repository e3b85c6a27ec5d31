"""The local web app (``advocacy serve``): the library's pages for people who use no terminal.

Every page calls the same library as the command line (advocacy.api, the manifest,
signatories.edit and .form, recipients.lookup); nothing here composes or writes
letters on its own. security.py guards every request: the launch token, CSRF, the
Host header and the size of what is sent.
"""
