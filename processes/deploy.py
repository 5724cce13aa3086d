"""Deploying diagrams with dealflow's own rules, and setting up a database."""
from pathlib import Path

from engine import definitions
from processes import directories
from processes.statuses import check_deal_diagram


def deploy_source(source, deployed_by=""):
    """Deploy BPMN bytes after the engine's and dealflow's checks; return the rows."""
    return definitions.deploy(source, deployed_by, check=check_deal_diagram)


def deploy_directory(path, deployed_by="system"):
    """Deploy every *.bpmn in a folder (unchanged ones are left as they are)."""
    rows = []
    for file in sorted(Path(path).glob("*.bpmn")):
        rows.extend(deploy_source(file.read_bytes(), deployed_by))
    return rows


def initialize(bpmn_dir):
    """Seed the directories and deploy the diagrams; safe to run again."""
    directories.ensure_default_sources()
    return deploy_directory(bpmn_dir)
