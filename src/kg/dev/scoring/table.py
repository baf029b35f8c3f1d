"""The scores as the plain-text table `kg dev score` prints."""

from __future__ import annotations

from kg.dev.scoring.matching import PRF
from kg.dev.scoring.run import BASELINE, CATEGORIES, KG, Report


def _pct(value: float | None) -> str:
    return "    —" if value is None else f"{100 * value:5.1f}"


def _cells(prf: PRF) -> str:
    return f"{_pct(prf.precision)} {_pct(prf.recall)} {_pct(prf.f1)}"


def report_lines(report: Report, *, details: bool = False) -> list[str]:
    """P / R / F1 per category and system, speed, rule violations; with `details`, every
    missed and spurious item."""
    systems = [s for s in (KG, BASELINE) if s in report.tallies]
    out = [f"{len(report.articles)} articles; P / R / F1 in %, micro-averaged"]
    head = "".join(f" | {s + ' ' + part:^17}" for s in systems for part in ("must", "all"))
    out.append(f"{'category':<13}{head}")
    out.append(f"{'':<13}" + " | ".join(["", *["    P     R    F1"] * (2 * len(systems))])[1:])
    for category in CATEGORIES:
        row = "".join(f" | {_cells(getattr(report.tallies[s][category], part))}"
                      for s in systems for part in ("must", "all"))
        t = report.tallies[KG][category]
        out.append(f"{category:<13}{row}   (kg {t.found}/{t.expected}, must {t.must_found}/"
                   f"{t.must_expected}, {t.spurious} spurious)")
    out.append("")
    for system in systems:
        speed = report.speed[system]
        what = "kg extractor" if system == KG else "bare nlp.pipe"
        out.append(f"speed {what:<14} {speed.articles_per_second:7.2f} articles/s "
                   f"{speed.words_per_second:9.0f} words/s  ({speed.articles} articles, "
                   f"{speed.words} words, {speed.seconds:.2f} s)")
    out.append("")
    out.append(f"must_not violations (kg): {len(report.must_not[KG])}")
    out += [f"  {line}" for line in report.must_not[KG]]
    out += [f"over-extraction: {line}" for line in report.over_extracted]
    out += [f"failure: {line}" for line in report.failures]
    if details:
        for category in CATEGORIES:
            tally = report.tallies[KG][category]
            out.append(f"\n== {category}: missed {len(tally.missed)}, spurious {len(tally.false)}")
            out += [f"  - missed   {line}" for line in tally.missed]
            out += [f"  + spurious {line}" for line in tally.false]
    return out
