"""Stage 5, write: turn a letter's one HTML document into files (PDF, DOCX)."""
