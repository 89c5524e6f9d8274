"""Server-rendered pages for agents (Jinja2 + htmx)."""
