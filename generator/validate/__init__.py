"""Stage 2, validate: a :class:`~generator.load.LoadedSpec` in, its findings out (warnings), or
the findings the client cannot survive raised as errors.

openapi-spec-validator decides whether the document is OpenAPI. :mod:`.findings` runs it and
locates every finding (file, JSON pointer, line); :mod:`.severity` sorts them into warnings
(the client survives: the normalizer degrades locally) and errors; :mod:`.metaschemas` does
the validator's JSON Schema checks once, with the same verdicts, faster (jsonschema-rs first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Finding, SpecErrors
from .findings import findings
from .severity import FATAL_KINDS

if TYPE_CHECKING:
    from ..load import LoadedSpec

__all__ = ["raise_errors", "validate_spec"]


def validate_spec(spec: LoadedSpec, *, strict: bool = False) -> tuple[Finding, ...]:
    """The warnings about ``spec``, after raising its errors: every finding is one when
    ``strict``; else only those the client cannot survive (all of them, in one run)."""
    found = findings(spec)
    if strict:
        raise_errors(found)
    raise_errors([f for f in found if f.kind in FATAL_KINDS])
    return tuple(found)


def raise_errors(errors: list[Finding]) -> None:
    """Raise ``errors``: one :class:`~generator.errors.SpecError`, or :class:`SpecErrors`."""
    if len(errors) == 1:
        raise errors[0].as_error()
    if errors:
        raise SpecErrors(errors)
