"""Neo4j: the managed local server, connections, the loader and named queries."""
