"""What an article costs by its shape: hostile texts next to a typical news article (issue 20).

Every shape is extracted in a child process (`python -m kg.dev.bench.hostile`), so the peak
memory it reports is the article's own: the child loads the model, extracts a warm-up
article, then for each article resets the kernel's peak-RSS mark (`/proc/self/clear_refs`)
and reads it again afterwards (`VmHWM`), with the CPU seconds it took. All the articles go
through one `extract_results` stream, so an article stopped by its budget is seen not to
stop the others.

`kg bench run` (`make bench`) measures each shape at two sizes with no budget: seconds and MiB per MB of
text, and whether they stay flat as the text grows fourfold (linear cost). The reliability
tests run every shape at the size limit with the default budget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1_000_000
# Bench sizes: the growth between them shows whether cost is linear in length.
BENCH_SIZES = (50_000, 200_000)

_NEWS = (
    "Gunmen from the Baloch Liberation Army attacked a passenger train near Quetta on "
    "Tuesday, officials said. At least 12 soldiers were killed and 30 people were wounded, "
    'according to the provincial government. "The attackers fled into the mountains," a '
    "police spokesman, Ahmed Khan, told reporters.\n\n"
    "The group claimed responsibility in a statement. Security forces launched an operation "
    "in the district on Wednesday and said they had arrested four suspects.\n\n"
)
_FIRST = [
    "Amina", "Aisha", "Omar", "Yusuf", "Fatima", "Ibrahim", "Khadija", "Musa", "Zainab", "Ali",
    "Maryam", "Hassan", "Leila", "Karim", "Nadia", "Samir", "Rania", "Tariq", "Salma", "Idris",
    "Halima", "Bilal", "Farida", "Jamal", "Soraya", "Rashid", "Habiba", "Faisal", "Noura",
    "Anwar", "Dalia", "Walid", "Hind", "Nabil", "Yasmin", "Sami", "Lubna", "Adel", "Amal",
    "Khalil"
]
_LAST = [
    "Diallo", "Haidari", "Mensah", "Okafor", "Rahimi", "Toure", "Baloch", "Qureshi", "Ndiaye",
    "Kamara", "Sesay", "Bangura", "Osman", "Farah", "Warsame", "Abdi", "Keita", "Traore",
    "Coulibaly", "Sangare", "Ouedraogo", "Kabore", "Zongo", "Sawadogo", "Yameogo"
]
PEOPLE = [f"{f} {last}" for f in _FIRST for last in _LAST][:1000]


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _entities(size: int) -> str:
    sentences: list[str] = []
    length = n = 0
    while length < size:
        a, b = PEOPLE[n % 1000], PEOPLE[(n * 7 + 3) % 1000]
        sentences.append(f"{a} met {b} in Quetta on Monday. ")
        length += len(sentences[-1])
        n += 1
    return "".join(sentences)[:size]


def _quotes(size: int) -> str:
    per_quote = size // 1000  # a thousand quotes, however large the article
    body = _repeat("the attack on the convoy killed many people and wounded more ", max(per_quote, 10))
    return "".join(f'"{body.strip()}," said {PEOPLE[i]}.\n' for i in range(1000))[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "typical news article": lambda size: _repeat(_NEWS, size),
    "one giant sentence": lambda size: _repeat(
        "gunmen attacked the convoy near Quetta and killed 12 soldiers while officials said "
        "that 30 people were wounded and ", size),
    "no spaces": lambda size: _repeat("attackedtheconvoynearQuetta", size),
    "all digits": lambda size: _repeat("1234 5678 90 ", size),
    "only quotes": lambda size: _repeat('" ', size),
    "nested brackets": lambda size: _repeat("(" * 200 + "the attack" + ")" * 200 + " ", size),
    "a thousand named entities": _entities,
    "a thousand quotes": _quotes,
}
TYPICAL = "typical news article"


def hostile_text(shape: str, size: int) -> str:
    """`size` characters (ASCII, so also bytes) of text of this shape."""
    return SHAPES[shape](size)


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # 5: reset the peak RSS to the current RSS


def _child(cases: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """In the child: extract each (shape, size) article in one stream, one line each."""
    from kg.extract.pipeline import Extractor
    from kg.models import Article

    extractor = Extractor()
    extractor.extract(Article(id="warm-up", text=hostile_text(TYPICAL, 3000), language="en"))
    articles = (Article(id=f"{shape}/{size}", text=hostile_text(shape, size), language="en")
                for shape, size in cases)
    out: list[dict[str, Any]] = []
    results = extractor.extract_results(articles, batch_size=1)
    for shape, size in cases:
        _reset_peak()
        base_rss = _peak_rss_mib()
        start = time.process_time()
        result = next(results)
        seconds = time.process_time() - start
        error = None if hasattr(result, "article") else str(result)
        out.append({"shape": shape, "bytes": size, "cpu_seconds": round(seconds, 3),
                    "peak_rss_growth_mib": round(_peak_rss_mib() - base_rss, 1),
                    "failed": error})
    return out


def run_child(cases: list[tuple[str, int]], *, budget: float | None = None,
              timeout: float = 3600) -> list[dict[str, Any]]:
    """Measure `cases` in a fresh process; `budget` sets KG_MAX_ARTICLE_SECONDS (0: none)."""
    env = dict(os.environ)
    if budget is not None:
        env["KG_MAX_ARTICLE_SECONDS"] = str(budget)
    env["KG_MAX_ARTICLE_BYTES"] = str(max(size for _, size in cases))
    argv = [sys.executable, "-m", "kg.dev.bench.hostile", json.dumps(cases)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"hostile-shape child failed: {done.stderr[-2000:]}")
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def measure_hostile(progress: Callable[[str], None]) -> dict[str, Any]:
    """Seconds and peak MiB per MB of text for every shape at two sizes, with no budget."""
    progress(f"hostile shapes: {len(SHAPES)} shapes at {BENCH_SIZES[0]:,} and "
             f"{BENCH_SIZES[1]:,} characters")
    cases = [(shape, size) for shape in SHAPES for size in BENCH_SIZES]
    rows = run_child(cases, budget=0)
    shapes: dict[str, dict[str, float]] = {}
    for shape in SHAPES:
        small, large = (r for r in rows if r["shape"] == shape)
        per_mb = MB / large["bytes"]
        shapes[shape] = {
            "seconds_per_mb": round(large["cpu_seconds"] * per_mb, 1),
            "peak_mib_per_mb": round(large["peak_rss_growth_mib"] * per_mb, 1),
            # Seconds per MB at the large size over the small: 1 is linear, 4 quadratic.
            "growth": round((large["cpu_seconds"] / large["bytes"])
                            / max(small["cpu_seconds"] / small["bytes"], 1e-9), 2),
        }
    worst = max(shapes, key=lambda s: shapes[s]["seconds_per_mb"])
    from kg.config import ExtractSettings

    settings = ExtractSettings()
    return {"sizes": list(BENCH_SIZES), "shapes": shapes, "worst": worst,
            "typical": shapes[TYPICAL], "worst_shape": shapes[worst],
            "budget_seconds": settings.max_article_seconds,
            "size_limit_bytes": settings.max_article_bytes}


if __name__ == "__main__":
    print(json.dumps(_child([tuple(c) for c in json.loads(sys.argv[1])])))
