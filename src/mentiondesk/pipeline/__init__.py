"""The ingestion pipeline: normalise → match brand → triage → route to case.

Stages are plain callables over a ``PipelineItem`` so that the same code runs in-process (the
default) or, later, one stage per NATS JetStream consumer."""
