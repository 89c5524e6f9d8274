"""Bluesky (AT Protocol): app-password sessions refreshed rather than repeated, notifications
(mentions, replies, quotes), replies with root and parent references, likes, direct messages
through the chat proxy, and the whole network's posts read from Jetstream and matched in
batches."""
