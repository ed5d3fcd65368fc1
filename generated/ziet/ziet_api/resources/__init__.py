"""The API's resources, one module per top-level group of operations."""

from .runs import AsyncRunsResource, RunsResource

__all__ = [
    "RunsResource",
    "AsyncRunsResource",
]
