"""The CRM domain: deals, directories, users, statuses read from the deployed
BPMN, status moves and decisions, deal history.

Lower layers only add and flush; the edge (a view, a CLI command) commits.
"""
