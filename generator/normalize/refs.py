"""Local ``$ref`` lookup inside one (already bundled) document."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ..errors import SpecError

_MAX_HOPS = 64


class RefResolver:
    """Resolves ``#/...`` JSON pointers; the loader has already refused remote refs."""

    def __init__(self, document: dict[str, Any], file: str) -> None:
        self.document = document
        self._file = file

    def resolve(self, ref: str, where: str) -> Any:
        """The node ``ref`` points at, following chains of refs (cycles are errors)."""
        seen: set[str] = set()
        node: Any = {"$ref": ref}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or len(seen) > _MAX_HOPS:
                raise SpecError(
                    self._file, where, f"$ref cycle through {ref!r} never reaches a schema"
                )
            seen.add(ref)
            node = self._lookup(ref, where)
        return node

    def deref(self, node: Any, where: str) -> Any:
        """``node`` itself, or what it refers to when it is a ``$ref``."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return self.resolve(node["$ref"], where)
        return node

    def _lookup(self, ref: str, where: str) -> Any:
        if not ref.startswith("#"):
            raise SpecError(self._file, where, f"only local $refs are supported here, got {ref!r}")
        node: Any = self.document
        for raw in unquote(ref[1:]).split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise SpecError(self._file, where, f"$ref target {ref!r} does not exist")
        return node
