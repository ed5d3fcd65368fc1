"""The ``clientgen`` command line: one module per command, each parsing options, calling the
pipeline and printing what came back. :mod:`.entry` is the executable; :mod:`.main` the group.

Deliberately empty: the executable (:mod:`.entry`) forks datamodel-code-generator's helper
before it imports click or the pipeline.
"""
