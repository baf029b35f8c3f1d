"""IRI minting and literal cleaning: no server needed."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import ExportError
from kg.export.iris import REPLACEMENT, Minter, clean, encode
from kg.schema import Label

BASE = "https://example.org/kg/"
HOSTILE = [
    "plain",
    "with space",
    'quote " and \' apostrophe',
    "<angle> & {brace} | ^ ` \\ backslash",
    "percent %41 already",
    "slash/and#hash?query",
    "العربية",
    "中文名字",
    "Ελληνικά",
    "tab\tnewline\ncarriage\r",
    "nul\x00 bell\x07 escape\x1b del\x7f",
    "lone surrogate \ud800 and \udfff",
    "noncharacters \ufffe \uffff",
    "emoji 🙂 and combining e\u0301",
    "",
]


def _parses_as_iri(iri: str) -> bool:
    """pyoxigraph validates IRIs strictly (RFC 3987)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("node_id", HOSTILE)
def test_node_iris_are_valid_ascii_iris(node_id: str) -> None:
    iri = Minter(BASE).node(Label.GROUP, node_id)
    assert iri.startswith(BASE + "group/")
    assert iri.isascii()
    assert not any(c in iri for c in ' <>"{}|^`\\\n\r\t\x00')
    assert _parses_as_iri(iri)


def test_node_iris_are_injective_and_stable() -> None:
    minter = Minter(BASE)
    iris = [minter.node(label, i) for label in Label for i in HOSTILE]
    assert len(set(iris)) == len(iris)
    # Another minter (another export) gives the same IRIs.
    assert iris == [Minter(BASE).node(label, i) for label in Label for i in HOSTILE]
    # Ids that differ only by what percent-encoding must keep apart stay apart.
    assert minter.node(Label.PLACE, "a b") != minter.node(Label.PLACE, "a%20b")
    assert minter.node(Label.PLACE, "x/geometry") != Minter.geometry(minter.node(Label.PLACE, "x"))


def test_readable_ids_stay_readable() -> None:
    minter = Minter(BASE)
    assert minter.node(Label.GROUP, "group:baloch-liberation-army") == (
        BASE + "group/group:baloch-liberation-army")
    assert minter.node(Label.ARTICLE, "3f2a9c0d1e2b4a5c") == BASE + "article/3f2a9c0d1e2b4a5c"
    assert encode("place:ك") == "place:%D9%83"


def test_statement_and_evidence_iris_follow_the_relationship_identity() -> None:
    minter = Minter(BASE)
    group, event = (Label.GROUP, "group:a"), (Label.EVENT, "event:1")
    one = minter.statement("PERPETRATED", group, event, "")
    assert one == minter.statement("PERPETRATED", group, event, "")
    assert one != minter.statement("PERPETRATED", group, event, '{"role": "x"}')
    assert one != minter.statement("CLAIMED_RESPONSIBILITY", group, event, "")
    # The label is part of the identity: an Article and a Group may share an id.
    assert one != minter.statement("PERPETRATED", (Label.ORGANISATION, "group:a"), event, "")
    entry = minter.evidence(one, "article-1", 3, 10, "a sentence")
    assert entry.startswith(one + "/evidence/") and _parses_as_iri(entry)
    assert entry != minter.evidence(one, "article-1", 3, 11, "a sentence")


@pytest.mark.parametrize("base", ["https://example.org/kg/", "http://example.org/data#",
                                  "urn:example:kg:"])
def test_good_base_iris(base: str) -> None:
    iri = Minter(base).node(Label.PLACE, "place:x y")
    assert _parses_as_iri(iri)


@pytest.mark.parametrize(("base", "reason"), [
    ("example.org/kg/", "absolute"),
    ("https://example.org/k g/", "absolute"),
    ("https://example.org/<kg>/", "absolute"),
    ("https://example.org/kg", "must end"),
    ("https://exämple.org/kg/", "ASCII"),
    ("kg:data/", "prefixes"),
])
def test_bad_base_iris_are_refused_with_a_reason(base: str, reason: str) -> None:
    with pytest.raises(ExportError, match=reason):
        Minter(base)


def test_clean_replaces_what_no_format_can_carry_one_for_one() -> None:
    text = "a\x00b\x08c\td\ne\rf\x1fg\ud800h\ufffei\x7fj\x85k"
    cleaned = clean(text)
    assert len(cleaned) == len(text)  # offsets into the text stay valid
    assert cleaned == (f"a{REPLACEMENT}b{REPLACEMENT}c\td\ne\rf{REPLACEMENT}g{REPLACEMENT}h"
                       f"{REPLACEMENT}i\x7fj\x85k")
    assert clean("nothing to do") == "nothing to do"
