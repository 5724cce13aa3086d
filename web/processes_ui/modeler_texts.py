"""The modeler's own words in the user's language: bpmn-js asks its ``translate`` service for each.

bpmn-js and its properties panel write English; the page hands this dictionary
(English text → the catalog's translation) to a translate module. The dealflow
group's labels are here too.
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
)


def dictionary():
    """{English: translation} for the current locale, only where the catalog differs."""
    return {text: _(text) for text in TEXTS if _(text) != text}
