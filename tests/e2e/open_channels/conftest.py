from tests.e2e.open_channels.harness import desk

__all__ = ["desk"]
