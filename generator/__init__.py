"""clientgen: turn Swagger 2.0 and OpenAPI 3.0-3.2 documents into typed, installable Python client packages."""

__version__ = "0.1.0"
