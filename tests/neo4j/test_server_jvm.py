"""The JVM the session's server runs in lasts the whole suite (read through Neo4j's JMX)."""

from __future__ import annotations

import pytest
from neo4j import Driver

pytestmark = pytest.mark.neo4j

# The tiered JIT's default; kg's managed servers fix it (kg.neo4j.server._JVM_FLAGS).
TIERED_CODE_CACHE = 240 * 1024 * 1024


def test_the_code_cache_is_the_tiered_default_even_with_the_c1_only_jit(graph: Driver) -> None:
    # The test servers run C1 only for a faster start, which alone would give them 48 MB of
    # code cache: full after a few thousand tests, then a query failed with "Out of space in
    # CodeCache for adapters".
    with graph.session() as session:
        pools = session.run(
            "CALL dbms.queryJmx('java.lang:type=MemoryPool,*') YIELD name, attributes "
            "WHERE attributes.Type.value = 'NON_HEAP' "
            "AND (name CONTAINS 'name=CodeHeap' OR name CONTAINS 'name=CodeCache') "
            "RETURN name, attributes.Usage.value.properties.max AS max"
        ).data()
    assert pools, "no code cache pool in the server's JMX"
    assert sum(pool["max"] for pool in pools) >= TIERED_CODE_CACHE
