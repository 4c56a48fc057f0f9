"""The database build: plan, parse cache, parallel parse, full and incremental build, the
derived tables; imports ``schema``, ``agencies``, ``parsers`` and the crawler's store, never
``web`` or ``release``."""
