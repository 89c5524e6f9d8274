"""Measuring the desk: reports over stored cases, posts and replies, and the crisis detector.

``periods`` turns local dates into instants and buckets, ``business`` measures many durations in
business time at once, ``queries`` reads the tables (through the unit of work's connection),
``service`` assembles a :class:`~mentiondesk.analytics.figures.Report`, ``export`` writes its
tables as CSV or XLSX, and ``crisis`` is the pure streaming spike detector.
"""
