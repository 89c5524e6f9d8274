"""Mastodon and servers speaking its API: mentions (streaming or ``min_id`` polling), hashtag
timelines and search for the brand's terms; replies with ``Idempotency-Key``, direct messages
(``visibility=direct``), favourites."""
