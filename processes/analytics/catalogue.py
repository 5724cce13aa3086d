"""Every status of every deployed version of the deal process, by its code.

A status is the same status in every version by its code: its label, stage and percent come from the
newest version that has it. The funnel's stages are the newest diagram's stages whose name starts with
a percent, in the order of the percent; won and refused are the statuses the issue names.
"""
from dataclasses import dataclass

from engine import definitions
from processes import statuses
from processes.records.statuses import stage_percent

WON = "completed"
REFUSED = "refusal"
CLOSED = (WON, REFUSED)


@dataclass(frozen=True)
class Catalogue:
    by_code: dict     # code → Status, newest version first
    percent: dict     # code → the percent of its stage (None: not a funnel stage)
    stages: list      # the current diagram's funnel stages: [(name, label, percent)] by percent
    allowed: set      # (from, to) moves the current diagram allows
    current: object   # the current StatusModel

    def label(self, code):
        status = self.by_code.get(code)
        return status.label if status else code

    def open_codes(self):
        """Codes a deal is still open in: not an end, not archived, not won or refused."""
        return [code for code, s in self.by_code.items() if not s.final and not s.archive and code not in CLOSED]


def catalogue():
    current = statuses.current_model()
    by_code = {}
    for definition in definitions.versions(statuses.DEAL_PROCESS):  # newest first
        for status in statuses.model_for(definition).statuses:
            by_code.setdefault(status.code, status)
    percents = {code: stage_percent(status.stage) for code, status in by_code.items()}
    stages = [(st.name, st.label, st.percent) for st in current.stages if st.percent is not None]
    allowed = {(code, target) for code in current.by_code for target in current.allowed(code)}
    return Catalogue(by_code, percents, stages, allowed, current)
