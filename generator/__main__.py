"""``python -m generator`` runs the clientgen command line."""

from .entry import run

run()
