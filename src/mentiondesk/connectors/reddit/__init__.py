"""Reddit: a script app's OAuth token, username mentions, new posts and comments in chosen
subreddits, search for the brand's terms, and replies; its rate limits, including the ones that
come back as HTTP 200, read in one place."""
