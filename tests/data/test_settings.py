"""The settings file that names the issuing body and the distribution marking."""

from __future__ import annotations

import pytest

from helpers.data.settings import SETTINGS_FILE, Settings, load_settings
from helpers.errors import ParameterError


def test_the_project_file_names_the_project_not_a_ministry():
    settings = load_settings()
    assert settings == Settings()  # the shipped file says what the defaults say
    assert "project" in settings.issuing_body
    assert "ministry" not in settings.issuing_body.lower()
    assert SETTINGS_FILE.name == "briefing.yaml"


def test_a_missing_file_gives_the_defaults(tmp_path):
    assert load_settings(tmp_path / "none.yaml") == Settings()


def test_values_are_read(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text('issuing_body: "South Asia Desk"\ndistribution: Internal\n', encoding="utf-8")
    assert load_settings(f) == Settings("South Asia Desk", "Internal")


def test_an_unknown_key_names_file_line_and_key(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text("issuing_body: Desk\nclassification: SECRET\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_settings(f)
    assert str(info.value).startswith(f"{f}, line 2, key 'classification': unknown setting")


def test_a_list_value_is_refused(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text("distribution:\n  - a\n  - b\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"line 1, key 'distribution': expected a line"):
        load_settings(f)
