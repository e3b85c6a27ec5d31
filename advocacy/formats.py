"""The file formats a letter is written in (light: the library's options name them)."""

from typing import Literal

Format = Literal["pdf", "docx"]
