// A routing flow into a status names that status's code in its condition (next_status == 'tender'): a
// misspelt code ('tendr') never matches and the move fails at run time. A warning: a condition may be
// written another way; the server's semantic check evaluates the conditions for real.
const { is } = require('bpmnlint-utils');
const { inDealProcess, isStatus, properties } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (!is(node, 'bpmn:SequenceFlow') || !inDealProcess(node) || !is(node.sourceRef, 'bpmn:Gateway')) return;
    const body = node.conditionExpression && (node.conditionExpression.body || '').trim();
    const target = node.targetRef;
    if (!body || !target || !isStatus(target)) return;
    const code = properties(target).status.trim();
    if (code && !body.includes(`'${code}'`) && !body.includes(`"${code}"`)) {
      reporter.report(node.id, 'Condition does not name the status it leads to');
    }
  }
  return { check };
};
