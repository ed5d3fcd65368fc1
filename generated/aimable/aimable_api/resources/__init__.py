"""The API's resources, one module per top-level group of operations."""

from .executions import AsyncExecutionsResource, ExecutionsResource

__all__ = [
    "ExecutionsResource",
    "AsyncExecutionsResource",
]
