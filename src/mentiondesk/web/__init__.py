"""The web shell: a JSON API (FastAPI, OpenAPI at /docs) and server-rendered pages for agents."""
