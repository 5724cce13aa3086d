"""Records that live in a BPMN process: deals, assignments, any record type declared with ``RecordType``.

A record is a table row mirroring one workflow instance: its status is the
status node the instance waits in. The mechanism is here once, parametrised
by the record type: the status model read from the diagram (``statuses``),
starting and moving with version checks (``moves``), history (``history``),
failures and retry (``failures``), the dashboard's figures (``dashboard``)
and the journal's paging (``listing``). See docs/architecture.md.
"""
from processes.records.record_type import RecordType

__all__ = ["RecordType"]
