"""A diagram problem's reason in the user's language (the engine and the deal rules write English).

Each known reason is a pattern whose groups are the values (ids, codes, details)
carried into the translated sentence; a reason no pattern knows keeps its
English. The CLI and the JSON API print the English with element ids; the
pages and the modeler's endpoints show ``problem_dict`` with the reason translated.
"""
import re

from flask_babel import gettext as _

S = r"'([^']*)'"  # a quoted id or code


def _into(text):
    """«status 'x'» / «statuses 'a', 'b'» of a routing reason, translated."""
    match = re.fullmatch(r"status '([^']*)'", text)
    if match:
        return _("status '%(code)s'", code=match.group(1))
    return _("statuses %(codes)s", codes=text.removeprefix("statuses "))


_FULL = (
    (r"Non-default exclusive outgoing sequence flow without condition\.?\s*",
     lambda: _("A flow out of an exclusive gateway has no condition and is not the gateway's default flow.")),
    (r"empty status code", lambda: _("The status code is empty.")),
    (rf"status code {S} is also used by (\S+)",
     lambda code, other: _("Status code '%(code)s' is also used by %(other)s.", code=code, other=other)),
    (rf"status {S} has no stage property", lambda code: _("Status '%(code)s' has no stage property.", code=code)),
    (rf"status {S} is a (\w+): .*",
     lambda code, kind: _("Status '%(code)s' is a %(kind)s: a status must be a user, manual or plain task "
                          "(or an end event) so the deal waits in it.", code=code, kind=kind)),
    (rf"status {S} cannot reach an end event",
     lambda code: _("Status '%(code)s' cannot reach an end event.", code=code)),
    (rf"status {S} is in lane {S}: .*",
     lambda code, lane: _("Status '%(code)s' is in lane '%(lane)s': a lane id names the role acting there "
                          "(manager or director).", code=code, lane=lane)),
    (rf"status {S} cannot be entered from the plain start .*",
     lambda code: _("Status '%(code)s' cannot be entered from the plain start (route the start's gateway to it "
                    "on next_status == '%(code)s').", code=code)),
    (rf"status {S} decides the deal \(it leads to (.*)\): .* not {S}",
     lambda code, won, lane: _("Status '%(code)s' decides the deal (it leads to %(won)s): the decision task must "
                               "be in the 'director' lane, not '%(lane)s'.", code=code, won=won, lane=lane)),
    (r"the deal process has no node with a status property",
     lambda: _("The deal process has no node with a status property.")),
    (r"duplicate element id", lambda: _("Another element has the same id.")),
    (rf"sequence flow (source|target) {S} is not a node",
     lambda end, ref: _("The flow's source '%(ref)s' is not a node.", ref=ref) if end == "source"
     else _("The flow's target '%(ref)s' is not a node.", ref=ref)),
    (rf"no status code satisfies the condition «(.*)» of flow {S} into ((?:status|statuses) .*)",
     lambda condition, flow, into: _("No status code satisfies the condition «%(condition)s» of flow '%(flow)s' "
                                     "into %(into)s: no move will ever take it.",
                                     condition=condition, flow=flow, into=_into(into))),
    (rf"status code {S} satisfies the conditions of (\d+) flows out of {S}: (.*)",
     lambda code, count, node, flows: _("Status code '%(code)s' satisfies the conditions of %(count)s flows out of "
                                        "'%(node)s': %(flows)s.", code=code, count=count, node=node, flows=flows)),
    (rf"status {S} is never reached from {S} \(flow {S} leads there, but next_status == {S} takes (.*)\)",
     lambda code, node, flow, _code, took: _(
         "Status '%(code)s' is never reached from '%(node)s': flow '%(flow)s' leads there, but a move to "
         "'%(code)s' takes %(took)s.", code=code, node=node, flow=flow,
         took=_("no flow") if took == "no flow" else took)),
    (rf"the condition of flow {S} into (.*) fails with next_status = {S}: (.*)",
     lambda flow, into, code, error: _("The condition of flow '%(flow)s' into %(into)s fails for status "
                                       "'%(code)s': %(error)s", flow=flow, into=_into(into), code=code, error=error)),
)
_PREFIX = (
    ("expression refused: ", lambda: _("expression refused:")),
    ("script refused: ", lambda: _("script refused:")),
    ("timer refused: ", lambda: _("timer refused:")),
    ("malformed XML: ", lambda: _("malformed XML:")),
    ("BPMN schema: ", lambda: _("BPMN schema:")),
    ("SpiffWorkflow could not parse the diagram: ", lambda: _("SpiffWorkflow could not parse the diagram:")),
)
_COMPILED = tuple((re.compile(pattern + r"\Z", re.DOTALL), make) for pattern, make in _FULL)


def reason_text(reason):
    """The reason of a diagram problem in the user's language (English for one no pattern knows)."""
    for pattern, make in _COMPILED:
        match = pattern.match(reason)
        if match:
            return str(make(*match.groups()))
    for prefix, make in _PREFIX:
        if reason.startswith(prefix):
            return f"{make()} {reason[len(prefix):]}"
    return reason


def problem_dict(problem):
    """``{element_id, reason}`` of a problem with the reason translated."""
    return {"element_id": problem.element_id, "reason": reason_text(problem.reason)}
