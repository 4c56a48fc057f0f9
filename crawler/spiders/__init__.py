"""Spiders: one base that knows reports, thin subclasses per CMS family."""
