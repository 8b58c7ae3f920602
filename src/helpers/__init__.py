"""Engagement briefings: data loading, analyses, figures, rendering and publishing."""

__version__ = "0.1.0"
