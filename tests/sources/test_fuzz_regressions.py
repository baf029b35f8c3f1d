"""Inputs the fuzzer (fuzz/fuzz_readers.py) found, or that are worth keeping, replayed in CI.

Each file in fuzz/regressions/ and fuzz/seeds/ is a raw fuzz input (first byte: the format)
and goes through the fuzz target's own check, so a fixed crash stays fixed. atheris is not
needed: the check is plain Python.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
INPUTS = sorted([*(FUZZ / "regressions").glob("*.bin"), *(FUZZ / "seeds").glob("*.bin")])


def _target() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kg_fuzz_readers", FUZZ / "fuzz_readers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_inputs_to_replay() -> None:
    assert len(INPUTS) >= 4


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_fuzz_input_gives_articles_or_failures(path: Path) -> None:
    _target().check_input(path.read_bytes())


@pytest.mark.parametrize("data", [
    b"", b"\x00", b"\x01[", b"\x02{}\n{", b"\x00<html>", b"\x03\xff\xfe\x00\x00",
    b"\x01" + b"[" * 100_000,  # deeper than the JSON parser's recursion limit
    b"\x02" + b'{"text": "' + b"\\ud800" * 1000 + b'"}',
    b"\x00<html><body>" + b"<div>" * 50_000 + b"x",
])
def test_hostile_inputs_give_articles_or_failures(data: bytes) -> None:
    _target().check_input(data)


def test_the_check_catches_a_reader_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanity: a reader raising an unexpected exception fails the check (libFuzzer: a crash)."""
    import kg.sources.jsonfile

    def broken(*args: object) -> object:
        raise TypeError("a bug")

    monkeypatch.setattr(kg.sources.jsonfile, "parse_json", broken)
    with pytest.raises(AssertionError, match="unexpected error"):
        _target().check_input(b'\x01{"text": "Gunmen attacked a convoy."}')
