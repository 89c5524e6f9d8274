"""The JSON API, version 1. Described by FastAPI's OpenAPI schema at /api/openapi.json."""
