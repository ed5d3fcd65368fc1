"""What datamodel-code-generator's dedicated helper does before it has work, importable for
nothing: the executable forks that helper before its own imports (:mod:`generator.cli.entry`)."""

from __future__ import annotations


def warm_up() -> None:
    """Import dmcg and run it once on a small document (:func:`generator.models.dmcg.warm_up`)."""
    from .dmcg import warm_up as model_a_small_document

    model_a_small_document()
