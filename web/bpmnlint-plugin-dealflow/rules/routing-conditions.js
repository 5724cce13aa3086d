// Every flow out of a deciding gateway of the deal process (the routing gateway steered by next_status, the
// director's verdict) has a condition unless it is the gateway's default. bpmnlint's conditional-flows reports
// the flows of a gateway once one of them has a condition or a default; this rule covers the gateway freshly
// drawn with none (SpiffWorkflow refuses any such flow: «Non-default exclusive outgoing sequence flow without
// condition.»), so a flow is never reported twice.
const { is } = require('bpmnlint-utils');
const { inDealProcess } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (!(is(node, 'bpmn:ExclusiveGateway') || is(node, 'bpmn:InclusiveGateway')) || !inDealProcess(node)) return;
    const outgoing = node.outgoing || [];
    if (outgoing.length < 2 || node.default || outgoing.some(flow => flow.conditionExpression)) return;
    for (const flow of outgoing) reporter.report(flow.id, 'Routing flow has no condition');
  }
  return { check };
};
