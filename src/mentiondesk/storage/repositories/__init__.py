"""Repositories: translate between rows and domain objects. One module per aggregate."""
