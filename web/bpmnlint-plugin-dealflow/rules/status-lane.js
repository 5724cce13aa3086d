// A status sits in a lane whose id names the role acting there (manager, director) or in no lane
// (processes/rules.py; processes/access.py reads the lane id as the role).
const { ACTING_LANES, inDealProcess, isStatus, laneOf } = require('./helpers');

module.exports = function() {
  function check(node, reporter) {
    if (!isStatus(node) || !inDealProcess(node)) return;
    const lane = laneOf(node);
    if (lane && !ACTING_LANES.includes(lane)) {
      reporter.report(node.id, 'Status is in a lane that is not a role (manager, director)');
    }
  }
  return { check };
};
