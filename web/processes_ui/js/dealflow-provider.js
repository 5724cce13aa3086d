// The «dealflow» group of the properties panel: a node's status code, stage (and both in English), lane and the
// condition of a sequence flow. Properties are written as spiffworkflow:properties, which
// the engine reads (camunda:properties from Camunda Modeler are read as well and shown).
import { h } from '@bpmn-io/properties-panel/preact';
import { Group, TextFieldEntry, TextAreaEntry, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is, getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';

const STATUS_TYPES = [ 'bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task', 'bpmn:EndEvent' ];
const NAMES = [ 'status', 'stage', 'label.en', 'stage.en', 'commentRequired', 'archive', 'actionable', 'rotDays',
  'wipLimit' ];
const LABELS = { status: 'Status code', stage: 'Stage', 'label.en': 'Name in English', 'stage.en': 'Stage in English',
  commentRequired: 'Reason required (true/false)', archive: 'Archive (true/false)',
  actionable: 'Someone acts here (true/false; false: pause, refusal — no task, no next step)',
  rotDays: 'Rotting after days idle', wipLimit: 'Work-in-progress limit' };

function propertyList(bo, prefix) {
  const ext = bo.get('extensionElements');
  const holder = ext && (ext.get('values') || []).find(v => v.$type === prefix + ':Properties');
  return holder ? holder.get('values') || [] : [];
}

export function readProperty(bo, name) {
  for (const prefix of [ 'spiffworkflow', 'camunda' ]) {
    const found = propertyList(bo, prefix).find(p => p.get('name') === name);
    if (found) return found.get('value') || '';
  }
  return '';
}

function writeProperty(element, modeling, bpmnFactory, name, value) {
  const bo = getBusinessObject(element);
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    modeling.updateProperties(element, { extensionElements: ext });
  }
  let holder = (ext.get('values') || []).find(v => v.$type === 'spiffworkflow:Properties');
  if (!holder) {
    holder = bpmnFactory.create('spiffworkflow:Properties', { values: [] });
    holder.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [ ...ext.get('values'), holder ] });
  }
  const rest = holder.get('values').filter(p => p.get('name') !== name);
  const values = value ? [ ...rest, bpmnFactory.create('spiffworkflow:Property', { name, value }) ] : rest;
  values.forEach(p => { p.$parent = holder; });
  modeling.updateModdleProperties(element, holder, { values });
}

function PropertyEntry(props) {
  const { element, id, name, label } = props;
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const translate = useService('translate');
  return h(TextFieldEntry, {
    element, id, label: translate(label) + ' · ' + name, debounce,
    getValue: () => readProperty(getBusinessObject(element), name),
    setValue: value => writeProperty(element, modeling, bpmnFactory, name, (value || '').trim())
  });
}

function LaneEntry(props) {
  const { element, id } = props;
  const lane = (element.businessObject.lanes || [])[0] || findLane(element);
  const translate = useService('translate');
  return h(TextFieldEntry, {
    element, id, label: translate('Lane (role)'), debounce: f => f, disabled: true,
    getValue: () => (lane ? lane.id + (lane.name ? ' — ' + lane.name : '') : ''), setValue: () => {}
  });
}

function findLane(element) {
  let parent = element.parent;
  while (parent && !is(parent, 'bpmn:Lane')) parent = parent.parent;
  return parent && parent.businessObject;
}

function ConditionEntry(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const translate = useService('translate');
  return h(TextAreaEntry, {
    element, id, label: translate('Condition (Python, e.g. next_status == \'tender\')'), debounce,
    getValue: () => { const c = element.businessObject.get('conditionExpression'); return c ? c.get('body') : ''; },
    setValue: value => {
      const body = (value || '').trim();
      const expression = body ? bpmnFactory.create('bpmn:FormalExpression', { body }) : undefined;
      modeling.updateProperties(element, { conditionExpression: expression });
    }
  });
}

function entries(element) {
  if (is(element, 'bpmn:SequenceFlow')) {
    return [ { id: 'dealflow-condition', element, component: ConditionEntry, isEdited: isTextFieldEntryEdited } ];
  }
  if (!STATUS_TYPES.some(type => is(element, type))) return [];
  return [
    ...NAMES.map(name => ({ id: 'dealflow-' + name.replace('.', '-'), element, component: p => h(PropertyEntry, { ...p, name, label: LABELS[name] }),
      isEdited: isTextFieldEntryEdited })),
    { id: 'dealflow-lane', element, component: LaneEntry }
  ];
}

export default function DealflowPropertiesProvider(propertiesPanel) {
  propertiesPanel.registerProvider(500, this);
}
DealflowPropertiesProvider.prototype.getGroups = function(element) {
  return groups => {
    const list = entries(element);
    if (list.length) groups.splice(1, 0, { id: 'dealflow', label: 'dealflow', entries: list, component: Group, shouldOpen: true });
    return groups;
  };
};
DealflowPropertiesProvider.$inject = [ 'propertiesPanel' ];
