"""Advocacy letter generator: campaigns in YAML become personalised PDF and DOCX letters."""

__version__ = "0.1.0"
