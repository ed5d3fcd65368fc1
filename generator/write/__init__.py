"""Stage 7, write: the formatted files in, the output folder swapped in atomically (or, with
``--check``, the list of what would change).

:mod:`.files` writes, compares and keeps the manifest of what clientgen owns in the folder;
:mod:`.cache` remembers a whole client's output, so an unchanged spec skips the pipeline.
"""

from .files import (
    MANIFEST,
    Change,
    compare,
    read_manifest,
    safe_relative,
    write_package,
)

__all__ = ["MANIFEST", "Change", "compare", "read_manifest", "safe_relative", "write_package"]
