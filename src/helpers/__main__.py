"""``python -m helpers`` is the ``briefing`` command."""

from .cli import run

run()
