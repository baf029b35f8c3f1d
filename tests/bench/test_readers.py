"""The reader hang guards of `make bench`: what they measure, not how fast it was."""

from __future__ import annotations

from pathlib import Path

from kg.dev.bench.readers import TARGETS, measure_refusals
from kg.dev.bench.report import Report, table_rows, targets


def test_every_hostile_file_is_measured_and_cleaned_up(tmp_path: Path) -> None:
    measured = measure_refusals(tmp_path)
    assert set(measured) == set(TARGETS)
    assert all(m["seconds"] >= 0 for m in measured.values())
    assert list(tmp_path.iterdir()) == []  # the 1 GiB file is not left behind


def test_reader_and_server_targets_are_seconds_at_most() -> None:
    measurements = {"readers": {"html_over_element_limit": {"seconds": 0.4},
                                "html_deep_nesting": {"seconds": 12.0}},
                    "server": {"reinstall_seconds": 0.01}}
    by_name = {t.name: t for t in targets(measurements)}
    assert by_name["HTML over the element limit refused"].passed is True
    assert by_name["HTML nested 100,000 deep read"].passed is False
    assert by_name["1 GiB text refused before reading"].passed is None  # not measured
    assert by_name["server install again (nothing to do)"].passed is True
    rows = {r[0]: r for r in table_rows(Report(10, 1, "now", {}, {}, targets=list(by_name.values())))}
    assert rows["HTML nested 100,000 deep read"][1:] == ("12 s", "<= 10 s", "FAIL")
