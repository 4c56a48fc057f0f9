"""Scrapy project: find annual reports on district sites and archive their bytes."""
