"""Pipeline analytics: one GET per figure (processes.analytics.FIGURES), the period and filters in the query."""
from flask import g, jsonify

from processes import analytics
from web.api import bp
from web.api.util import query_lists


def _answer(figure):
    def view():
        scope = analytics.parse_scope(query_lists(), g.api_user)
        return jsonify({"from": scope.first.isoformat(), "to": scope.last.isoformat(),
                        **analytics.FIGURES[figure](scope)})
    view.__doc__ = f"The {figure} figure of the period."
    return view


for _figure in analytics.FIGURES:
    bp.add_url_rule(f"/analytics/{_figure}", endpoint=f"analytics_{_figure.replace('-', '_')}",
                    view_func=_answer(_figure), methods=["GET"])
