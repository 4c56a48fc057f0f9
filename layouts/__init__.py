"""The templates' printed layouts: cells rendered as the official tables (HTML or text),
the inverse of parsing, for the replica sites, the report page and the fixtures."""
