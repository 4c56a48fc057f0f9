"""Which place and agency a report belongs to: the gazetteer of divisions and the matching
of printed agency names; imports only the crawler's registry."""
