// The system page: a point in the system's history (event N under policy P) and everything Xen
// held at that point; the point moves with the slider, the timeline and the keyboard, and the URL
// keeps system, point, policy, compare mode and selection so a view can be shared.
//
// This module composes the page's parts and holds its view state (S); each part is a module:
// scrubber.js (slider and keys), timeline.js, state-tabs.js (the state's tabs), findings.js (findings
// and audit trail), compare.js, state-loader.js (states from the service) and url-state.js.

import { api } from './api.js';
import { ReleasesView, BASELINE } from './releases.js';
import { h, replace, announce } from './util.js';
import { cells, changedBuses } from './model.js';
import { renderBusAudit, renderPdevAudit } from './audit.js';
import { Scrubber } from './scrubber.js';
import { Timeline } from './timeline.js';
import { StateTabs, TABS } from './state-tabs.js';
import { FindingsPanel } from './findings.js';
import { CompareView } from './compare.js';
import { StateLoader } from './state-loader.js';
import { viewFromParams, paramsOfView, startEvent } from './url-state.js';

/** params: {system, event, step, policy, compare, vs, from, sel, tab}; setParams(params) rewrites the URL. */
export function renderSystem(main, params, { nav, setParams, headerTools, crumbs }) {
  const system = params.system;
  const S = {
    system,
    summary: null,
    timeline: [],
    steps: [],
    total: 0,
    point: null,
    ownPolicy: null,
    ...viewFromParams(params, TABS.map((t) => t.id)),
    auditSide: null,
    state: null,
    cells: null,
  };
  let disposed = false;
  let auditSeq = 0;
  let POLICIES = []; // every policy the service folds under, from GET /api/policies

  document.title = `${system} · pci-timeline`;
  replace(crumbs,
    h('a', { href: './', onclick: (e) => { e.preventDefault(); nav({}); } }, 'Systems'),
    h('span', { 'aria-hidden': 'true' }, ' / '),
    h('span', { 'aria-current': 'page', class: 'crumb-system' }, system));

  // ------------------------------------------------------------------ header tools: policy, compare
  const policySelect = h('select', { id: 'policy', 'aria-label': 'Policy: the Xen build the history is seen under' });
  const compareSelect = h('select', { id: 'compare', 'aria-label': 'Compare mode' },
    h('option', { value: '' }, 'off'),
    h('option', { value: 'policies' }, 'two policies'),
    h('option', { value: 'points' }, 'two points'));
  const vsSelect = h('select', { id: 'vs', 'aria-label': 'Policy to compare with' });
  const fromInput = h('input', {
    id: 'from', type: 'number', min: 1, class: 'num-input', 'aria-label': 'Event to compare with (left side)',
  });
  const vsWrap = h('label', { class: 'tool', hidden: true }, 'vs ', vsSelect);
  const fromWrap = h('label', { class: 'tool', hidden: true }, 'from event ', fromInput);
  replace(headerTools,
    h('label', { class: 'tool' }, 'Policy ', policySelect),
    h('label', { class: 'tool' }, 'Compare ', compareSelect),
    vsWrap, fromWrap);

  // ------------------------------------------------------------------ the parts
  const status = h('p', { class: 'status-line', role: 'status' });
  const scrubber = new Scrubber(go);
  const timeline = new Timeline(go);
  const releases = new ReleasesView(system, (policy, event) => openRelease(policy, event));
  const tabs = new StateTabs({ onSelect: select, onTab: setTab, releases: releases.element });
  const side = new FindingsPanel({ onSelect: select, onMove: go, onSide: setSide });
  const compare = new CompareView(select);
  const loader = new StateLoader(system, {
    current: () => ({ event: S.point, policy: currentPolicy() }),
    onState: (st) => {
      if (!status.dataset.created) status.textContent = '';
      show(st);
    },
    onError: (n, e) => { status.textContent = `Cannot load the state at event ${n}: ${e.message}`; },
  });

  const workspace = h('div', { class: 'workspace' }, timeline.element, tabs.element, side.element);
  const page = h('div', { class: 'system-page' }, scrubber.element, status, workspace, compare.element);
  replace(main, page);

  // ------------------------------------------------------------------ wiring
  policySelect.addEventListener('change', () => {
    S.policy = policySelect.value === S.ownPolicy ? null : policySelect.value;
    loader.clear();
    announce(`Policy ${currentPolicy()}`);
    pushUrl();
    loader.load();
  });
  compareSelect.addEventListener('change', () => setCompare(compareSelect.value || null));
  vsSelect.addEventListener('change', () => { S.vs = vsSelect.value; pushUrl(); refreshCompare(); });
  fromInput.addEventListener('change', () => {
    const n = Math.round(Number(fromInput.value));
    if (Number.isFinite(n)) S.from = Math.min(Math.max(1, n), S.total);
    fromInput.value = S.from;
    pushUrl();
    refreshCompare();
  });

  function currentPolicy() { return S.policy || S.ownPolicy; }

  // ------------------------------------------------------------------ start
  status.textContent = 'Loading…';
  Promise.all([api.system(system), api.state(system), api.events(system), api.policies()]).then(([summary, now, events, policies]) => {
    if (disposed) return;
    POLICIES = policies.map((p) => p.policy);
    replace(vsSelect, POLICIES.map((p) => h('option', { value: p }, p)));
    S.summary = summary;
    S.ownPolicy = now.policy;
    loader.ownPolicy = now.policy;
    S.total = now.event;
    S.steps = now.steps;
    S.timeline = events;
    if (!S.policy && params.policy && params.policy !== now.policy) S.policy = params.policy;
    if (S.policy === S.ownPolicy) S.policy = null;
    replace(policySelect, POLICIES.map((p) => h('option', { value: p, selected: p === currentPolicy() },
      p === S.ownPolicy ? `${p} (recorded)` : p)));
    scrubber.setHistory({ total: S.total, steps: S.steps, timeline: S.timeline });
    fromInput.max = S.total;
    timeline.build(S.timeline, S.steps, S.summary.segment);
    setTab(S.tab, false);
    setSide(S.side, false);
    compareSelect.value = S.compare || '';
    if (S.vs) vsSelect.value = S.vs;
    if (S.from) fromInput.value = S.from;
    applyCompareLayout();
    status.textContent = '';
    if (params.created) {
      const failed = (params.created.expectations || []).filter((x) => !x.passed);
      status.textContent = `Created from scenario ${params.created.scenario}: ${params.created.expectations.length} expectations checked, `
        + `${failed.length ? `${failed.length} failed` : 'all passed'}.`;
      status.dataset.created = 'true';
    }
    go(startEvent(params, S.steps, S.total), { initial: true });
  }).catch((e) => {
    if (disposed) return;
    replace(page, h('div', { class: 'card' }, h('h1', null, system),
      h('p', { class: 'error-text', role: 'alert' }, e.status === 404 ? 'No such system.' : `Cannot load the system: ${e.message}`),
      h('p', null, h('a', { href: './', onclick: (ev) => { ev.preventDefault(); nav({}); } }, 'Back to the systems'))));
  });

  // ------------------------------------------------------------------ moving the point
  function go(n, { initial = false } = {}) {
    if (!S.total) return;
    n = Math.min(Math.max(1, Math.round(n)), S.total);
    if (n === S.point && !initial) return;
    if (!initial && S.point !== null && status.dataset.created) { status.textContent = ''; delete status.dataset.created; }
    S.point = n;
    scrubber.show(n);
    timeline.show(n);
    pushUrl();
    loader.load();
  }

  function show(st) {
    const before = S.cells;
    S.state = st;
    S.cells = cells(st);
    const changed = changedBuses(before, S.cells);
    tabs.show(st, S.cells, { changed, selected: S.sel && S.sel.kind === 'bus' ? S.sel.bus : null });
    side.showFindings(st);
    page.dataset.event = String(st.event);
    page.dataset.policy = st.policy;
    page.dataset.step = String(st.step);
    if (changed.size) announce(`${changed.size} bus2bridge ${changed.size === 1 ? 'entry' : 'entries'} changed`);
    if (S.sel) refreshAudit();
    if (S.compare) refreshCompare();
  }

  // ------------------------------------------------------------------ selection and audit
  function select(sel, keepFocus, sideGrid) {
    const same = S.sel && sel.kind === S.sel.kind && sel.bus === S.sel.bus && sel.bdf === S.sel.bdf;
    S.sel = sel;
    if (!same) side.auditToTop();
    S.auditSide = sideGrid || null;
    setSide('audit', false);
    pushUrl();
    if (S.cells) tabs.select(S.cells, sel.kind === 'bus' ? sel.bus : null);
    refreshAudit().then(() => {
      if (!keepFocus) {
        const title = document.getElementById('audit-title');
        if (title) title.focus({ preventScroll: true });
      }
    });
  }

  async function refreshAudit() {
    if (!S.sel || S.point === null) return;
    const my = ++auditSeq;
    const policy = S.compare === 'policies' && S.auditSide === 'b' ? S.vs : currentPolicy();
    const event = S.compare === 'points' && S.auditSide === 'a' ? S.from || 1 : S.point;
    const opts = { event, policy: policy === S.ownPolicy ? undefined : policy };
    try {
      const a = S.sel.kind === 'bus' ? await api.auditBus(system, S.sel.bus, opts) : await api.auditPdev(system, S.sel.bdf, opts);
      if (my !== auditSeq || disposed) return;
      side.showAudit(S.sel.kind === 'bus' ? renderBusAudit(a, (n) => go(n)) : renderPdevAudit(a, (n) => go(n)));
    } catch (e) {
      if (my !== auditSeq || disposed) return;
      side.showAudit(h('p', { class: 'error-text', role: 'alert' }, `Cannot load the audit trail: ${e.message}`));
    }
  }

  function setTab(id, push = true) {
    S.tab = id;
    if (id === 'releases') releases.load();
    tabs.setTab(id);
    if (push) pushUrl();
  }

  function setSide(which, push = true) {
    S.side = which;
    side.setSide(which);
    if (push) pushUrl();
  }

  // ------------------------------------------------------------------ compare
  /** Compare mode 'policies' (against S.vs, else another policy), 'points' (from S.from, else the event before) or off (null). */
  function setCompare(mode) {
    S.compare = mode;
    compareSelect.value = mode || '';
    if (S.compare === 'policies' && !S.vs) S.vs = POLICIES.find((p) => p !== currentPolicy());
    if (S.compare === 'points' && !S.from) S.from = Math.max(1, S.point - 1);
    applyCompareLayout();
    pushUrl();
    refreshCompare();
  }

  /** From the releases view: xen-4.4 (left) against {@code policy} (right), at {@code event} when given. */
  function openRelease(policy, event) {
    S.policy = BASELINE === S.ownPolicy ? null : BASELINE;
    policySelect.value = BASELINE;
    loader.clear();
    S.vs = policy;
    vsSelect.value = policy;
    announce(`Comparing ${BASELINE} with ${policy}`);
    setCompare('policies');
    if (event && event !== S.point) {
      go(event);
    } else {
      loader.load();
    }
  }

  function applyCompareLayout() {
    const on = !!S.compare;
    page.dataset.compare = S.compare || '';
    vsWrap.hidden = S.compare !== 'policies';
    fromWrap.hidden = S.compare !== 'points';
    compare.element.hidden = !on;
    // the side panel (findings/audit) moves under the comparison, beside the differences
    if (on && side.element.parentElement !== compare.lower) compare.lower.appendChild(side.element);
    if (!on && side.element.parentElement !== workspace) workspace.appendChild(side.element);
    workspace.hidden = on;
  }

  function refreshCompare() {
    if (!S.compare || S.point === null || !S.total) return;
    const policy = currentPolicy();
    compare.show({
      system, mode: S.compare, policy, vs: S.vs || POLICIES.find((p) => p !== policy), point: S.point, from: S.from || 1,
      selectedBus: S.sel && S.sel.kind === 'bus' ? S.sel.bus : null,
    }, (n, p) => loader.stateAt(n, p));
  }

  // ------------------------------------------------------------------ URL
  function pushUrl() {
    setParams(paramsOfView(system, S, TABS[0].id));
  }

  return () => {
    disposed = true;
    scrubber.dispose();
    loader.dispose();
    compare.dispose();
  };
}
