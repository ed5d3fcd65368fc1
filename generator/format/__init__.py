"""Stage 6, format: rendered files in, the same files in black's style out (byte-stable).

:mod:`.formatting` remembers each client's formatted pieces and sends the rest to black;
:mod:`.chunks` cuts a module into pieces (top-level classes and functions) and joins them;
:mod:`.settled` recognizes, without black, a piece that is black's output already.
"""

from .formatting import Formatting, format_files

__all__ = ["Formatting", "format_files"]
