"""Stage 2, validate: loaded files become typed models, and every reference is checked.

``campaign`` validates a campaign and everything it names (all problems together);
``advocacy.load.typed`` turns a loaded document into a pydantic model with each error placed.
"""
