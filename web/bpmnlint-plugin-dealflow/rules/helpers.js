// What the rules share: the deal process, a node's dealflow properties, its lane, the statuses a flow reaches.
//
// Properties are spiffworkflow:properties (what the modeler writes) or camunda:properties (Camunda Modeler),
// the spiffworkflow value winning, as engine/graph.py reads them. The modeler knows both extensions, so
// they arrive typed (``values``); bpmnlint's command line does not, so there they are generic elements
// (``$children``): both shapes are read.
const { is } = require('bpmnlint-utils');

const DEAL_PROCESS = 'deal'; // processes/deal_record.py: the process the board, card and moves run
const ACTING_LANES = [ 'manager', 'director' ]; // processes/rules.py: a lane id is the role acting there
const DECIDER_LANE = 'director';
const STATUS_KINDS = [ 'bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task', 'bpmn:EndEvent' ];

function children(element) {
  return (element && (element.values || element.$children)) || [];
}

function localType(element) {
  return (element.$type || '').toLowerCase();
}

function properties(node) {
  const found = {};
  for (const prefix of [ 'camunda', 'spiffworkflow' ]) {
    for (const holder of children(node.extensionElements)) {
      if (localType(holder) !== prefix + ':properties') continue;
      for (const property of children(holder)) {
        if (localType(property) === prefix + ':property' && property.name) found[property.name] = property.value || '';
      }
    }
  }
  return found;
}

function processOf(node) {
  let parent = node.$parent;
  while (parent && !is(parent, 'bpmn:Process')) parent = parent.$parent;
  return parent;
}

function inDealProcess(node) {
  const process = processOf(node);
  return !!process && process.id === DEAL_PROCESS;
}

function isStatus(node) {
  return STATUS_KINDS.some(kind => is(node, kind)) && properties(node).status !== undefined;
}

function lanesOf(laneSet, found) {
  for (const lane of (laneSet && laneSet.lanes) || []) {
    found.push(lane);
    lanesOf(lane.childLaneSet, found);
  }
  return found;
}

// The id of the innermost lane that lists the node (the diagram's flowNodeRef), '' outside every lane.
function laneOf(node) {
  const process = processOf(node);
  const lanes = [];
  for (const laneSet of (process && process.laneSets) || []) lanesOf(laneSet, lanes);
  const holding = lanes.filter(lane => (lane.flowNodeRef || []).some(ref => ref === node || ref.id === node.id));
  return holding.length ? holding[holding.length - 1].id : '';
}

// The status nodes reached from a node's outgoing flows through gateways and other non-status nodes
// (processes/records/statuses.py: the moves from a status).
function reachedStatuses(node) {
  const reached = [];
  const seen = new Set([ node ]);
  const queue = (node.outgoing || []).map(flow => flow.targetRef).filter(Boolean);
  while (queue.length) {
    const next = queue.shift();
    if (seen.has(next)) continue;
    seen.add(next);
    if (isStatus(next)) {
      reached.push(next);
    } else {
      queue.push(...(next.outgoing || []).map(flow => flow.targetRef).filter(Boolean));
    }
  }
  return reached;
}

module.exports = { DEAL_PROCESS, ACTING_LANES, DECIDER_LANE, properties, inDealProcess, isStatus, laneOf,
  reachedStatuses };
