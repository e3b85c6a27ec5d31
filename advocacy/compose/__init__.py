"""Stage 4, compose: each letter becomes one semantic HTML document.

``composer`` builds a letter's template context and renders it; ``templating`` is the
one factory for Jinja environments, ``sandbox`` and ``sandbox_filters`` what a
template may read, call and build; ``markdown`` turns statement text into HTML.
"""
