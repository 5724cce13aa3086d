// The decision: a status from which a move reaches a final status (an end event with a status: the deal is
// won) is decided by the commercial director only, so it sits in the director lane. The rule follows the
// flows, not a node id, as processes/rules.py does.
const { is } = require('bpmnlint-utils');
const { DECIDER_LANE, inDealProcess, isStatus, laneOf, reachedStatuses } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (!isStatus(node) || is(node, 'bpmn:EndEvent') || !inDealProcess(node)) return;
    const won = reachedStatuses(node).filter(target => is(target, 'bpmn:EndEvent'));
    const lane = laneOf(node);
    if (won.length && lane !== DECIDER_LANE) {
      reporter.report(node.id, 'Decision task must be in the director lane');
    }
  }
  return { check };
};
