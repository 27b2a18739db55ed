"""Deconfliction hits (DESIGN §4, docs/HITS.md).

Stable entry point for every path that saves a seizure report (form, API, bulk import)::

    from hits.matching import match_record
    match_record(seizure, actor=user_or_None)   # after cases.identifiers.index_identifiers

in the transaction that saved the report. It is idempotent: calling it again for the same
report creates no new hit and sends no new notification.
"""
