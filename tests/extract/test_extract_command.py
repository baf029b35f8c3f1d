"""`kg extract` keeps stdout for graphs: a path that cannot be read gives one error line on
stderr and no empty `[]` beside it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import main


def test_an_unreadable_path_prints_no_empty_graph(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent.txt"
    result = CliRunner().invoke(main, ["extract", str(missing)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert str(missing) in result.stderr and "Error" in result.stderr
