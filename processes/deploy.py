"""Deploying diagrams with dealflow's own rules, reading what is deployed, and setting up a database."""
from pathlib import Path

from engine import definitions
from engine.definitions import latest, list_definitions, process_label

__all__ = ["deploy_source", "validate_source", "deploy_directory", "initialize", "latest", "list_definitions",
           "process_label"]
from processes import directories, reasons
from processes.rules import check_deal_diagram, problems_of


def deploy_source(source, deployed_by=""):
    """Deploy BPMN bytes after the engine's and dealflow's checks; return the rows."""
    return definitions.deploy(source, deployed_by, check=check_deal_diagram)


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
