"""Stage 4, models: the IR's normalized model schemas in, the source of ``models.py`` out.

:mod:`.dmcg` is the one bridge to datamodel-code-generator (its options, its cache),
:mod:`.nulls` marks the optional properties that may not be null (never sent as null) and
:mod:`.safety` checks what dmcg wrote, since it writes spec text itself. :mod:`.helper` is what
dmcg's dedicated helper process runs before it has work.

Deliberately empty: the executable forks dmcg's helper from :mod:`.helper` before it imports
anything else, so importing this package must cost nothing.
"""
