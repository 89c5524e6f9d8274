"""The command-line shell: ``mentiondesk --help``."""
