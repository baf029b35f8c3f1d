"""A hostile input corpus, generated on disk (no binary blobs in the repository).

`build_corpus(root)` writes every file and returns what a correct ingest must do with
each: `loaded` (article ids that must reach the graph) and `failures` (locations, in the
`file`, `file:LINE` form `kg ingest` prints, that must fail once each).
"""

from __future__ import annotations

import codecs
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"
# Small, so the size-limit cases stay fast; every good article here is far below it.
MAX_ARTICLE_BYTES = 100_000

# A short report, varied per file so that every readable variant is its own article.
SHORT = ("Gunmen attacked a police checkpoint near Quetta on {day}, killing two officers, "
         "provincial officials said. No group has claimed the attack on the {what}.")


@dataclass
class Corpus:
    root: Path
    loaded: dict[str, Path] = field(default_factory=dict)  # article id -> file it came from
    failures: list[str] = field(default_factory=list)  # locations that must fail, once each
    readable: list[Path] = field(default_factory=list)  # files whose id is computed on read


def _example_lines(name: str, count: int) -> list[dict[str, object]]:
    lines = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:count]]


def build_corpus(root: Path) -> Corpus:
    """Write the corpus under `root`; file names sort in the order documented below."""
    root.mkdir(parents=True, exist_ok=True)
    c = Corpus(root)

    def bad(name: str, data: bytes, where: str = "") -> None:
        path = root / name
        path.write_bytes(data)
        c.failures.append(f"{path}{where}")

    def readable(name: str, data: bytes) -> None:
        path = root / name
        path.write_bytes(data)
        c.readable.append(path)

    # -- good articles taken from examples/articles ------------------------------------------
    ispr = "pakistan_ispr_north_waziristan_operation.txt"
    shutil.copy(EXAMPLES / ispr, root / "a_good_ispr.txt")
    shutil.copy(EXAMPLES / f"{ispr}.meta.json", root / "a_good_ispr.txt.meta.json")
    c.readable.append(root / "a_good_ispr.txt")
    # A JSONL file: two good lines from the example feed around one bad line.
    first, second = _example_lines("security_digest_feed.jsonl", 2)
    feed = root / "b_feed.jsonl"
    feed.write_text("\n".join([json.dumps(first), '{"title": "no text", ', json.dumps(second)]) + "\n",
                    encoding="utf-8")
    c.loaded[str(first["id"])] = feed
    c.loaded[str(second["id"])] = feed
    c.failures.append(f"{feed}:2")

    # -- readable despite their encoding: they must load ---------------------------------------
    readable("c_bom.txt", codecs.BOM_UTF8 + SHORT.format(day="Monday", what="Sariab road").encode())
    readable("c_utf16.txt", SHORT.format(day="Tuesday", what="bypass").encode("utf-16"))
    readable("c_cp1252.txt", SHORT.format(day="Wednesday", what="caf\u00e9 \u2019s road")
             .encode("cp1252"))
    # 0x81 is undefined in cp1252 and invalid in UTF-8: replaced with U+FFFD and a warning.
    readable("c_invalid_bytes.txt",
             SHORT.format(day="Thursday", what="market").encode().replace(b"market", b"mar\x81ket"))
    surrogate = {"id": "reliability-surrogates",
                 "title": "Lone \ud800 surrogate in a title",
                 "text": SHORT.format(day="Friday", what="lone \udc00 surrogate road")}
    path = root / "c_surrogates.json"
    # ensure_ascii keeps the lone surrogates as \ud800 escapes, as a broken feed would.
    path.write_text(json.dumps(surrogate), encoding="ascii")
    c.loaded["reliability-surrogates"] = path

    # -- bad: each must fail once, naming its file ---------------------------------------------
    bad("d_empty.txt", b"")
    bad("d_blank.txt", b"  \n\t\n   \r\n ")
    bad("d_binary.txt", bytes(range(256)) * 64)
    bad("d_nul.txt", SHORT.format(day="Saturday", what="x").encode().replace(b" ", b"\x00", 3))
    bad("e_invalid.json", b'{"title": "cut short", "text": "Gunmen attacked')
    bad("e_wrong_types.json", json.dumps({"title": ["a", "list"], "text": 42}).encode())
    bad("e_null_id.json", json.dumps({"id": None, "text": SHORT.format(day="Sunday", what="y")}).encode())
    bad("e_nan_id.json", json.dumps({"id": float("nan"), "text": SHORT.format(day="Sunday", what="u")}
                                    ).encode())
    # Duplicate keys: the last one wins (as in json.loads), and here it is not text.
    text = SHORT.format(day="Sunday", what="z")
    bad("e_duplicate_keys.json", f'{{"text": "{text}", "text": 5}}'.encode())
    deep = "[" * 10_000 + "]" * 10_000
    text = SHORT.format(day="Monday", what="w")
    bad("e_deep.json", f'{{"text": "{text}", "extra": {deep}}}'.encode())
    bad("f_scripts.html", b"<html><head><script>var a = 1;</script></head><body>"
        + b"<script>document.write('hi')</script>" * 50 + b"</body></html>")
    # Under the size and element limits, so the parser meets the nesting itself.
    bad("f_deep.html", b"<html><body>" + b"<div>" * 20_000 + b"<p>deep</p>" + b"</div>" * 20_000
        + b"</body></html>")
    # One line of 10 MB: refused while streaming, without holding it in memory.
    bad("g_long_line.jsonl", b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}\n', ":1")
    bad("g_too_big.txt", (SHORT.format(day="Monday", what="v") + "\n").encode() * 1000)
    return c
