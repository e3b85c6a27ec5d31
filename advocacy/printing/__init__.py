"""The print bundle: the letters in one file for the printer, envelopes or labels, a delivery sheet.

``bundle`` makes it from the letter PDFs already written to the staging folder;
``order`` decides the delivery order, ``envelopes`` and ``delivery`` draw the
envelopes, labels and delivery sheet from HTML templates in templates/ with
WeasyPrint.
"""
