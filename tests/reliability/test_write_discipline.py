"""Static checks on every module under src/kg: how queries reach Neo4j, and how they are built.

Rule (a), managed writes only. Writes go through managed transactions
(`session.execute_write(work)`), which the driver retries on transient errors and which the
loader's lock serialises. So these are forbidden everywhere in src/kg:

- `session.run(...)` (auto-commit; a "session" is any receiver whose name contains "session",
  or a name bound from a call to something named `*session*`, as in
  `with driver.session() as s`),
- `X.execute_query(...)` (auto-commit through the driver),
- `X.begin_transaction(...)` (an unmanaged explicit transaction),

unless the call is marked read-only: a `# read-only` comment on one of its lines or the line
just above it, or, for `execute_query`, `routing_=RoutingControl.READ` (or `"r"`), with which
the server itself refuses writes (Neo.ClientError.Statement.AccessMode).
`tx.run(...)` is allowed: a `tx` is only handed out inside managed transactions.

Rule (b), no query text built from values. The query argument (first positional, or
`query=`) of every `.run(`, `._run(` and `.execute_query(` call (the Neo4j ones and the
modules' thin wrappers around them; `subprocess.run` and `asyncio.run` are not queries) must
not be built with an f-string, `+`, `%` or `.format(`. A name passed as the query is followed
to its assignments in the enclosing functions, then the module, and those are checked too
(and so are `for` loops over a module constant of queries). The one exception: the values
interpolated are module-level constants built from kg.schema enums, allowed by name in
`ALLOWED_INTERPOLATIONS` (empty today: the loader and exporter fill labels in with
`kg.neo4j.statements.fill`, which accepts only `Label`/`RelType` members, and data travels
as parameters).

Function parameters cannot be followed statically; their callers are checked instead, which
is why the wrappers' call sites (`self.run(...)`, `self._run(...)`) fall under rule (b).
The checker is itself tested on small bad and good modules, so it is known to fail.
Files listed in `EXEMPT` (with the reason) are skipped.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "kg"
MARKER = "# read-only"
# module (dotted, under kg) -> names of module-level constants, built from kg.schema enums,
# that may be interpolated into query text.
ALLOWED_INTERPOLATIONS: dict[str, frozenset[str]] = {}
# Files (relative to src/) not checked, with why.
EXEMPT: dict[str, str] = {
    # Developer benchmarks (moved from tests/ into kg.dev): they fill a throw-away server with
    # a synthetic graph, by label from their own fixed pools, and never touch an analyst's data.
    "kg/dev/bench/export_rate.py": "benchmark: builds a synthetic graph in a throw-away server",
    "kg/dev/bench/load_rate.py": "benchmark: empties and counts a throw-away server around a load",
}
QUERY_METHODS = frozenset({"run", "_run", "execute_query"})
NOT_QUERIES = frozenset({"subprocess", "asyncio"})  # `.run` receivers that run no Cypher
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: rule {self.rule}: {self.detail}"


def _terminal_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _terminal_name(node.func)
    return None


class _Checker:
    def __init__(self, source: str, file: str, allowed: frozenset[str]) -> None:
        self.tree = ast.parse(source)
        self.file = file
        self.allowed = allowed
        self.marked = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                       if tok.type == tokenize.COMMENT and MARKER in tok.string}
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.session_names = self._session_names()
        self.violations: list[Violation] = []
        self.query_calls = 0

    # -- helpers ---------------------------------------------------------------------------

    def _session_names(self) -> set[str]:
        """Names bound from calls to `*session*` (`with driver.session() as s`, `s = ...`)."""
        names: set[str] = set()

        def from_session(value: ast.expr | None) -> bool:
            return isinstance(value, ast.Call) and "session" in (_terminal_name(value.func) or "").lower()

        for node in ast.walk(self.tree):
            if isinstance(node, ast.withitem) and from_session(node.context_expr) \
                    and isinstance(node.optional_vars, ast.Name):
                names.add(node.optional_vars.id)
            elif isinstance(node, ast.Assign) and from_session(node.value):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return names

    def _is_session(self, receiver: ast.expr) -> bool:
        name = _terminal_name(receiver) or ""
        return "session" in name.lower() or (isinstance(receiver, ast.Name) and receiver.id in self.session_names)

    def _is_marked(self, call: ast.Call) -> bool:
        end = call.end_lineno or call.lineno
        return any(line in self.marked for line in range(call.lineno - 1, end + 1))

    def _scopes(self, node: ast.AST) -> Iterator[ast.AST]:
        """The enclosing functions, innermost first, then the module."""
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield current
            current = self.parents.get(current)
        yield self.tree

    def _own_nodes(self, scope: ast.AST) -> Iterator[ast.AST]:
        """Nodes of `scope`, not of the functions nested in it."""
        for child in ast.iter_child_nodes(scope):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
                yield child
                yield from self._own_nodes(child)
            elif isinstance(child, ast.ClassDef):
                yield from self._own_nodes(child)

    def _bindings(self, name: str, at: ast.AST) -> list[ast.expr]:
        """What `name` is assigned (or iterated from) in the nearest scope that binds it."""
        for scope in self._scopes(at):
            found: list[ast.expr] = []
            for node in self._own_nodes(scope):
                targets: list[ast.expr] = []
                value: ast.expr | None = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                    targets, value = [node.target], node.value
                if value is not None and any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    found.append(value)
                elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == name:
                    found.append(node.iter)
            if found:
                return found
        return []

    # -- rule (b): how query text is built -------------------------------------------------

    def _interpolated_ok(self, value: ast.expr) -> bool:
        """A value pasted into query text: a string constant or an allowed schema constant."""
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return True
        return isinstance(value, ast.Name) and value.id in self.allowed

    def _built(self, expr: ast.expr, at: ast.AST, depth: int = 0) -> str | None:
        """Why `expr`, used as query text, is built from values; None when it is not."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.JoinedStr):
            pasted = [v.value for v in expr.values if isinstance(v, ast.FormattedValue)]
            if not all(self._interpolated_ok(v) for v in pasted):
                return "query text is an f-string"
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
            leaves = [expr.left, expr.right]
            if isinstance(expr.op, ast.Mod) and isinstance(expr.right, ast.Tuple | ast.Dict):
                leaves = [expr.left, *(v for v in (expr.right.elts if isinstance(expr.right, ast.Tuple)
                                                   else expr.right.values) if v is not None)]
            for leaf in leaves:
                if isinstance(leaf, ast.BinOp | ast.JoinedStr | ast.Call):
                    why = self._built(leaf, at, depth + 1)
                    if why or isinstance(leaf, ast.Call):
                        return why or f"query text built with {'+' if isinstance(expr.op, ast.Add) else '%'}"
                elif not self._interpolated_ok(leaf):
                    return f"query text built with {'+' if isinstance(expr.op, ast.Add) else '%'}"
            return None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
            values = [*expr.args, *(k.value for k in expr.keywords)]
            if not all(self._interpolated_ok(v) for v in values):
                return "query text built with .format()"
            return None
        if isinstance(expr, ast.Name):
            for bound in self._bindings(expr.id, at):
                why = self._built(bound, at, depth + 1)
                if why:
                    return f"{why} (via {expr.id!r})"
            return None
        if isinstance(expr, ast.IfExp):
            return self._built(expr.body, at, depth + 1) or self._built(expr.orelse, at, depth + 1)
        if isinstance(expr, ast.Tuple | ast.List | ast.Set):
            for element in expr.elts:
                why = self._built(element, at, depth + 1)
                if why:
                    return why
        return None

    # -- the walk --------------------------------------------------------------------------

    def check(self) -> list[Violation]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                self._call(node, node.func.attr, node.func.value)
        return self.violations

    def _flag(self, node: ast.AST, rule: str, detail: str) -> None:
        self.violations.append(Violation(self.file, getattr(node, "lineno", 0), rule, detail))

    def _call(self, call: ast.Call, method: str, receiver: ast.expr) -> None:
        # Rule (a).
        if method == "run" and self._is_session(receiver) and not self._is_marked(call):
            self._flag(call, "a", "session.run() outside a managed transaction (use execute_read/"
                       f"execute_write, or mark it '{MARKER}')")
        if method == "begin_transaction" and not self._is_marked(call):
            self._flag(call, "a", f"unmanaged transaction (use execute_read/execute_write, or mark it '{MARKER}')")
        if method == "execute_query" and not self._is_marked(call) and not _read_routed(call):
            self._flag(call, "a", "driver.execute_query() may write outside a managed transaction "
                       f"(route it READ, use execute_write, or mark it '{MARKER}')")
        # Rule (b).
        if method not in QUERY_METHODS or _terminal_name(receiver) in NOT_QUERIES:
            return
        query = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg in ("query", "query_")), None)
        if query is None:
            return
        self.query_calls += 1
        why = self._built(query, call)
        if why:
            self._flag(call, "b", why)


