"""mentiondesk: a social-media customer-care desk.

Listen to every channel, triage each post, route it into a shared inbox of cases, help agents
answer like humans, moderate without deleting, and measure time to resolution.
"""

__version__ = "0.1.0"
