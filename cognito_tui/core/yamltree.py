"""A YAML node tree as plain values with the line of every key and item, bounded against hostile files.

Shared by the profile store and the sandbox's seed reader (neither may import the other, and core
may not import PyYAML): the caller composes the text (`yaml.compose`) and passes the root node and
a scalar constructor. Nodes are duck-typed as PyYAML's are: `.id` is "mapping", "sequence" or
"scalar", `.value`, `.tag` and `.start_mark.line`. Aliases are shared nodes; they are followed, but
the values they repeat are capped (billion laughs), an alias inside itself is refused, and a merge key
(`<<`) must name a mapping or a list of mappings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

Path = tuple[str | int, ...]  # a place in the document: ("profiles", 2, "region")
MERGE_TAG = "tag:yaml.org,2002:merge"
MAX_ALIAS_VALUES = 10_000  # values built again through aliases; a node's first build is free (bounded by file size)
MAX_DEPTH = 64


class TreeLimit(Exception):
    """The document is too big or too deep once aliases are followed; nothing of it is used."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # where the limit was crossed, for a file:line message


class Tree:
    """`data` (plain dicts, lists, scalars), `problems` as (path, message), and `line(path)`."""

    def __init__(
        self,
        root: Any,
        construct: Callable[[Any], Any],
        *,
        max_alias_values: int = MAX_ALIAS_VALUES,
        max_depth: int = MAX_DEPTH,
    ) -> None:
        self._construct = construct
        self._budget = max_alias_values
        self._built: set[int] = set()  # ids of nodes built once; building one again is alias expansion
        self._max_depth = max_depth
        self._active: set[int] = set()  # ids of the nodes being built: one met again is a recursive alias
        self._lines: dict[Path, int] = {(): _line(root)}
        self.problems: list[tuple[Path, str]] = []
        self.data = self._build(root, ())

    def line(self, path: Path) -> int | None:
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path)

    def _build(self, node: Any, path: Path) -> Any:
        if id(node) in self._built:
            self._budget -= 1
            if self._budget < 0:
                raise TreeLimit(
                    f"more than {MAX_ALIAS_VALUES} values repeated once its aliases (*name) are expanded; "
                    "write the values out",
                    _line(node),
                )
        self._built.add(id(node))
        if len(path) > self._max_depth:
            raise TreeLimit(f"nested more than {self._max_depth} levels deep (line {_line(node)})", _line(node))
        if id(node) in self._active:
            self.problems.append((path, "an alias refers to the mapping or list it is inside (a loop); remove it"))
            return None
        self._active.add(id(node))
        try:
            if node.id == "mapping":
                return self._mapping(node, path)
            if node.id == "sequence":
                return self._sequence(node, path)
            return self._scalar(node, path)
        finally:
            self._active.discard(id(node))

    def _pairs(self, node: Any, path: Path) -> list[tuple[Any, Any]]:
        """The mapping's (key node, value node) pairs, with `<<` merge keys resolved (own keys win)."""
        own, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag != MERGE_TAG:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if value_node.id == "sequence" else [value_node]
            for source in sources:
                if source.id != "mapping" or id(source) in self._active:
                    self._lines.setdefault(path + ("<<",), _line(key_node))
                    self.problems.append((path + ("<<",), "a merge key (<<) must name a mapping or a list of mappings"))
                    continue
                self._active.add(id(source))
                try:
                    merged += self._pairs(source, path)
                finally:
                    self._active.discard(id(source))
        seen = {k.value for k, _ in own if k.id == "scalar"}
        kept = []
        for k, v in merged:  # the first source naming a key wins, and the mapping's own keys win over all
            if k.id == "scalar" and k.value in seen:
                continue
            seen.add(k.value)
            kept.append((k, v))
        return kept + own

    def _mapping(self, node: Any, path: Path) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in self._pairs(node, path):
            key = self._build(key_node, path + ("?",)) if key_node.id == "scalar" else None
            where = path + (str(key),)
            if not isinstance(key, str):
                self._lines.setdefault(where, _line(key_node))
                self.problems.append((where, f"keys must be text, not {kind(key)}"))
                continue
            if key in out:
                self.problems.append((where, f"duplicate key {key!r} (also on line {self._lines[where]})"))
                self._lines[where] = _line(key_node)
                continue
            self._lines[where] = _line(key_node)
            out[key] = self._build(value_node, where)
        return out

    def _sequence(self, node: Any, path: Path) -> list[Any]:
        items = []
        for i, item in enumerate(node.value):
            self._lines[path + (i,)] = _line(item)
            items.append(self._build(item, path + (i,)))
        return items

    def _scalar(self, node: Any, path: Path) -> Any:
        try:
            return self._construct(node)
        except Exception as e:  # an unknown !!tag, a date like 2024-13-45: the constructor's own error
            problem = getattr(e, "problem", None) or str(e)
            self.problems.append((path, f"cannot read {str(node.value)[:40]!r}: {problem}; put the value in quotes"))
            return None


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def kind(value: Any) -> str:
    """A value's kind in a user's words, for messages ("a number (5)", "a list")."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, date):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def dotted(path: Path) -> str:
    """("profiles", 2, "region") -> "profiles[2].region"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
