"""The analysis layer: what the data says, as frames and plain values."""
