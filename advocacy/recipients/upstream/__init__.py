"""The public data behind the recipient files: turned into recipients/ by ``import``.

``importer`` reads the upstream files (the package's data/, or a project's) and writes
recipients/; ``congress``, ``un`` and ``washington`` understand the upstream formats;
``download`` and ``update`` fetch the current files (``advocacy recipients update``).
"""
