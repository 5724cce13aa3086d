// A status of the deal process has a non-empty, unique ``status`` code and a ``stage`` (the board's columns
// and stages come from them). The server refuses the same: processes/rules.py, _code_problems.
const { is } = require('bpmnlint-utils');
const { inDealProcess, isStatus, properties } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (is(node, 'bpmn:Process') && node.id === 'deal') {
      const seen = {};
      for (const element of node.flowElements || []) {
        if (!isStatus(element)) continue;
        const code = properties(element).status.trim();
        if (code && seen[code]) reporter.report(element.id, 'Status code is used by another status');
        else if (code) seen[code] = element.id;
      }
      return;
    }
    if (!isStatus(node) || !inDealProcess(node)) return;
    const props = properties(node);
    if (!props.status.trim()) reporter.report(node.id, 'Status code is empty');
    if (!(props.stage || '').trim()) reporter.report(node.id, 'Status has no stage');
  }
  return { check };
};