def _read_routed(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "routing_":
            value = keyword.value
            if isinstance(value, ast.Attribute) and value.attr == "READ":
                return True
            if isinstance(value, ast.Constant) and value.value == "r":
                return True
    return False


def check_source(source: str, file: str = "<module>", allowed: frozenset[str] = frozenset()
                 ) -> tuple[list[Violation], int]:
    """The violations in one module's source, and how many query calls were checked."""
    checker = _Checker(source, file, allowed)
    return checker.check(), checker.query_calls


# -- the checker on examples: it must be able to fail -----------------------------------------

BAD = {
    "session.run": 'def f(driver):\n    with driver.session() as session:\n        session.run("CREATE (n)")\n',
    "session by another name": 'def f(driver):\n    with driver.session() as s:\n        s.run("CREATE (n)")\n',
    "session from a call": 'def f(driver):\n    driver.session().run("MATCH (n) DELETE n")\n',
    "execute_query": 'def f(driver):\n    driver.execute_query("MATCH (n) DETACH DELETE n")\n',
    "execute_query routed to write": (
        'def f(driver):\n    driver.execute_query("CREATE (n)", routing_=RoutingControl.WRITE)\n'),
    "begin_transaction": 'def f(session):\n    tx = session.begin_transaction()\n',
    "f-string": 'def f(tx, label):\n    tx.run(f"MATCH (n:{label}) RETURN n")\n',
    "concatenation": 'def f(tx, label):\n    tx.run("MATCH (n:" + label + ") RETURN n")\n',
    "percent": 'def f(tx, label):\n    tx.run("MATCH (n:%s) RETURN n" % label)\n',
    "percent tuple": 'def f(tx, a, b):\n    tx.run("MATCH (n:%s {id: %s})" % (a, b))\n',
    "format": 'def f(tx, label):\n    tx.run("MATCH (n:{}) RETURN n".format(label))\n',
    "via a local": 'def f(tx, label):\n    query = f"MATCH (n:{label})"\n    tx.run(query)\n',
    "via a module constant": 'Q = "MATCH (n:" + LABEL + ")"\ndef f(tx):\n    tx.run(Q)\n',
    "via a loop over constants": 'QS = (f"MATCH (n:{L})",)\ndef f(tx):\n    for q in QS:\n        tx.run(q)\n',
    "a wrapper's call site": 'class W:\n    def g(self, label):\n        self.run(f"MATCH (n:{label})")\n',
    "execute_query keyword": 'def f(driver, x):\n    driver.execute_query(query_="RETURN " + x, routing_="r")\n',
    "conditional": 'def f(tx, x, y):\n    tx.run("RETURN 1" if y else f"RETURN {x}")\n',
}
GOOD = {
    "parameters": 'def f(tx, label):\n    tx.run("MATCH (n {id: $id}) RETURN n", id=label)\n',
    "a constant": 'Q = "MATCH (n) RETURN n"\ndef f(tx):\n    tx.run(Q)\n',
    "implicit concatenation": 'Q = ("MATCH (n) "\n     "RETURN n")\ndef f(tx):\n    tx.run(Q)\n',
    "a marked session.run": 'def f(session):\n    session.run("MATCH (n) RETURN n")  # read-only\n',
    "a marked line above": 'def f(driver):\n    # read-only: a count\n    driver.execute_query("MATCH (n) RETURN count(n)")\n',
    "read routing": 'def f(driver):\n    driver.execute_query("MATCH (n) RETURN n", routing_=RoutingControl.READ)\n',
    "subprocess": 'import subprocess\ndef f(x):\n    subprocess.run(["echo", f"{x}"] + ["y"])\n',
    "an allowed schema constant": 'ARTICLE = Label.ARTICLE.value\ndef f(tx):\n    tx.run(f"MATCH (n:{ARTICLE}) RETURN n")\n',
    "a managed write": 'def f(session):\n    session.execute_write(lambda tx: tx.run("CREATE (n)").consume())\n',
    "another scope's f-string": 'def f(tx, x):\n    query = f"{x}"\ndef g(tx):\n    query = "RETURN 1"\n    tx.run(query)\n',
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_checker_catches(name: str) -> None:
    violations, _ = check_source(BAD[name], name, allowed=frozenset({"ARTICLE"}))
    assert len(violations) == 1, (name, [str(v) for v in violations])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_the_checker_lets_pass(name: str) -> None:
    violations, _ = check_source(GOOD[name], name, allowed=frozenset({"ARTICLE"}))
    assert violations == [], [str(v) for v in violations]


# -- the real code ----------------------------------------------------------------------------


def test_src_kg_writes_only_in_managed_transactions_and_builds_no_query_from_values() -> None:
    violations: list[str] = []
    checked = 0
    modules = sorted(SRC.rglob("*.py"))
    assert len(modules) > 30  # the walk found the package
    for path in modules:
        if path.relative_to(SRC.parent).as_posix() in EXEMPT:
            continue
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        found, calls = check_source(path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)),
                                    ALLOWED_INTERPOLATIONS.get(module, frozenset()))
        violations += map(str, found)
        checked += calls
    assert violations == []
    assert checked > 30  # the loader, queries and exporter calls were all seen
