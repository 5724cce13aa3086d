// Read-only diagrams: the deal card's (current node highlighted, the path taken, time per node,
// the node its process failed in) and the process dashboard's heat map (deals per node, median
// time there, nodes where deals are stuck in an error).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

// Time as the page's language writes it: its decimal mark, and the unit words the page gives
// (data-unit-days / data-unit-hours on the diagram's container).
const decimal = new Intl.NumberFormat(document.documentElement.lang || 'ru', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function days(seconds, container) {
  const d = seconds / 86400;
  return d >= 1 ? `${decimal.format(d)} ${container.dataset.unitDays || 'd'}`
    : `${decimal.format(seconds / 3600)} ${container.dataset.unitHours || 'h'}`;
}

function badge(overlays, id, text, className) {
  const html = document.createElement('div');
  html.className = 'bpmn-badge ' + className;
  html.textContent = text;
  overlays.add(id, { position: { bottom: -4, right: 8 }, html });
}

async function open(container, url) {
  const viewer = new NavigatedViewer({ container });
  const text = await (await fetch(url, { credentials: 'same-origin' })).text();
  await viewer.importXML(text);
  viewer.get('canvas').zoom('fit-viewport');
  return viewer;
}

async function dealDiagram(container) {
  const data = await (await fetch(container.dataset.diagram, { credentials: 'same-origin' })).json();
  const viewer = await open(container, data.bpmn_url);
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  for (const id of [...data.visited, ...data.flows]) if (registry.get(id)) canvas.addMarker(id, 'bpmn-visited');
  for (const [node, seconds] of Object.entries(data.seconds)) if (registry.get(node)) badge(overlays, node, days(seconds, container), 'time');
  if (data.current && registry.get(data.current)) canvas.addMarker(data.current, 'bpmn-current');
  if (data.failed && registry.get(data.failed)) canvas.addMarker(data.failed, 'bpmn-failed');
  container.dataset.current = data.current || '';
  container.dataset.ready = '1';
}

async function dashboard(container) {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  const viewer = await open(container, container.dataset.source);
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const medians = data.nodes.map(n => n.median_seconds || 0);
  const top = Math.max(1, ...medians);
  for (const node of data.nodes) {
    if (!registry.get(node.node_id)) continue;
    const heat = Math.min(5, Math.ceil(5 * (node.median_seconds || 0) / top));
    canvas.addMarker(node.node_id, 'bpmn-heat-' + heat);
    badge(overlays, node.node_id, String(node.count), 'count');
    if (node.median_seconds !== null) {
      overlays.add(node.node_id, { position: { top: -18, left: 0 },
        html: Object.assign(document.createElement('div'), { className: 'bpmn-badge time', textContent: days(node.median_seconds, container) }) });
    }
  }
  // The real paths: each flow thicker by how many moves went along it, labelled with the count
  // (and the median stay before the move when one move alone used the flow).
  const most = Math.max(1, ...(data.paths || []).map(p => p.count));
  for (const path of data.paths || []) {
    if (!registry.get(path.flow_id)) continue;
    canvas.addMarker(path.flow_id, 'bpmn-path-' + Math.max(1, Math.ceil(5 * path.count / most)));
    const label = path.median_seconds === null ? String(path.count)
      : `${path.count} · ${days(path.median_seconds, container)}`;
    overlays.add(path.flow_id, { position: { top: 0, left: 0 },
      html: Object.assign(document.createElement('div'), { className: 'bpmn-badge path', textContent: label }) });
  }
  container.dataset.paths = String((data.paths || []).length);
  for (const [node, count] of Object.entries(data.failed || {})) {
    if (!registry.get(node)) continue;
    canvas.addMarker(node, 'bpmn-failed');
    badge(overlays, node, '⚠ ' + count, 'failed');
  }
  container.dataset.ready = '1';
}

function fail(container, error) {
  container.textContent = container.dataset.msgFailed + ': ' + error.message;
}

for (const container of document.querySelectorAll('#deal-diagram')) dealDiagram(container).catch(e => fail(container, e));
for (const container of document.querySelectorAll('#dashboard-diagram')) dashboard(container).catch(e => fail(container, e));
