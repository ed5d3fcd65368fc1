"""Top-level ``webhooks`` (OpenAPI 3.1+) ➜ event models and how ``client.webhooks`` tells them apart.

- Each webhook's request body (its JSON schema) is normalized like any schema, so its model
  lands in ``models.py``.
- When every event is a component ``$ref``, their ``oneOf`` goes through the union resolver
  under the name ``WebhookEvent``: a discriminator the spec declares or one it finds (a property
  each event pins to a constant, Polar's ``type``) makes a discriminated union alias, and
  ``Webhooks(event=WebhookEvent)`` decodes any delivery.
- Otherwise, when every event has a required string property ``type``/``event``/
  ``event_type``/``kind``, deliveries are dispatched by its value, read as the webhook's name
  (``Webhooks(events={name: Model}, discriminator=...)``); else the plain union ``A | B``.
- Signatures (Standard Webhooks) are always checked when the document (or an overlay)
  declares ``x-clientgen-webhooks: {signature: standard-webhooks}`` or
  ``x-speakeasy-webhooks: {security: {type: signature}}``; otherwise ``unwrap`` checks them
  when a secret is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import names
from ..ir import WebhookEvent, Webhooks
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .shapes import escape
from .shapes import COMPONENT_PREFIX

_METHODS = ("post", "put", "patch", "get", "delete")
_NAME_PROPERTIES = ("type", "event", "event_type", "kind")


def signed(document: Mapping[str, Any]) -> bool:
    own = document.get("x-clientgen-webhooks")
    if isinstance(own, dict) and own.get("signature") in ("standard-webhooks", True):
        return True
    speakeasy = document.get("x-speakeasy-webhooks")
    security = speakeasy.get("security") if isinstance(speakeasy, dict) else None
    return isinstance(security, dict) and security.get("type") == "signature"


def normalize_webhooks(
    resolver: RefResolver, schemas: SchemaNormalizer, warnings: list[str]
) -> Webhooks | None:
    document = resolver.document
    raw = document.get("webhooks")
    if not isinstance(raw, dict) or not raw:
        return None
    events: list[WebhookEvent] = []
    schemas_raw: list[Any] = []
    for name, item in raw.items():
        pointer = f"/webhooks/{escape(str(name))}"
        path_item = resolver.deref(item, pointer)
        if not isinstance(path_item, dict):
            continue
        method = next((m for m in _METHODS if isinstance(path_item.get(m), dict)), None)
        if method is None:
            continue
        op = path_item[method]
        where = f"{pointer}/{method}/requestBody"
        body = resolver.deref(op.get("requestBody"), where)
        content = body.get("content") if isinstance(body, dict) else None
        media_type = next(
            (m for m in content or {} if "json" in m.lower()), next(iter(content or {}), None)
        )
        if media_type is None or not isinstance(content, dict):
            warnings.append(f"{pointer}: a webhook without a request body; skipped")
            continue
        media = resolver.deref(content[media_type], f"{where}/content/{escape(media_type)}")
        schema = media.get("schema") if isinstance(media, dict) else None
        if not isinstance(schema, dict):
            warnings.append(f"{pointer}: a webhook body without a schema; skipped")
            continue
        hint = names.pascal(str(name), fallback="Webhook") + "Event"
        normalized = schemas.normalize(schema, hint, f"{where}/content/{escape(media_type)}/schema")
        events.append(
            WebhookEvent(
                name=str(name),
                model=schemas.annotation(normalized),
                summary=str(op.get("summary") or ""),
                description=str(op.get("description") or ""),
            )
        )
        schemas_raw.append(schema)
    if not events:
        return None
    event_type, discriminator = _union(schemas, events, schemas_raw)
    return Webhooks(
        events=tuple(events),
        event_type=event_type,
        discriminator=discriminator,
        signed=signed(document),
    )


def _union(
    schemas: SchemaNormalizer, events: list[WebhookEvent], raw: list[Any]
) -> tuple[str, str | None]:
    models = list(dict.fromkeys(e.model for e in events))
    if len(models) == 1:
        return models[0], None
    if all(isinstance(s, dict) and set(s) == {"$ref"} for s in raw):
        refs = list(dict.fromkeys(s["$ref"] for s in raw))
        union = schemas.normalize(
            {"oneOf": [{"$ref": r} for r in refs]}, "WebhookEvent", "/webhooks"
        )
        if schemas.resolve_model(union) is not None:  # hoisted: a discriminated alias
            return schemas.annotation(union), None
    for prop in _NAME_PROPERTIES:
        if all(_names_event(schemas, e.model, prop) for e in events):
            return " | ".join(models), prop
    return " | ".join(models), None


def _names_event(schemas: SchemaNormalizer, annotation: str, prop: str) -> bool:
    model = schemas.resolve_model({"$ref": COMPONENT_PREFIX + annotation})
    if model is None:
        return False
    sub = (model.get("properties") or {}).get(prop)
    return prop in model.get("required", []) and isinstance(sub, dict) and "string" in str(sub)


__all__ = ["normalize_webhooks", "signed"]
