"""``python -m generator`` runs the clientgen command line."""

from .cli.entry import run

run()
