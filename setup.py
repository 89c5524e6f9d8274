"""Declares the one compiled module; everything else about the package is in pyproject.toml.

The module is optional: where no C compiler is available the install still succeeds and the
listening matcher uses the pure-Python scanner (``mentiondesk.listening.wordscan``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "mentiondesk.listening._compiled",
            ["src/mentiondesk/listening/_compiled.c"],
            optional=True,
        )
    ]
)
