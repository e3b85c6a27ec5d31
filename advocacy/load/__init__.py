"""Stage 1, load: read YAML, CSV and Markdown from disk, remembering where each value was.

Every value read from YAML keeps its line and column, so later stages can say
``campaigns/x.yaml:12:3: recipients.where.state: ...``. Loading is safe
(no Python tags), strict (duplicate keys and non-mappings are errors) and
bounded (size, nesting and alias expansion are limited). Every file is opened
through the checked opener (files.py).

- text.py: size limits, UTF-8 decoding, control characters
- yaml_document.py: YAML documents with the place of every value
- markdown.py: Markdown with YAML front matter
- csv_table.py: CSV files as spreadsheet programs write them
"""

from advocacy.load.csv_table import (
    MAX_CELL,
    MAX_COLUMNS,
    CsvRow,
    CsvTable,
    load_csv,
    normalise_column,
)
from advocacy.load.markdown import MarkdownFile, load_markdown
from advocacy.load.text import (
    CONTROL,
    MAX_CSV_BYTES,
    MAX_MARKDOWN_BYTES,
    MAX_YAML_BYTES,
    check_characters,
    control_message,
    decode_utf8,
    read_bytes,
    read_text,
)
from advocacy.load.yaml_document import (
    MAX_DEPTH,
    MAX_VALUES,
    Document,
    Key,
    load_mapping,
    load_yaml,
)

__all__ = [
    "CONTROL", "MAX_CELL", "MAX_COLUMNS", "MAX_CSV_BYTES", "MAX_DEPTH", "MAX_MARKDOWN_BYTES",
    "MAX_VALUES", "MAX_YAML_BYTES", "CsvRow", "CsvTable", "Document", "Key", "MarkdownFile",
    "check_characters", "control_message", "decode_utf8", "load_csv", "load_mapping",
    "load_markdown", "load_yaml", "normalise_column", "read_bytes", "read_text",
]
