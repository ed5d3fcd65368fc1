"""The API's resources, one module per top-level group of operations."""

from .run import AsyncRunResource, RunResource

__all__ = [
    "RunResource",
    "AsyncRunResource",
]
