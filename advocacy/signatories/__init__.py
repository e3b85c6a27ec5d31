"""Signatory lists: their rules and printed form, and the organisers' commands behind them.

``lists`` (the rules a list follows, its printed form, its manifest record),
``names`` (near-duplicate matching), ``edit`` (changing a list file, keeping its
comments), ``form`` (importing a sign-up form), ``review`` (warnings and differences).
"""
