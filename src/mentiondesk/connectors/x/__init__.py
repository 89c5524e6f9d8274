"""X (API v2): mentions timeline and recent search with ``since_id``, replies where X allows
them (the author mentioned or quoted the brand), direct messages, hidden replies, and every
call counted against the workspace's monthly budget."""
