"""After the pipeline, package: a generated client folder in, reproducible sdists and wheels
out, uploaded all or nothing.

Builds go through the ``build`` library, the standard PEP 517 front end (what ``python -m build``
and pip use), in isolated environments, so a client builds here exactly as it would anywhere.
Uploads go through twine, which already knows how to find credentials (``TWINE_USERNAME`` /
``TWINE_PASSWORD`` or keyring); clientgen never takes them on the command line.

One module per job: :mod:`.build` (with :mod:`.trees`, the folders built from),
:mod:`.publish` (with :mod:`.index`, what the index already has, and :mod:`.twine`),
:mod:`.artifacts` (distribution files), :mod:`.tool_output` (failures worth reading).
"""

from __future__ import annotations

from .artifacts import Artifact, read_artifact, sha256
from .build import DEFAULT_SOURCE_DATE_EPOCH, build_clients
from .index import _Links as _Links  # the tests read index pages with it
from .index import simple_index_url
from .publish import publish
from .twine import twine_check as twine_check  # importable here, as before the split

__all__ = [
    "DEFAULT_SOURCE_DATE_EPOCH",
    "Artifact",
    "build_clients",
    "publish",
    "read_artifact",
    "sha256",
    "simple_index_url",
]
