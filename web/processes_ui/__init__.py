"""The «Процессы» section: definitions and versions, the bpmn-js modeler, migration, the dashboard, the card's viewer."""
from flask import Blueprint

bp = Blueprint("processes_ui", __name__, url_prefix="/processes", template_folder="templates",
               static_folder="static", static_url_path="/static")

from web.processes_ui import routes  # noqa: E402,F401
from web.processes_ui import deploy_page  # noqa: E402,F401
from web.processes_ui import migrate_page  # noqa: E402,F401
