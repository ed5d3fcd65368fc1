"""Stage 2, validate: a :class:`~generator.load.LoadedSpec` in, nothing out but a verdict.

openapi-spec-validator decides whether the document is OpenAPI; its findings leave as
:class:`~generator.errors.SpecError` values naming the file, the JSON pointer and the line.
:mod:`.findings` runs the validator and locates what it found; :mod:`.metaschemas` does its
JSON Schema checks once, with the same verdicts, faster (jsonschema-rs first).
"""

from .findings import validate_spec

__all__ = ["validate_spec"]
