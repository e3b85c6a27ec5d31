"""The print bundle: the letters in one file for the printer, envelopes or labels, a delivery sheet.

``bundle`` makes it from the letter PDFs already written to the staging folder;
``order`` decides the delivery order, ``envelopes`` and ``delivery_sheet`` draw the
envelopes, labels and delivery sheet from HTML templates (``pages``) with
WeasyPrint.
"""
