"""Publishing layer: execute notebooks, render HTML/PDF, build, publish and archive versions."""
