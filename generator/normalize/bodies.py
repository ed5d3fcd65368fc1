"""Request bodies: the media type a method sends by default, its arguments, and the others
the caller may choose (``content_type=``) with the spec's ``encoding`` where it is simple."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import names
from ..ir import Body, BodyEncoding, BodyField, MediaChoice
from .examples import example_of, raw_properties, raw_required
from .media import encoding_of, fits, pick_media_type
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .shapes import escape

__all__ = ["BodyReader"]

_FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


class BodyReader:
    def __init__(self, resolver: RefResolver, schemas: SchemaNormalizer) -> None:
        self._resolver = resolver
        self._schemas = schemas

    def read(
        self, op: Mapping[str, Any], pointer: str, base: str, scope: names.Scope
    ) -> Body | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        where = pointer + "/requestBody"
        request_body = self._resolver.deref(raw, where)
        content = self.content(request_body, where)
        if not isinstance(content, dict) or not content:
            return None
        media_type, encoding = pick_media_type(content)
        media = self.media(content[media_type], f"{where}/content/{escape(media_type)}")
        if encoding == "binary":
            schema: dict[str, Any] = {"type": "string", "format": "binary"}
        elif encoding == "text":
            schema = {"type": "string"}  # text/plain, text/csv: sent as it is, from a str
        else:
            schema = self._schemas.normalize(
                media.get("schema") or {},
                base + "Request",
                f"{where}/content/{escape(media_type)}/schema",
            )
        required = bool(request_body.get("required"))
        description = str(request_body.get("description") or "")
        model_schema = self._schemas.resolve_model(schema)
        annotation = self._schemas.annotation(schema, loose_models=True)
        if model_schema is None or "properties" not in model_schema or encoding == "binary":
            strict = self._schemas.annotation(schema)
            checked = None if encoding == "binary" or strict in ("Any", "bytes") else strict
            shape = "str" if strict == "str" else "bytes" if encoding == "binary" else "value"
            choices = self._choices(content, media_type, media, shape, where)
            return Body(
                media_type,
                encoding,
                annotation,
                required,
                description=description,
                checked=checked,
                **_choice(choices, scope),
            )
        properties = raw_properties(self._resolver, media.get("schema"), where)
        marks = model_schema["properties"]  # the readOnly/writeOnly marks, however spelled
        # the shared model leaves writeOnly fields optional (responses lack them); a request
        # that builds the body must still have them
        model_required = set(model_schema.get("required", [])) | {
            prop
            for prop in raw_required(self._resolver, media.get("schema"), where)
            if marks.get(prop, {}).get("writeOnly") is True
        }
        fields = tuple(
            BodyField(
                name=scope.claim(names.argument(prop, fallback="field")),
                json_name=prop,
                annotation=self._schemas.annotation(sub, loose_models=True),
                required=prop in model_required,
                description=str(sub.get("description") or ""),
                example=example_of({}, properties.get(prop)),
            )
            for prop, sub in model_schema["properties"].items()
            if not sub.get("readOnly")  # the server's to set: never a request argument
        )
        fields = tuple(sorted(fields, key=lambda f: not f.required))
        files = encoding == "multipart" and any("bytes" in f.annotation for f in fields)
        choices = self._choices(content, media_type, media, "files" if files else "fields", where)
        return Body(
            media_type,
            encoding,
            annotation,
            required,
            model=schema["$ref"].rsplit("/", 1)[1],
            fields=fields,
            description=description,
            **_choice(choices, scope),
        )

    def _choices(
        self,
        content: Mapping[str, Any],
        preferred: str,
        media: Mapping[str, Any],
        shape: str,
        where: str,
    ) -> tuple[MediaChoice, ...]:
        """The preferred media type, then every other one the same arguments can be sent as:
        same schema (or none), an encoding that fits the body (``media.fits``)."""
        schema = _canonical(media.get("schema"))
        chosen: list[MediaChoice] = []
        for media_type in [preferred, *(m for m in content if m != preferred)]:
            encoding = encoding_of(media_type)
            if encoding is None or (media_type != preferred and not fits(shape, encoding)):
                continue
            other = self.media(content[media_type], f"{where}/content/{escape(media_type)}")
            if media_type != preferred and other.get("schema") is not None:
                if _canonical(other.get("schema")) != schema:
                    continue
            chosen.append(_with_encoding(media_type, encoding, other.get("encoding")))
        return tuple(chosen)

    def content(self, owner: Any, where: str) -> Any:
        """The content map of a request body or response, through a ``$ref`` to the whole map
        (not allowed by OpenAPI, published all the same)."""
        content = owner.get("content") if isinstance(owner, dict) else None
        return self._resolver.deref(content, where + "/content")

    def media(self, raw: Any, where: str) -> dict[str, Any]:
        """A Media Type Object, through a ``$ref`` (3.2's ``components/mediaTypes``)."""
        media = self._resolver.deref(raw, where)
        return media if isinstance(media, dict) else {}


def _choice(choices: tuple[MediaChoice, ...], scope: names.Scope) -> dict[str, Any]:
    """``Body.media`` and, when there is a choice, the argument that makes it."""
    return {"media": choices, "choice_arg": scope.claim("content_type") if len(choices) > 1 else ""}


def _canonical(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def _with_encoding(media_type: str, encoding: BodyEncoding, raw: Any) -> MediaChoice:
    """The spec's ``encoding`` map, where simple: form properties' ``style``/``explode``/
    ``allowReserved`` (or a JSON ``contentType``); multipart parts' single ``contentType``."""
    styles: list[tuple[str, str, bool, bool]] = []
    part_types: list[tuple[str, str]] = []
    for prop, entry in (raw if isinstance(raw, dict) else {}).items():
        if not isinstance(entry, dict):
            continue
        content_type = entry.get("contentType")
        simple = (
            isinstance(content_type, str)
            and encoding_of(content_type) is not None
            and "," not in content_type
            and "*" not in content_type
        )
        if encoding == "form":
            style = entry.get("style")
            explode = entry.get("explode")
            reserved = entry.get("allowReserved") is True
            if style in _FORM_STYLES or isinstance(explode, bool) or reserved:
                style = style if style in _FORM_STYLES else "form"
                explode = explode if isinstance(explode, bool) else style == "form"
                styles.append((str(prop), str(style), explode, reserved))
            elif simple and encoding_of(str(content_type)) == "json":
                styles.append((str(prop), "json", False, False))
        elif encoding == "multipart" and simple:
            part_types.append((str(prop), str(content_type)))
    return MediaChoice(media_type, encoding, tuple(styles), tuple(part_types))
