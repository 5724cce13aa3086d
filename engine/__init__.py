"""The BPMN engine: the only package that imports SpiffWorkflow.

It parses diagrams safely, keeps versioned process definitions, runs workflow
instances in a restricted script engine and persists them with optimistic
locking. It knows nothing of deals, users or HTTP.
"""
from engine.db import db
from engine.errors import Conflict, EngineError, InvalidDiagram, WorkflowError

__all__ = ["db", "Conflict", "EngineError", "InvalidDiagram", "WorkflowError"]
