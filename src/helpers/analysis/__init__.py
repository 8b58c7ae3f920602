"""Analysis layer: timeline, stakeholders, the briefing's sections (frames and plain values)."""
