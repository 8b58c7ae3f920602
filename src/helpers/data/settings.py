"""The issuing body and distribution marking printed on every briefing.

They live in ``briefing.yaml`` at the project root (documented in the file itself), so an
organisation can put its own name and marking on the briefings without touching code.
Without the file the defaults name this project and make no claim to speak for any
government. A key the file should not have, or a value that is not plain text, is an error
naming the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import ParameterError
from ..paths import PROJECT_ROOT

SETTINGS_FILE = PROJECT_ROOT / "briefing.yaml"


@dataclass(frozen=True)
class Settings:
    """What the header of a briefing says about who issued it."""

    issuing_body: str = "Engagement Briefings (open-source research project)"
    distribution: str = "Unrestricted: compiled from open sources"


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the settings file; missing keys (or a missing file) keep the defaults.

    Parameters
    ----------
    path : str or Path or None
        The YAML file; None means ``briefing.yaml`` at the project root.

    Raises
    ------
    ParameterError
        The file is not a YAML mapping, has an unknown key, or a value that is not a
        non-empty single line of text (the message names the file, line and key).
    """
    import yaml

    file = Path(path) if path else SETTINGS_FILE
    if not file.is_file():
        return Settings()
    text = file.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as err:
        raise ParameterError(f"{file}: not readable as YAML: {err}") from None
    if node is None:
        return Settings()
    if not isinstance(node, yaml.MappingNode):
        raise ParameterError(f"{file}, line {node.start_mark.line + 1}: expected key: value lines")
    known = {f.name for f in fields(Settings)}
    values = {}
    for key, value in node.value:
        where = f"{file}, line {key.start_mark.line + 1}, key {key.value!r}"
        if key.value not in known:
            raise ParameterError(f"{where}: unknown setting; known: {', '.join(sorted(known))}")
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise ParameterError(f"{where}: expected a line of text")
        if "\n" in str(value.value):
            raise ParameterError(f"{where}: expected a single line of text")
        values[key.value] = str(value.value).strip()
    return Settings(**values)
