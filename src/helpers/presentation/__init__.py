"""Presentation layer: display helpers, figure style, timeline and stakeholder charts."""
