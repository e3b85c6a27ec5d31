"""Stage 5 at campaign scale: write letters in chunks, anywhere, and skip what is unchanged.

``worker`` writes a chunk of letters (both writers, shared enclosures laid out once),
``executors`` runs chunks in this process, a pool of processes or a dask cluster,
``cache`` decides which letters of the last run can be kept, and ``manifest`` owns
the manifest file that records what was written.
"""
