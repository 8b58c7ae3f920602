"""Data layer: validation, loading and the typed cache, periods, parameters, notebook context."""
