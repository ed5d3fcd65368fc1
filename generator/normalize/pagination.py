"""Paginated operations: which request parameter moves, and where the response says so.

Rules, the first that applies:

1. ``x-clientgen-pagination: false``: not paginated. ``x-clientgen-pagination: {...}`` with the
   runtime ``Paginator``'s own keys (``style``, ``items_path``, ``location``, ``offset_param``,
   ``page_param``, ``cursor_param``, ``limit_param``, ``default_limit``, ``next_cursor_path``,
   ``next_url_path``, ``has_more_path``, ``total_path``, ``first_page``), usable in an overlay.
2. ``x-speakeasy-pagination``: ``type: offsetLimit`` (an input of type ``offset`` ➜ offset,
   ``page`` ➜ page), ``cursor`` (``outputs.nextCursor``), ``url`` (``outputs.nextUrl``);
   ``inputs[].in``: ``parameters`` ➜ query, ``requestBody`` ➜ body; ``outputs.results`` ➜ items.
3. ``x-fern-pagination``: ``offset`` / ``cursor`` + ``next_cursor`` / ``next_uri`` / ``next_path``,
   ``results``, ``has-next-page``, ``step`` (the limit), with ``$request.x`` / ``$response.a.b``.
4. A 2xx response that documents a ``Link`` header (directly or by ``$ref``) and returns an
   array: ``link``.

The item type is read from the (normalized) result schema at the items path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from ..ir import Body, Pagination, Parameter
from .refs import RefResolver
from .schemas import SchemaNormalizer

_STYLES = ("offset", "page", "cursor", "next_url", "link")
_OVERLAY_KEYS = {f.name for f in fields(Pagination)} - {"item", "source"}
_LIMIT_NAMES = ("limit", "per_page", "page_size", "pageSize", "size", "count")
_SIMPLE_PATH = re.compile(r"^\$?(\.?[A-Za-z_][\w-]*)*$")


def _path(expression: Any, prefix: str = "$") -> str | None:
    """``$.data`` / ``$response.data`` / ``data`` ➜ ``data``; ``$`` ➜ ``$``; else None."""
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    for lead in ("$response.body#/", "$response.body.", "$response.", "$."):
        if text.startswith(lead):
            text = text[len(lead) :].replace("/", ".")
            break
    if text in ("$", "$response", "$response.body", ""):
        return "$"
    return text if _SIMPLE_PATH.match(text) and not text.startswith("$") else None


class PageDetector:
    def __init__(self, resolver: RefResolver, schemas: SchemaNormalizer) -> None:
        self._resolver = resolver
        self._schemas = schemas
        self.warnings: list[str] = []

    def detect(
        self,
        op: Mapping[str, Any],
        pointer: str,
        parameters: list[Parameter],
        body: Body | None,
        result: Mapping[str, Any] | None,
    ) -> Pagination | None:
        own = op.get("x-clientgen-pagination")
        if own is False:
            return None
        try:
            found = self._declared(op, pointer, parameters, body)
            if found is None and own is None and self._documents_link(op, pointer):
                found = {"style": "link", "items_path": "$", "limit_param": _limit(parameters)}
                found["source"] = "Link header"
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            self.warnings.append(f"{pointer}: pagination not understood ({exc}); not paginated")
            return None
        if found is None:
            return None
        item = self._item(result, str(found.get("items_path", "$")))
        if item is None:
            if found.get("source") != "Link header":
                self.warnings.append(
                    f"{pointer}: {found.get('source')}: no array at "
                    f"{found.get('items_path', '$')!r} in the result; not paginated"
                )
            return None
        return Pagination(item=item, **found)

    # -- declarations ------------------------------------------------------------------
    def _declared(
        self,
        op: Mapping[str, Any],
        pointer: str,
        parameters: list[Parameter],
        body: Body | None,
    ) -> dict[str, Any] | None:
        own = op.get("x-clientgen-pagination")
        if isinstance(own, dict):
            unknown = set(own) - _OVERLAY_KEYS
            if unknown or own.get("style") not in _STYLES:
                raise ValueError(f"x-clientgen-pagination: unknown keys or style {own!r}")
            return {**own, "source": "x-clientgen-pagination"}
        speakeasy = op.get("x-speakeasy-pagination")
        if isinstance(speakeasy, dict):
            return _speakeasy(speakeasy)
        fern = op.get("x-fern-pagination")
        if isinstance(fern, dict):
            return _fern(fern, parameters, body)
        return None

    def _documents_link(self, op: Mapping[str, Any], pointer: str) -> bool:
        responses = op.get("responses")
        for status, raw in (responses if isinstance(responses, dict) else {}).items():
            if not str(status).startswith("2"):
                continue
            response = self._resolver.deref(raw, f"{pointer}/responses/{status}")
            headers = response.get("headers") if isinstance(response, dict) else None
            if isinstance(headers, dict) and any(str(h).lower() == "link" for h in headers):
                return True
        return False

    # -- the item type -----------------------------------------------------------------
    def _item(self, result: Mapping[str, Any] | None, path: str) -> str | None:
        node: Mapping[str, Any] | None = result
        keys = [] if path == "$" else path.removeprefix("$.").split(".")
        for key in keys:
            node = self._property(node, key)
        node = self._object(node)
        if node is None or node.get("type") != "array":
            return None
        items = node.get("items")
        return self._schemas.annotation(items) if isinstance(items, dict) else "Any"

    def _object(self, node: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """A normalized schema with its model (and nullable ``X | None``) looked through."""
        for _ in range(8):
            if node is None:
                return None
            model = self._schemas.resolve_model(node)
            if model is not None:
                node = model
                continue
            branches = node.get("anyOf")
            if isinstance(branches, list):
                real = [b for b in branches if b.get("type") != "null"]
                if len(real) == 1:
                    node = real[0]
                    continue
            return node
        return node

    def _property(self, node: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
        node = self._object(node)
        if node is None:
            return None
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(props.get(key), dict):
            return props[key]  # type: ignore[no-any-return]
        for part in node.get("allOf") or []:
            found = self._property(part, key)
            if found is not None:
                return found
        return None


def _limit(parameters: list[Parameter]) -> str | None:
    query = {p.json_name for p in parameters if p.location == "query"}
    return next((n for n in _LIMIT_NAMES if n in query), None)


def _speakeasy(spec: dict[str, Any]) -> dict[str, Any] | None:
    kind = spec.get("type")
    inputs = [i for i in spec.get("inputs") or [] if isinstance(i, dict)]
    raw_outputs = spec.get("outputs")
    outputs: dict[str, Any] = raw_outputs if isinstance(raw_outputs, dict) else {}
    by_type = {str(i.get("type")): i for i in inputs}
    found: dict[str, Any] = {"source": "x-speakeasy-pagination"}
    items = _path(outputs.get("results", "$"))
    if items is None:
        raise ValueError(f"results path {outputs.get('results')!r} is not a dotted path")
    found["items_path"] = items
    locations = {"requestBody" if i.get("in") == "requestBody" else "query" for i in inputs}
    found["location"] = "body" if locations == {"requestBody"} else "query"
    found["limit_param"] = str(by_type["limit"]["name"]) if "limit" in by_type else None
    if kind == "offsetLimit":
        if "offset" in by_type:
            found.update(style="offset", offset_param=str(by_type["offset"]["name"]))
        elif "page" in by_type:
            found.update(style="page", page_param=str(by_type["page"]["name"]))
        else:
            raise ValueError("offsetLimit pagination without an offset or page input")
    elif kind == "cursor":
        cursor = _path(outputs.get("nextCursor"))
        if "cursor" not in by_type or cursor is None:
            raise ValueError("cursor pagination needs a cursor input and outputs.nextCursor")
        found.update(style="cursor", cursor_param=str(by_type["cursor"]["name"]))
        found["next_cursor_path"] = cursor
    elif kind == "url":
        url = _path(outputs.get("nextUrl"))
        if url is None:
            raise ValueError("url pagination needs outputs.nextUrl")
        found.update(style="next_url", next_url_path=url)
    else:
        raise ValueError(f"unknown x-speakeasy-pagination type {kind!r}")
    return found


def _request_name(
    expression: Any, parameters: list[Parameter], body: Body | None
) -> tuple[str, str]:
    """``$request.x`` / ``$request.body.x`` ➜ (JSON name, "query" or "body")."""
    text = str(expression or "").strip().removeprefix("$request.")
    if text.startswith("body."):
        return text[5:], "body"
    if any(p.json_name == text and p.location == "query" for p in parameters):
        return text, "query"
    if body is not None and any(f.json_name == text for f in body.fields):
        return text, "body"
    return text, "query"


def _fern(spec: dict[str, Any], parameters: list[Parameter], body: Body | None) -> dict[str, Any]:
    found: dict[str, Any] = {"source": "x-fern-pagination"}
    items = _path(spec.get("results", "$"))
    if items is None:
        raise ValueError(f"results {spec.get('results')!r} is not a dotted path")
    found["items_path"] = items
    has_more = _path(spec.get("has-next-page")) if spec.get("has-next-page") else None
    if has_more:
        found["has_more_path"] = has_more
    step = spec.get("step")
    found["limit_param"] = _request_name(step, parameters, body)[0] if step else _limit(parameters)
    if "offset" in spec:
        name, location = _request_name(spec["offset"], parameters, body)
        style = "page" if "page" in name.lower() else "offset"
        found.update(style=style, location=location, **{f"{style}_param": name})
    elif "cursor" in spec:
        name, location = _request_name(spec["cursor"], parameters, body)
        cursor = _path(spec.get("next_cursor"))
        if cursor is None:
            raise ValueError("cursor pagination needs next_cursor")
        found.update(style="cursor", location=location, cursor_param=name)
        found["next_cursor_path"] = cursor
    elif "next_uri" in spec or "next_path" in spec:
        url = _path(spec.get("next_uri") or spec.get("next_path"))
        if url is None:
            raise ValueError("next_uri/next_path is not a dotted path")
        found.update(style="next_url", next_url_path=url)
    else:
        raise ValueError("x-fern-pagination without offset, cursor or next_uri")
    return found


__all__ = ["PageDetector"]
