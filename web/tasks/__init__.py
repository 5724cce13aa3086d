"""Task lists: «Мои задачи», «Задачи группы», and a task's page with its decision form."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)

from web.tasks import routes  # noqa: E402,F401
