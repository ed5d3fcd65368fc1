"""Stage 5, render: an :class:`~generator.ir.Api` in, the package's files (path ➜ text) out.

:mod:`.package` fills the Jinja templates of ``templates/package`` and copies the static
runtime of ``templates/runtime``; :mod:`.signatures` turns operations into method signatures;
:mod:`.layout` lays long expressions out the way black would, so black has nothing to change.
"""

from .package import models_path, render_package, runtime_files

__all__ = ["models_path", "render_package", "runtime_files"]
