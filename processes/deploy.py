"""Deploying diagrams with dealflow's own rules, reading what is deployed, and setting up a database."""
from pathlib import Path

from engine import definitions
from engine.definitions import latest, list_definitions, process_label

__all__ = ["deploy_source", "diff_of", "diff_source", "validate_source", "deploy_directory", "initialize", "latest", "list_definitions",
           "process_label"]
from processes import directories, process_diff, reasons
from processes.process_diff import order_differs
from processes.rules import check_deal_diagram, problems_of


def deploy_source(source, deployed_by=""):
    """Deploy BPMN bytes after the engine's and dealflow's checks; return the rows (``created`` on new ones).

    A process whose meaning and board order are unchanged keeps its version (processes/process_diff.py).
    """
    return definitions.deploy(source, deployed_by, check=check_deal_diagram, differs=order_differs)


def diff_source(source, kind_of=lambda process_id: None):
    """What deploying the source would change, per executable process (refused like a deploy when invalid).

    ``kind_of(process_id)`` is the record type running that process (its records are counted in removed
    statuses), or None.
    """
    parsed = definitions.parse(source)
    check_deal_diagram(parsed)
    return [process_diff.diff(source, process_id, kind_of(process_id)) for process_id in parsed.process_ids]


def diff_of(source, process_id, kind=None):
    """What deploying the source would change in one process (refused like a deploy when invalid)."""
    check_deal_diagram(definitions.parse(source))
    return process_diff.diff(source, process_id, kind)


def validate_source(source):
    """The problems of a diagram (engine checks and deal rules) without deploying; [] when valid."""
    return problems_of(source, definitions.parse)


def deploy_directory(path, deployed_by="system"):
    """Deploy every *.bpmn in a folder (unchanged ones are left as they are)."""
    rows = []
    for file in sorted(Path(path).glob("*.bpmn")):
        rows.extend(deploy_source(file.read_bytes(), deployed_by))
    return rows


def initialize(bpmn_dir):
    """Seed the directories and deploy the diagrams; safe to run again."""
    directories.ensure_default_sources()
    reasons.ensure_default_reasons()
    return deploy_directory(bpmn_dir)
