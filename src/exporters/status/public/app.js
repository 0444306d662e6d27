// virtmon status page: renders /status.json and follows /status/events (server-sent events); falls back
// to polling /status.json when the event stream is unavailable. Plain DOM, no build step.
'use strict';

const POLL_MS = 2000;
const COLUMNS = ['t', 'cpu', 'mem', 'disk', 'net'];
/** Per-domain history the page keeps: the server sends only points newer than what it sent before. */
const histories = new Map();

/** Merges a push's new points into the page's copy (deduplicated by time) and trims it to `size`. */
function mergeHistory(doc) {
  const seen = new Set();
  for (const d of doc.domains) {
    seen.add(d.uuid);
    let h = histories.get(d.uuid);
    if (!h) { h = { t: [], cpu: [], mem: [], disk: [], net: [] }; histories.set(d.uuid, h); }
    const last = h.t.length ? h.t[h.t.length - 1] : -Infinity;
    d.history.t.forEach((t, i) => {
      if (t <= last) return;
      for (const c of COLUMNS) h[c].push(d.history[c][i]);
    });
    const extra = h.t.length - doc.historySize;
    if (extra > 0) for (const c of COLUMNS) h[c].splice(0, extra);
  }
  for (const uuid of [...histories.keys()]) if (!seen.has(uuid)) histories.delete(uuid);
}

