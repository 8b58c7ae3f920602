"""The data layer: reading, checking and storing the data package."""
