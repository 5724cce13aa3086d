// Every working status can be entered from the plain start: the routing gateway steered by next_status reaches
// it, so a long-lived deal can be restarted and a running deal migrated at its status (processes/rules.py).
// A status an analyst adds and forgets to route to is flagged as soon as it has a code.
const { is } = require('bpmnlint-utils');
const { DEAL_PROCESS, isStatus, properties, reachedStatuses } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (!is(node, 'bpmn:Process') || node.id !== DEAL_PROCESS) return;
    const elements = node.flowElements || [];
    const starts = elements.filter(e => is(e, 'bpmn:StartEvent') && !(e.eventDefinitions || []).length);
    const entered = new Set(starts.flatMap(start => reachedStatuses(start).map(s => properties(s).status.trim())));
    for (const element of elements) {
      if (!isStatus(element) || is(element, 'bpmn:EndEvent')) continue;
      const code = properties(element).status.trim();
      if (code && !entered.has(code)) reporter.report(element.id, 'Status cannot be entered from the plain start');
    }
  }
  return { check };
};