/** The newest point time the page has for every domain (polling asks only for newer ones). */
function pollSince() {
  if (histories.size === 0) return undefined;
  let min = Infinity;
  for (const h of histories.values()) min = Math.min(min, h.t.length ? h.t[h.t.length - 1] : -Infinity);
  return Number.isFinite(min) ? min : undefined;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v; else node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function slug(text) { return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-'); }

function bytes(n, suffix) {
  if (n === undefined || n === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}${suffix || ''}`;
}

function percent(n) { return n === undefined || n === null ? '–' : `${n.toFixed(1)} %`; }

function ago(ms, now) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

/** A small inline SVG line chart of `values` (undefined points are skipped). */
function spark(kind, raw, title) {
  const values = raw.map((v) => (v === null ? undefined : v));
  const w = 90, h = 22;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', `spark ${kind}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const t = document.createElementNS(ns, 'title');
  t.textContent = title;
  svg.append(t);
  const pts = values.map((v, i) => [i, v]).filter(([, v]) => typeof v === 'number');
  if (pts.length > 1) {
    const max = Math.max(...pts.map(([, v]) => v), kind === 'cpu' ? 100 : 1);
    const step = w / Math.max(1, values.length - 1);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', pts.map(([i, v]) => `${(i * step).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join(' '));
    svg.append(line);
  }
  return svg;
}

function renderDomains(doc) {
  const body = document.querySelector('#domains tbody');
  const rows = doc.domains.map((d) => {
    const l = d.latest || {};
    const state = el('td', { 'data-field': 'state' }, el('span', { class: `badge ${slug(d.stateText)}` }, d.stateText));
    if (d.cached) state.append(el('span', { class: 'flag', title: 'values from the previous cycle' }, 'cached'));
    if (d.timedOut) state.append(el('span', { class: 'flag', title: 'last collection timed out' }, 'timed out'));
    const mem = l.mem === undefined ? '–' : d.maxMemoryBytes ? `${bytes(l.mem)} / ${bytes(d.maxMemoryBytes)}` : bytes(l.mem);
    const hist = histories.get(d.uuid) || { cpu: [], disk: [], net: [] };
    return el('tr', { 'data-domain': d.name, 'data-uuid': d.uuid, 'data-state': d.state },
      el('td', { 'data-field': 'name', title: d.uuid }, d.name),
      state,
      el('td', { class: 'num', 'data-field': 'cpu', title: d.vcpus ? `${d.vcpus} vCPU` : '' }, percent(l.cpu)),
      el('td', { class: 'num', 'data-field': 'memory' }, mem),
      el('td', { class: 'num', 'data-field': 'disk' }, bytes(l.disk, '/s')),
      el('td', { class: 'num', 'data-field': 'net' }, bytes(l.net, '/s')),
      el('td', { 'data-field': 'history' },
        spark('cpu', hist.cpu, 'CPU % of vCPUs'),
        spark('disk', hist.disk, 'disk bytes/s'),
        spark('net', hist.net, 'network bytes/s')),
    );
  });
  body.replaceChildren(...rows);
  document.getElementById('no-domains').hidden = rows.length > 0;
}

function renderList(id, items, none, render) {
  const ul = document.getElementById(id);
  if (items === undefined) { ul.replaceChildren(el('li', { class: 'muted' }, 'not configured')); return; }
  if (items.length === 0) { ul.replaceChildren(el('li', { class: 'muted' }, none)); return; }
  ul.replaceChildren(...items.map(render));
}

function render(doc) {
  document.title = `${doc.title} — ${doc.domains.length} domains`;
  document.getElementById('title').textContent = doc.title;
  const host = document.getElementById('host');
  host.textContent = doc.up ? 'hypervisor up' : 'hypervisor down';
  host.className = `badge ${doc.up ? 'up' : 'down'}`;
  document.getElementById('count').textContent = `${doc.domainCount} domains`;
  document.getElementById('updated').textContent = `updated ${new Date(doc.generatedAt).toLocaleTimeString()}`;
  document.getElementById('metrics').setAttribute('href', doc.metricsPath);
  mergeHistory(doc);
  renderDomains(doc);
  renderList('alerts', doc.alerts, 'no alerts', (a) => el('li', { 'data-alert': a.name },
    el('span', { class: `badge ${slug(a.state)}` }, a.state), ' ', a.name,
    a.domain ? ` · ${a.domain}` : '', a.summary ? ` — ${a.summary}` : '',
    a.since ? el('span', { class: 'muted' }, ` (${ago(a.since, doc.generatedAt)})`) : ''));
  renderList('actions', doc.actions, 'no actions', (a) => el('li', { 'data-action': a.action },
    el('span', { class: `badge ${slug(a.result)}` }, a.result), ` ${a.action} ${a.domain}`,
    a.actor ? ` by ${a.actor}` : '', a.reason ? ` — ${a.reason}` : '',
    el('span', { class: 'muted' }, ` (${ago(a.time, doc.generatedAt)})`)));
  const cbody = document.querySelector('#collectors tbody');
  cbody.replaceChildren(...doc.collectors.map((c) => el('tr', { 'data-collector': c.name },
    el('td', {}, c.name),
    el('td', {}, el('span', { class: `badge ${c.success ? 'ok' : 'failed'}` }, c.success ? 'ok' : 'failing')),
    el('td', { class: 'num' }, `${(c.durationSeconds * 1000).toFixed(1)} ms`),
    el('td', { class: 'num' }, `${(c.intervalMs / 1000).toFixed(0)} s`))));
  document.body.dataset.version = String(doc.version);
}

async function poll() {
  try {
    const since = pollSince();
    const res = await fetch(since === undefined ? '/status.json' : `/status.json?since=${since}`, { cache: 'no-store' });
    if (res.ok) render(await res.json());
  } catch (e) {
    document.getElementById('live').textContent = `offline (${e.message})`;
  }
}

function follow() {
  const live = document.getElementById('live');
  if (typeof EventSource !== 'function') { live.textContent = 'polling'; setInterval(poll, POLL_MS); return; }
  const es = new EventSource('/status/events');
  let pollTimer;
  es.addEventListener('status', (ev) => {
    live.textContent = 'live';
    if (pollTimer) { clearInterval(pollTimer); pollTimer = undefined; }
    render(JSON.parse(ev.data));
  });
  es.addEventListener('error', () => {
    // EventSource reconnects by itself; poll meanwhile so the page stays current.
    live.textContent = 'reconnecting (polling)';
    if (!pollTimer) pollTimer = setInterval(poll, POLL_MS);
  });
}

void poll();
follow();
