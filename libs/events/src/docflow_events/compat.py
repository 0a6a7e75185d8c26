"""Is a new JSON Schema of an event backward compatible with the committed one?

The contract between teams: data valid under the old schema must stay valid under the new one,
and no property may disappear. So a removed property, a changed or narrowed type (a type taken
out of a union, an enum value dropped, a tighter bound or pattern), a new required property and
an optional property becoming required are incompatible. Adding an optional property, widening a
union, adding an enum value and changing descriptions, defaults or titles are compatible.

Schemas are those pydantic v2 writes: local ``$ref`` into ``$defs``, ``anyOf``/``oneOf`` for
unions, ``enum``/``const`` for literals, ``items``/``prefixItems`` for arrays and
``additionalProperties`` for dicts.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any] | bool
Node = dict[str, Any]

#: Bounds that reject more values when they grow (lower) or shrink (upper).
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
#: Keywords whose values cannot be ordered: any new or different value may reject old data.
_EXACT = ("pattern", "format", "multipleOf")
_UNIONS = ("anyOf", "oneOf")
_MAX_HOPS = 64


@dataclass(frozen=True)
class Incompatibility:
    """One reason a new schema breaks the old contract.

    ``path`` points into the data, JSON-pointer style: ``/content/sha256`` for a property,
    ``[]`` for the items of an array, ``{}`` for the values of a dict, an index for a tuple
    position, and ``""`` for the whole event.
    """

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.reason}"


@dataclass(frozen=True)
class _Side:
    """One schema document; its ``$ref`` pointers resolve inside it."""

    root: Node

    def resolve(self, node: Node) -> Node:
        for _ in range(_MAX_HOPS):
            if "$ref" in node:
                node = self._lookup(node["$ref"])
            elif _single_all_of(node):
                node = node["allOf"][0]
            else:
                return node
        raise ValueError(f"$ref chain longer than {_MAX_HOPS} hops (a cycle?)")

    def _lookup(self, ref: str) -> Node:
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        target: Any = self.root
        for token in filter(None, ref[1:].split("/")):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        if not isinstance(target, dict):
            raise ValueError(f"$ref {ref!r} does not point at a schema")
        return target


@dataclass
class _Walk:
    old: _Side
    new: _Side
    # Pairs being compared further up the stack: meeting one again means a recursive schema,
    # and assuming it compatible there is sound because every other path is still checked.
    active: set[tuple[str, object, object]] = field(default_factory=set)


def incompatibilities(old: Node, new: Node) -> list[Incompatibility]:
    """Every way ``new`` breaks readers and writers built on ``old``; empty when compatible."""
    walk = _Walk(_Side(old), _Side(new))
    return _compare(walk, old, new, "")


def _compare(walk: _Walk, old: Schema, new: Schema, path: str) -> list[Incompatibility]:
    if old is False or new is True:
        return []
    if new is False:
        return [Incompatibility(path, "no value is accepted any more")]
    old_node, new_node = _as_node(old), _as_node(new)
    key = ("schema", _identity(old_node), _identity(new_node))
    return _once(walk, key, lambda: _compare_schemas(walk, old_node, new_node, path))


def _compare_schemas(walk: _Walk, old: Node, new: Node, path: str) -> list[Incompatibility]:
    old_branches = list(_branches(walk.old, old))
    return _compare_unions(walk, old_branches, list(_branches(walk.new, new)), path)


def _once(
    walk: _Walk, key: tuple[str, object, object], compare: Callable[[], list[Incompatibility]]
) -> list[Incompatibility]:
    """Run ``compare`` unless the same pair is already being compared further up the stack."""
    if key in walk.active:
        return []
    walk.active.add(key)
    try:
        return compare()
    finally:
        walk.active.discard(key)


def _compare_unions(
    walk: _Walk, old: list[Node], new: list[Node], path: str
) -> list[Incompatibility]:
    if any(_type_of(branch) is None for branch in new):
        return []
    problems: list[Incompatibility] = []
    for branch in old:
        problems += _match_branch(walk, branch, new, path)
    return problems


def _match_branch(
    walk: _Walk, old: Node, candidates: list[Node], path: str
) -> list[Incompatibility]:
    """An old branch is fine when some new branch of an accepting type takes all its values."""
    allowed = sorted({str(_type_of(c)) for c in candidates})
    old_type = _type_of(old)
    if old_type is None:
        return [Incompatibility(path, f"any value was accepted, now only {_names(allowed)}")]
    same = [c for c in candidates if _accepts(_type_of(c), old_type)]
    if not same:
        reason = f"type {old_type!r} is no longer accepted (now {_names(allowed)})"
        return [Incompatibility(path, reason)]
    return min((_compare_typed(walk, old, c, path) for c in same), key=len)


def _compare_typed(walk: _Walk, old: Node, new: Node, path: str) -> list[Incompatibility]:
    # Guarding resolved nodes too reports a recursive type once, not once more per level.
    return _once(walk, ("typed", id(old), id(new)), lambda: _compare_shapes(walk, old, new, path))


def _compare_shapes(walk: _Walk, old: Node, new: Node, path: str) -> list[Incompatibility]:
    problems = _compare_enum(old, new, path) + _compare_bounds(old, new, path)
    if old["type"] == "object":
        problems += _compare_object(walk, old, new, path)
    elif old["type"] == "array":
        problems += _compare_array(walk, old, new, path)
    return problems


def _compare_enum(old: Node, new: Node, path: str) -> list[Incompatibility]:
    if "enum" not in new:
        return []
    if "enum" not in old:
        return [Incompatibility(path, f"narrowed to the values {new['enum']!r}")]
    removed = [value for value in old["enum"] if value not in new["enum"]]
    if not removed:
        return []
    return [Incompatibility(path, f"values no longer accepted: {removed!r}")]


def _compare_bounds(old: Node, new: Node, path: str) -> list[Incompatibility]:
    problems = []
    for key in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_EXACT):
        if key in new and _narrows(key, old.get(key), new[key]):
            was = f"was {old[key]!r}" if key in old else "was unset"
            problems.append(Incompatibility(path, f"{key} narrowed to {new[key]!r} ({was})"))
    if new.get("uniqueItems") and not old.get("uniqueItems"):
        problems.append(Incompatibility(path, "items must now be unique"))
    return problems


def _narrows(key: str, old: Any, new: Any) -> bool:
    if old is None:
        return True
    if key in _LOWER_BOUNDS:
        return bool(new > old)
    if key in _UPPER_BOUNDS:
        return bool(new < old)
    return bool(new != old)


def _compare_object(walk: _Walk, old: Node, new: Node, path: str) -> list[Incompatibility]:
    old_props: Node = old.get("properties", {})
    new_props: Node = new.get("properties", {})
    problems: list[Incompatibility] = []
    for name in sorted(old_props):
        child = _child(path, name)
        if name not in new_props:
            problems.append(Incompatibility(child, "property removed"))
        else:
            problems += _compare(walk, old_props[name], new_props[name], child)
    problems += _newly_required(old, new, path)
    return problems + _compare(walk, _extra(old), _extra(new), _child(path, "{}"))


def _extra(node: Node) -> Schema:
    """What undeclared properties may hold; an object that does not say accepts anything."""
    extra: Schema = node.get("additionalProperties", True)
    return extra


def _newly_required(old: Node, new: Node, path: str) -> list[Incompatibility]:
    """Old data may lack what was optional or unknown, so neither may become required."""
    old_required = set(old.get("required", ()))
    problems = []
    for name in sorted(set(new.get("required", ())) - old_required):
        known = name in old.get("properties", {})
        reason = "optional property became required" if known else "new required property"
        problems.append(Incompatibility(_child(path, name), reason))
    return problems


def _compare_array(walk: _Walk, old: Node, new: Node, path: str) -> list[Incompatibility]:
    old_prefix: list[Schema] = old.get("prefixItems", [])
    new_prefix: list[Schema] = new.get("prefixItems", [])
    old_rest, new_rest = old.get("items", True), new.get("items", True)
    problems: list[Incompatibility] = []
    for index in range(max(len(old_prefix), len(new_prefix))):
        old_item = old_prefix[index] if index < len(old_prefix) else old_rest
        new_item = new_prefix[index] if index < len(new_prefix) else new_rest
        problems += _compare(walk, old_item, new_item, _child(path, str(index)))
    return problems + _compare(walk, old_rest, new_rest, _child(path, "[]"))


def _branches(side: _Side, node: Node) -> Iterator[Node]:
    """The alternatives a schema accepts, each resolved and of at most one JSON type."""
    resolved = side.resolve(node)
    unions = [key for key in _UNIONS if key in resolved]
    if not unions:
        yield from _split_types(resolved)
        return
    for key in unions:
        for branch in resolved[key]:
            # A ``false`` branch accepts nothing, so it adds nothing to the union.
            if branch is not False:
                yield from _branches(side, _as_node(branch))


def _split_types(node: Node) -> list[Node]:
    """``{"type": ["string", "null"]}`` and mixed enums become one branch per type."""
    types = _declared_types(node)
    if types == [node.get("type")] and "const" not in node:
        return [node]  # unchanged, so a recursive definition keeps its identity
    return [_narrow_to(node, json_type) for json_type in types] or [node]


def _declared_types(node: Node) -> list[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    values = _enum_values(node)
    if values is not None:
        return sorted({_json_type(value) for value in values})
    if "properties" in node or "additionalProperties" in node:
        return ["object"]
    if "items" in node or "prefixItems" in node:
        return ["array"]
    return []


def _narrow_to(node: Node, json_type: str) -> Node:
    narrowed = {key: value for key, value in node.items() if key != "const"}
    narrowed["type"] = json_type
    values = _enum_values(node)
    if values is not None:
        narrowed["enum"] = [v for v in values if _accepts(json_type, _json_type(v))]
    return narrowed


def _enum_values(node: Node) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return list(values) if values is not None else None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), "object")


def _accepts(new_type: str | None, old_type: str) -> bool:
    """Every integer is a number, so a number accepts what an integer accepted."""
    return new_type == old_type or (new_type == "number" and old_type == "integer")


def _type_of(node: Node) -> str | None:
    json_type = node.get("type")
    return json_type if isinstance(json_type, str) else None


def _single_all_of(node: Node) -> bool:
    """Older pydantic wrapped a described ``$ref`` as ``allOf: [{"$ref": ...}]``."""
    all_of = node.get("allOf")
    return isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict)


def _as_node(schema: Schema) -> Node:
    """``true`` accepts anything, like ``{}``; callers deal with ``false`` first."""
    return schema if isinstance(schema, dict) else {}


def _identity(node: Node) -> object:
    # Inline schemas are identified by object: they stay alive while they are on the stack.
    return node.get("$ref", id(node))


def _child(path: str, name: str) -> str:
    return f"{path}/{name.replace('~', '~0').replace('/', '~1')}"


def _names(types: list[str]) -> str:
    return ", ".join(repr(t) for t in types) or "nothing"
