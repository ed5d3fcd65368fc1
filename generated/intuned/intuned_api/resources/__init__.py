"""The API's resources, one module per top-level group of operations."""

from .projects import AsyncProjectsResource, ProjectsResource

__all__ = [
    "ProjectsResource",
    "AsyncProjectsResource",
]
