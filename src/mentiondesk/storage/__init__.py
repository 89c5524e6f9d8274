"""Persistence: SQLAlchemy Core tables, repositories, the unit of work and migrations.

SQLite (WAL) is the embedded default; a PostgreSQL URL switches databases without code changes.
"""
