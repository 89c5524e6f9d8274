"""RSS and Atom feeds (blogs, forums, review sites): listen-only, fetched with conditional GET,
parsed with feedparser and deduplicated by entry id, then link, then content hash."""
