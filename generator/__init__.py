"""clientgen: turn OpenAPI 3.0/3.1 documents into typed, installable Python client packages."""

__version__ = "0.1.0"
