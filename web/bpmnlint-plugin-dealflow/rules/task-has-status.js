// A user task of the deal process is where a deal waits: without a ``status`` code the board has no column
// for it. Only a warning: the server takes a task without a status as a step that is not a status.
const { is } = require('bpmnlint-utils');
const { inDealProcess, isStatus } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (is(node, 'bpmn:UserTask') && inDealProcess(node) && !isStatus(node)) {
      reporter.report(node.id, 'User task has no status code');
    }
  }
  return { check };
};
