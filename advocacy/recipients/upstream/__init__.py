"""The public data behind the recipient files: turned into recipients/ by ``import``.

``importer`` reads the upstream files in data/ and writes recipients/; ``congress``,
``un`` and ``washington`` understand the upstream formats.
"""
