"""``python -m mentiondesk`` is the same as the ``mentiondesk`` command."""

from mentiondesk.cli.main import app

app(prog_name="mentiondesk")
