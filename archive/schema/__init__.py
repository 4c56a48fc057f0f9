"""What the database holds, spelled once: base tables, wide views, search tokens, the
codebook and the report-per-year rule; imports only ``parsers`` (the cell keys)."""
