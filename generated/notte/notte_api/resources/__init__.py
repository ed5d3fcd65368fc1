"""The API's resources, one module per top-level group of operations."""

from .functions import AsyncFunctionsResource, FunctionsResource

__all__ = [
    "FunctionsResource",
    "AsyncFunctionsResource",
]
