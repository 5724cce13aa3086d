"""Every table of the app: importing this module registers all models (and their indexes) on ``db.metadata``.

The app (``web.create_app``) and Alembic (``web/migrations/env.py``) import it, so the metadata
never depends on which service modules happen to be imported. It lives in ``tasks/``, the highest
layer that owns tables; a new model module is listed here.
"""
import engine.models
import processes.activity_models
import processes.contact_models
import processes.login_models
import processes.mail_models
import processes.migration_models
import processes.models
import processes.settings_models
import tasks.assignment_models
import tasks.models

MODULES = (engine.models, processes.models, processes.activity_models, processes.contact_models, processes.login_models,
           processes.mail_models, processes.settings_models, processes.migration_models, tasks.models, tasks.assignment_models)
