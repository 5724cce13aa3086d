// The process modeler page: bpmn-js with the properties panel and the dealflow group, lint while drawing
// (bpmnlint with dealflow's rules, web/bpmnlint-plugin-dealflow), token simulation, validate (highlighting
// the elements named; a click on a reason selects its element), deploy, download and upload.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { getBBox } from 'diagram-js/lib/util/Elements';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import LintModule from 'bpmn-js-bpmnlint';
import TokenSimulationModule from 'bpmn-js-token-simulation';
import lintConfig from '../../build/bpmnlint-config.js'; // web/.bpmnlintrc, packed by the npm build
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import spiffModdle from './spiffworkflow.json';
import DealflowPropertiesProvider from './dealflow-provider';

const canvas = document.getElementById('bpmn-canvas');
const status = document.getElementById('bpmn-status');
const list = document.getElementById('bpmn-problems');
const csrf = document.querySelector('meta[name=csrf-token]').content;
// bpmn-js and its panel ask ``translate`` for every word they show; the page gives the user's language.
const texts = JSON.parse(canvas.dataset.translations || '{}');
function translate(template, replacements) {
  return (texts[template] || template).replace(/{([^}]+)}/g, (all, key) =>
    (replacements && replacements[key] !== undefined ? replacements[key] : all));
}
const modeler = new BpmnModeler({
  container: canvas,
  propertiesPanel: { parent: '#bpmn-properties' },
  linting: { bpmnlint: lintConfig, active: true },
  additionalModules: [ { translate: [ 'value', translate ] }, BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
    LintModule, TokenSimulationModule,
    { __init__: [ 'dealflowPropertiesProvider' ], dealflowPropertiesProvider: [ 'type', DealflowPropertiesProvider ] } ],
  moddleExtensions: { camunda: camundaModdle, spiffworkflow: spiffModdle }
});
window.dealflowModeler = modeler; // for people debugging in the console, and the browser tests
let marked = [];

function say(text, kind) {
  status.textContent = text;
  status.className = 'bpmn-status ' + (kind || '');
}

function mark(problems) {
  const canvasService = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  marked.forEach(id => registry.get(id) && canvasService.removeMarker(id, 'bpmn-error'));
  marked = [];
  list.replaceChildren();
  for (const problem of problems) {
    const item = document.createElement('li');
    item.dataset.element = problem.element_id;
    item.textContent = (problem.element_id ? problem.element_id + ': ' : '') + problem.reason;
    list.appendChild(item);
    if (problem.element_id && registry.get(problem.element_id)) {
      canvasService.addMarker(problem.element_id, 'bpmn-error');
      marked.push(problem.element_id);
      item.tabIndex = 0;
      item.className = 'bpmn-problem-link';
      item.addEventListener('click', () => focus(problem.element_id));
      item.addEventListener('keydown', event => { if (event.key === 'Enter') focus(problem.element_id); });
    }
  }
}

// Select an element and bring it to the middle of the canvas at a readable zoom.
function focus(id) {
  const element = modeler.get('elementRegistry').get(id);
  if (!element) return;
  modeler.get('selection').select(element);
  const view = modeler.get('canvas');
  const box = view.viewbox();
  const scale = Math.max(box.scale, 1);
  const width = box.outer.width / scale, height = box.outer.height / scale;
  const bounds = getBBox(element);
  view.viewbox({ x: bounds.x + bounds.width / 2 - width / 2, y: bounds.y + bounds.height / 2 - height / 2, width, height });
}

async function xml() {
  return (await modeler.saveXML({ format: true })).xml;
}

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', body, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/xml', 'X-CSRFToken': csrf, 'Accept': 'application/json' } });
  return { status: response.status, body: await response.json() };
}

async function validate() {
  const { body } = await post(canvas.dataset.validate, await xml());
  mark(body.errors || []);
  say(body.valid ? canvas.dataset.msgValid : canvas.dataset.msgInvalid, body.valid ? 'ok' : 'error');
  return body.valid;
}

// Deploy shows what it changes first (the server's diff against the running version, in the user's
// language) and deploys only once confirmed; a diagram changed only in layout or formatting makes no version.
const confirmDialog = document.getElementById('deploy-confirm');

function confirmed(html) {
  document.getElementById('deploy-diff').innerHTML = html;  // rendered and escaped by the server's template
  return new Promise(resolve => {
    const done = answer => { confirmDialog.close(); resolve(answer); };
    document.getElementById('deploy-confirm-yes').onclick = () => done(true);
    document.getElementById('deploy-confirm-no').onclick = () => done(false);
    confirmDialog.oncancel = () => resolve(false);
    confirmDialog.showModal();
  });
}

async function deploy() {
  if (!await validate()) return;
  const source = await xml();
  const preview = await post(canvas.dataset.diff, source);
  if (preview.status !== 200) {
    mark(preview.body.errors || []);
    say(preview.body.message || preview.body.title, 'error');
    return;
  }
  if (!preview.body.changed) {
    say(canvas.dataset.msgUnchanged, 'ok');
    return;
  }
  if (!await confirmed(preview.body.html)) return;
  const { status: code, body } = await post(canvas.dataset.deploy, source);
  if (code === 200 && body.changed === false) {
    say(body.message || canvas.dataset.msgUnchanged, 'ok');
    return;
  }
  if (code !== 201) {
    mark(body.errors || []);
    say(body.message || body.title, 'error');
    return;
  }
  const row = body.processes[0];
  say(canvas.dataset.msgDeployed + ' ' + row.version, 'ok deployed');
  window.history.replaceState(null, '', row.url);
}

// The whole diagram in view, its left edge clear of the tool palette that floats over the canvas.
function fitBesidePalette(view) {
  view.zoom('fit-viewport');
  const palette = canvas.querySelector('.djs-palette');
  const box = view.viewbox();
  if (!palette || !box.scale) return;
  const room = (palette.offsetLeft + palette.offsetWidth + 12) / box.scale;
  view.viewbox({ x: box.x - room, y: box.y, width: box.width + room, height: box.height });
}

async function load(text) {
  try {
    await modeler.importXML(text);
    fitBesidePalette(modeler.get('canvas'));
    mark([]);
    canvas.dataset.ready = '1';
  } catch (error) {
    say(canvas.dataset.msgFailed + ': ' + error.message, 'error');
  }
}

// Token simulation: the page's button toggles the extension's mode (its own toggle, English only, is hidden).
const simulate = document.getElementById('bpmn-simulate');
simulate.addEventListener('click', () => modeler.get('toggleMode').toggleMode());
modeler.get('eventBus').on('tokenSimulation.toggleMode', event => {
  simulate.setAttribute('aria-pressed', String(event.active));
  simulate.classList.toggle('btn-primary', event.active);
});

document.getElementById('bpmn-validate').addEventListener('click', validate);
document.getElementById('bpmn-deploy').addEventListener('click', deploy);
document.getElementById('bpmn-download').addEventListener('click', async event => {
  event.currentTarget.href = 'data:application/xml;charset=utf-8,' + encodeURIComponent(await xml());
});
document.getElementById('bpmn-upload').addEventListener('change', async event => {
  const file = event.target.files[0];
  if (file) await load(await file.text());
});
fetch(canvas.dataset.source, { credentials: 'same-origin' }).then(r => r.text()).then(load);
