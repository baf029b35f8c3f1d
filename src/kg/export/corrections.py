"""Analysts' corrections in the RDF export, as PROV-O activities (docs/review.md, *RDF*).

The exported values already are the corrected ones; these blocks say who corrected which node,
when, why and what the extractor had said, so partners can tell a checked fact from an
extracted one. Only applied corrections of exported nodes are written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kg.export.iris import Minter, Term, encode, lit, typed
from kg.export.terms import (
    CORRECTED_FIELD,
    CORRECTED_VALUE,
    CORRECTION_ACTION,
    CORRECTION_CLASS,
    CORRECTS,
    KG,
    ORIGINAL_VALUE,
    PROV_ACTIVITY,
    PROV_AGENT,
    PROV_ASSOCIATED_WITH,
    PROV_ENDED_AT,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    XSD_DATETIME,
)
from kg.export.writers import Block
from kg.ids import slug
from kg.schema import Label

if TYPE_CHECKING:
    import neo4j

# The label and type are kg.schema's ReviewLabel.CORRECTION and ReviewRelType.CORRECTS.
_APPLIED = (
    "MATCH (c:Correction {status: 'applied'})-[:CORRECTS]->(n) "
    "RETURN c.id AS id, c.analyst AS analyst, c.at AS at, c.note AS note, c.action AS action, "
    "c.field AS field, c.value AS value, c.original AS original, labels(n) AS labels, n.id AS node "
    "ORDER BY id, node"
)
_ID = KG + "id"


def correction_blocks(driver: neo4j.Driver, minter: Minter, *, database: str | None = None,
                      selection: Mapping[Label, Sequence[str]] | None = None) -> list[Block]:
    """One block per applied correction of an exported node, and one per analyst."""
    records, _, _ = driver.execute_query(_APPLIED, database_=database, routing_="r")
    chosen = {label: set(ids) for label, ids in selection.items()} if selection is not None else None
    activities: dict[str, list[tuple[str, Term]]] = {}
    analysts: dict[str, str] = {}
    for r in records:
        label = next((Label(x) for x in r["labels"] if x in Label.__members__.values()), None)
        if label is None or (chosen is not None and r["node"] not in chosen.get(label, set())):
            continue
        subject = f"{minter.base}correction/{encode(r['id'])}"
        pairs = activities.get(subject)
        if pairs is None:
            agent = f"{minter.base}analyst/{slug(r['analyst'])}"
            analysts[agent] = r["analyst"]
            pairs = activities[subject] = [
                (RDF_TYPE, CORRECTION_CLASS), (RDF_TYPE, PROV_ACTIVITY), (_ID, lit(r["id"])),
                (PROV_ASSOCIATED_WITH, agent), (PROV_ENDED_AT, typed(r["at"].iso_format(), XSD_DATETIME)),
                (CORRECTION_ACTION, lit(r["action"]))]
            for predicate, value in ((CORRECTED_FIELD, r["field"]), (CORRECTED_VALUE, r["value"]),
                                     (ORIGINAL_VALUE, r["original"]), (RDFS_COMMENT, r["note"])):
                if value not in (None, "", "null"):
                    pairs.append((predicate, lit(str(value))))
        pairs.append((CORRECTS, minter.node(label, r["node"])))
    blocks: list[Block] = [(None, subject, pairs) for subject, pairs in activities.items()]
    blocks += [(None, agent, [(RDF_TYPE, PROV_AGENT), (RDFS_LABEL, lit(name))])
               for agent, name in sorted(analysts.items())]
    return blocks
