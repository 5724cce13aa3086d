"""The modeler's own words in the user's language: bpmn-js asks its ``translate`` service for each.

bpmn-js, its properties panel and its lint write English; the page hands this
dictionary (English text → the catalog's translation) to a translate module. The
dealflow group's labels and the lint rules' messages are here too.
"""
from flask_babel import gettext as _

TEXTS = (  # (bpmn-js's English, or the dealflow group's key)
    "General", "Name", "ID", "Documentation", "Element documentation", "Process documentation",
    "Timer", "Type", "Value", "Condition", "Message", "Signal", "Error", "Escalation", "Executable",
    "Create start event", "Create end event", "Create intermediate/boundary event", "Create gateway",
    "Create task", "Create expanded sub-process", "Create data object reference", "Create data store reference",
    "Create pool/participant", "Create group", "Activate hand tool", "Activate lasso tool",
    "Activate create/remove space tool", "Activate global connect tool", "Append task", "Append gateway",
    "Append end event", "Append intermediate/boundary event", "Change element", "Delete", "Connect using sequence/message flow or association",
    "Add lane above", "Add lane below", "Divide into two lanes", "Divide into three lanes",
    "User Task", "Script Task", "Task", "Sequence Flow", "Exclusive Gateway", "Start Event", "End Event",
    "Boundary Event", "Message Start Event", "Lane", "Participant", "Process",
    "dealflow", "Status code", "Stage", "Name in English", "Stage in English", "Reason required (true/false)", "Archive (true/false)", "Lane (role)",
    "Rotting after days idle", "Work-in-progress limit",
    "Condition (Python, e.g. next_status == 'tender')",
    # bpmn-js-bpmnlint's button and overlays, dealflow's lint rules (web/bpmnlint-plugin-dealflow) and the
    # bpmnlint rules a deal diagram meets most
    "{errors} Errors, {warnings} Warnings", "No Issues", "Toggle linting overlays", "Issues for child elements",
    "Status code is empty", "Status has no stage", "Status code is used by another status",
    "User task has no status code", "Status is in a lane that is not a role (manager, director)",
    "Routing flow has no condition", "Condition does not name the status it leads to",
    "Decision task must be in the director lane", "Status cannot be entered from the plain start",
    "Sequence flow is missing condition", "Element is an implicit end", "Element is an implicit start",
    "Element is not connected", "Element overlaps with other element", "Flow splits implicitly",
    "Gateway is superfluous. It only has one source and target.", "Process is missing start event",
    "Process is missing end event", "Element is missing label/name",
)


def dictionary():
    """{English: translation} for the current locale, only where the catalog differs."""
    return {text: _(text) for text in TEXTS if _(text) != text}
