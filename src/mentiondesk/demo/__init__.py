"""The demo: a Skylot airline workspace fed by a bundled stream of real-looking posts."""
