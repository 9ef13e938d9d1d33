// The system page: a point in the system's history (event N under policy P) and everything Xen
// held at that point; the point moves with the slider, the timeline and the keyboard, and the URL
// keeps system, point, policy, compare mode and selection so a view can be shared.

import { api } from './api.js';
import { ReleasesView, BASELINE } from './releases.js';
import { h, replace, hex2, shortBdf, announce, ownsArrowKeys } from './util.js';
import { cells, changedBuses, stepBoundaries, pdevIndex, typeShort, domainText, findingSubject } from './model.js';
import { Bus2BridgeGrid, legend } from './grid.js';
import { HardwareView } from './tree.js';
import { renderBusAudit, renderPdevAudit } from './audit.js';
import { SortableTable } from './table.js';

const TABS = [
  { id: 'grid', label: 'bus2bridge' },
  { id: 'tree', label: 'Hardware' },
  { id: 'pdevs', label: 'pdevs' },
  { id: 'upstream', label: 'Upstream walks' },
  { id: 'contexts', label: 'Context entries' },
  { id: 'releases', label: 'Releases' },
];

/** params: {system, event, policy, compare, vs, from, sel, tab}; setParams(params) rewrites the URL. */
export function renderSystem(main, params, { nav, setParams, headerTools, crumbs }) {
  const system = params.system;
  const S = {
    system,
    summary: null,
    timeline: [],
    steps: [],
    total: 0,
    boundaries: [],
    point: null,
    policy: params.policy || null,
    ownPolicy: null,
    compare: ['policies', 'points'].includes(params.compare) ? params.compare : null,
    vs: params.vs || null,
    from: params.from ? Number(params.from) : null,
    sel: parseSel(params.sel),
    tab: TABS.some((t) => t.id === params.tab) ? params.tab : 'grid',
    side: params.sel ? 'audit' : 'findings',
    state: null,
    cells: null,
    cache: new Map(),
  };
  let disposed = false;
  let wanted = null;
  let loading = false;
  let auditSeq = 0;
  let compareSeq = 0;
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

  // ------------------------------------------------------------------ scrubber
  const slider = h('input', { type: 'range', id: 'slider', min: 1, max: 1, value: 1, 'aria-label': 'Event' });
  const pointLabel = h('output', { id: 'point-label', for: 'slider', class: 'point-label' });
  const stepBar = h('div', { class: 'step-bar', 'aria-hidden': 'true' });
  const stepMarker = h('div', { class: 'step-marker' });
  const nowStep = h('div', { class: 'now-step' });
  const nowEvent = h('div', { class: 'now-event mono' });
  const btn = (label, title, fn, id) => h('button', {
    type: 'button', class: 'icon', title, 'aria-label': title, id, onclick: fn,
  }, label);
  const scrubber = h('section', { class: 'scrubber', 'aria-label': 'Point in the history' },
    h('div', { class: 'scrub-row' },
      h('div', { class: 'scrub-buttons' },
        btn(icon('first'), 'First event (Home)', () => go(1), 'first'),
        btn(icon('prev-step'), 'Previous step (Shift+Left)', () => stepMove(-1), 'prev-step'),
        btn(icon('prev'), 'Previous event (Left)', () => go(S.point - 1), 'prev-event'),
        btn(icon('next'), 'Next event (Right)', () => go(S.point + 1), 'next-event'),
        btn(icon('next-step'), 'Next step (Shift+Right)', () => stepMove(1), 'next-step'),
        btn(icon('last'), 'Last event (End)', () => go(S.total), 'last')),
      h('div', { class: 'slider-wrap' }, slider, h('div', { class: 'step-track' }, stepBar, stepMarker)),
      pointLabel,
      h('details', { class: 'keys' }, h('summary', null, 'Keys'),
        h('dl', null,
          h('dt', null, '← →'), h('dd', null, 'previous / next event'),
          h('dt', null, 'Shift + ← →'), h('dd', null, 'previous / next step'),
          h('dt', null, 'Home End'), h('dd', null, 'first / last event'),
          h('dt', null, 'in the grid'), h('dd', null, 'arrows move, Enter opens the audit, Esc leaves')))),
    h('div', { class: 'now' }, nowStep, nowEvent));

  // ------------------------------------------------------------------ timeline
  const timelineList = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Steps and their events' });
  const timelinePanel = h('aside', { class: 'panel timeline-panel', 'aria-labelledby': 'timeline-h' },
    h('h2', { id: 'timeline-h' }, 'Timeline'), h('div', { class: 'scroll', id: 'timeline-scroll' }, timelineList));
  const eventRows = [];

  // ------------------------------------------------------------------ centre: tabs
  const grid = new Bus2BridgeGrid({ label: 'bus2bridge: 256 buses', onSelect: (bus, kb) => select({ kind: 'bus', bus }, kb) });
  const hardware = new HardwareView((bdf, kb) => select({ kind: 'pdev', bdf }, kb));
  const pdevTable = new SortableTable([
    {
      key: 'bdf', label: 'BDF', cell: (p) => h('button', {
        type: 'button', class: 'link mono', onclick: (e) => select({ kind: 'pdev', bdf: p.bdf }, e.detail === 0),
      }, shortBdf(p.bdf)),
    },
    { key: 'type', label: 'Type', cell: (p) => typeShort(p.type) },
    { key: 'domain', label: 'Owner', value: (p) => p.domain ?? 1e9, cell: (p) => domainText(p.domain) },
    { key: 'virtfnOf', label: 'VF of', cell: (p) => (p.virtfnOf ? shortBdf(p.virtfnOf) : '') },
    { key: 'answers', label: 'Answers now', value: (p) => p.answers || '', cell: (p) => p.answers || h('span', { class: 'muted' }, 'nothing') },
    { key: 'status', label: 'Findings', value: (p) => p.kinds.join(' '), cell: (p) => badges(p.kinds) },
  ], { caption: "Xen's pdev list", empty: 'Xen holds no pdev.', rowClass: (p) => (p.kinds.length ? 'has-finding' : null) });
  const upstreamTable = new SortableTable([
    {
      key: 'bdf', label: 'From pdev', cell: (u) => h('button', {
        type: 'button', class: 'link mono', onclick: (e) => select({ kind: 'pdev', bdf: u.bdf }, e.detail === 0),
      }, shortBdf(u.bdf)),
    },
    {
      key: 'result', label: 'Result', numeric: true,
      cell: (u) => h('span', { class: u.result < 0 ? 'badge bad' : 'mono' }, String(u.result)),
    },
    { key: 'bridge', label: 'Bridge', cell: (u) => (u.bridge ? h('span', { class: 'mono' }, shortBdf(u.bridge)) : '') },
    { key: 'secbus', label: 'Secondary bus', numeric: true, cell: (u) => (u.secbus !== undefined && u.secbus !== null ? hex2(u.secbus) : '') },
  ], { caption: 'find_upstream_bridge from each pdev', empty: 'No pdev to walk from.', rowClass: (u) => (u.result < 0 ? 'has-finding' : null) });
  const contextSummary = h('p', { class: 'muted context-summary' });
  const contextTable = new SortableTable([
    { key: 'domain', label: 'Domain', numeric: true, cell: (c) => `d${c.domain}` },
    {
      key: 'bdf', label: 'Requester ID', value: (c) => c.bdf, cell: (c) => h('button', {
        type: 'button', class: 'link mono', onclick: (e) => select({ kind: 'pdev', bdf: c.bdf }, e.detail === 0),
      }, shortBdf(c.bdf)),
    },
    { key: 'pdev', label: 'pdev there', value: (c) => c.pdev || '', cell: (c) => c.pdev || h('span', { class: 'muted' }, 'none') },
    { key: 'status', label: 'Findings', value: (c) => c.kinds.join(' '), cell: (c) => badges(c.kinds) },
  ], { caption: 'VT-d context entries by domain', empty: 'No context entry.', sort: { key: 'domain', dir: 1 }, rowClass: (c) => (c.kinds.length ? 'has-finding' : null) });

  const gridTitle = h('p', { class: 'grid-title muted' });
  const panels = {
    grid: h('div', null, gridTitle, grid.element, legend()),
    tree: hardware.element,
    pdevs: h('div', { class: 'table-scroll' }, pdevTable.element),
    upstream: h('div', { class: 'table-scroll' }, upstreamTable.element),
    contexts: h('div', { class: 'table-scroll' }, contextSummary, contextTable.element),
    releases: null,
  };
  const releases = new ReleasesView(system, (policy, event) => openRelease(policy, event));
  panels.releases = releases.element;
  const tabButtons = new Map();
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views of the state' },
    TABS.map((t) => {
      const b = h('button', {
        type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`,
        onclick: () => setTab(t.id),
      }, t.label, h('span', { class: 'tab-count', id: `count-${t.id}` }));
      tabButtons.set(t.id, b);
      return b;
    }));
  const centre = h('section', { class: 'panel centre', 'aria-label': 'State at this point' }, tablist,
    TABS.map((t) => h('div', {
      role: 'tabpanel', id: `panel-${t.id}`, 'aria-labelledby': `tab-${t.id}`, class: 'tabpanel', hidden: true,
    }, panels[t.id])));

  // ------------------------------------------------------------------ side: findings and audit
  const findingsBox = h('div', { class: 'findings-box', id: 'findings' });
  const auditBox = h('div', { class: 'audit-box', id: 'audit', tabindex: '-1' },
    h('p', { class: 'muted' }, 'Click a grid cell, a finding, a pdev or a function to see how it came to be.'));
  const sideFindingsTab = h('button', { type: 'button', role: 'tab', id: 'side-findings', 'aria-controls': 'side-findings-panel', onclick: () => setSide('findings') }, 'Findings', h('span', { class: 'tab-count', id: 'findings-count' }));
  const sideAuditTab = h('button', { type: 'button', role: 'tab', id: 'side-audit', 'aria-controls': 'side-audit-panel', onclick: () => setSide('audit') }, 'Audit trail');
  const side = h('aside', { class: 'panel side', 'aria-label': 'Findings and audit trail' },
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Findings or audit' }, sideFindingsTab, sideAuditTab),
    h('div', { role: 'tabpanel', id: 'side-findings-panel', 'aria-labelledby': 'side-findings', class: 'tabpanel scroll' }, findingsBox),
    h('div', { role: 'tabpanel', id: 'side-audit-panel', 'aria-labelledby': 'side-audit', class: 'tabpanel scroll', hidden: true }, auditBox));

  // ------------------------------------------------------------------ compare
  const gridA = new Bus2BridgeGrid({ label: 'bus2bridge, left side', idPrefix: 'cell-a', onSelect: (bus, kb) => select({ kind: 'bus', bus }, kb, 'a') });
  const gridB = new Bus2BridgeGrid({ label: 'bus2bridge, right side', idPrefix: 'cell-b', onSelect: (bus, kb) => select({ kind: 'bus', bus }, kb, 'b') });
  const titleA = h('h2', { class: 'pane-title', id: 'pane-a-title' });
  const titleB = h('h2', { class: 'pane-title', id: 'pane-b-title' });
  const diffBox = h('div', { class: 'diff-box', id: 'diff' });
  const compareView = h('section', { class: 'compare', 'aria-label': 'Comparison', hidden: true },
    h('div', { class: 'panes' },
      h('div', { class: 'panel pane', 'aria-labelledby': 'pane-a-title' }, titleA, gridA.element),
      h('div', { class: 'panel pane', 'aria-labelledby': 'pane-b-title' }, titleB, gridB.element)),
    h('div', { class: 'compare-lower' },
      h('div', { class: 'panel diff-panel', 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, 'Differences'), legend(true), diffBox)));

  const status = h('p', { class: 'status-line', role: 'status' });
  const workspace = h('div', { class: 'workspace' }, timelinePanel, centre, side);
  const page = h('div', { class: 'system-page' }, scrubber, status, workspace, compareView);
  replace(main, page);

  // ------------------------------------------------------------------ wiring
  policySelect.addEventListener('change', () => {
    S.policy = policySelect.value === S.ownPolicy ? null : policySelect.value;
    S.cache.clear();
    announce(`Policy ${currentPolicy()}`);
    pushUrl();
    load(S.point);
  });
  compareSelect.addEventListener('change', () => {
    S.compare = compareSelect.value || null;
    if (S.compare === 'policies' && !S.vs) S.vs = POLICIES.find((p) => p !== currentPolicy());
    if (S.compare === 'points' && !S.from) S.from = Math.max(1, S.point - 1);
    applyCompareLayout();
    pushUrl();
    refreshCompare();
  });
  vsSelect.addEventListener('change', () => { S.vs = vsSelect.value; pushUrl(); refreshCompare(); });
  fromInput.addEventListener('change', () => {
    const n = Math.round(Number(fromInput.value));
    if (Number.isFinite(n)) S.from = Math.min(Math.max(1, n), S.total);
    fromInput.value = S.from;
    pushUrl();
    refreshCompare();
  });
  slider.addEventListener('input', () => go(Number(slider.value)));
  const onKey = (e) => {
    if (disposed || S.point === null) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape' && e.target instanceof Element && e.target.closest('.b2b-grid')) { slider.focus(); return; }
    if (ownsArrowKeys(e.target)) return;
    let handled = true;
    if (e.key === 'ArrowRight') { if (e.shiftKey) stepMove(1); else go(S.point + 1); }
    else if (e.key === 'ArrowLeft') { if (e.shiftKey) stepMove(-1); else go(S.point - 1); }
    else if (e.key === 'Home') go(1);
    else if (e.key === 'End') go(S.total);
    else handled = false;
    if (handled) e.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  function currentPolicy() { return S.policy || S.ownPolicy; }

  // ------------------------------------------------------------------ start
  status.textContent = 'Loading…';
  Promise.all([api.system(system), api.state(system), api.events(system), api.policies()]).then(([summary, now, timeline, policies]) => {
    if (disposed) return;
    POLICIES = policies.map((p) => p.policy);
    replace(vsSelect, POLICIES.map((p) => h('option', { value: p }, p)));
    S.summary = summary;
    S.ownPolicy = now.policy;
    S.total = now.event;
    S.steps = now.steps;
    S.timeline = timeline;
    S.boundaries = stepBoundaries(S.steps, S.total);
    if (!S.policy && params.policy && params.policy !== now.policy) S.policy = params.policy;
    if (S.policy === S.ownPolicy) S.policy = null;
    replace(policySelect, POLICIES.map((p) => h('option', { value: p, selected: p === currentPolicy() },
      p === S.ownPolicy ? `${p} (recorded)` : p)));
    slider.max = S.total;
    fromInput.max = S.total;
    buildTimeline();
    buildStepBar();
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
    // ?event=N, or ?step=K (the end of step K, as at-step), else now
    const stepEnd = params.step !== undefined ? S.steps.find((x) => x.index === Number(params.step)) : null;
    const start = params.event ? Number(params.event)
      : stepEnd && stepEnd.events.length === 2 ? stepEnd.events[1] : S.total;
    go(Number.isFinite(start) ? start : S.total, { initial: true });
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
    slider.value = n;
    updatePointText();
    updateTimeline();
    pushUrl();
    load(n);
  }

  function stepMove(dir) {
    const b = S.boundaries;
    if (dir > 0) go(b.find((x) => x > S.point) ?? S.total);
    else go([...b].reverse().find((x) => x < S.point) ?? 1);
  }

  /** Loads the state at n, one request at a time: while one is in flight only the latest wish is kept. */
  async function load(n) {
    wanted = n;
    if (loading) return;
    loading = true;
    try {
      while (wanted !== null && !disposed) {
        const target = wanted;
        const policy = currentPolicy();
        wanted = null;
        let st;
        try {
          st = await stateAt(target, policy);
        } catch (e) {
          status.textContent = `Cannot load the state at event ${target}: ${e.message}`;
          continue;
        }
        if (disposed) return;
        if (wanted === null && target === S.point && policy === currentPolicy()) {
          if (!status.dataset.created) status.textContent = '';
          show(st);
        }
      }
    } finally {
      loading = false;
    }
  }

  async function stateAt(n, policy) {
    const key = `${policy}|${n}`;
    if (S.cache.has(key)) return S.cache.get(key);
    const st = await api.state(system, { event: n, policy: policy === S.ownPolicy ? undefined : policy });
    if (S.cache.size > 300) S.cache.delete(S.cache.keys().next().value);
    S.cache.set(key, st);
    return st;
  }

  function show(st) {
    const before = S.cells;
    S.state = st;
    S.cells = cells(st);
    const changed = changedBuses(before, S.cells);
    grid.update(S.cells, { changed, selected: S.sel && S.sel.kind === 'bus' ? S.sel.bus : null });
    const mapped = st.bus2bridge.length;
    replace(gridTitle, `${mapped} mapped ${mapped === 1 ? 'entry' : 'entries'} at event ${st.event} under ${st.policy}`,
      st.hung ? h('span', { class: 'badge hung' }, 'Xen HUNG') : null,
      changed.size ? ` · ${changed.size} changed since the last point` : '');
    hardware.update(st);
    const { findings } = pdevIndex(st);
    const answers = new Map(st.hardware.map((f) => [f.bdf, `${f.id} (${f.kind})`]));
    pdevTable.setRows(st.pdevs.map((p) => ({ ...p, answers: answers.get(p.bdf), kinds: findings.get(p.bdf) || [] })));
    upstreamTable.setRows(st.upstream);
    const pdevAt = new Map(st.pdevs.map((p) => [p.bdf, p]));
    contextTable.setRows(st.contexts.map((c) => ({
      ...c, pdev: pdevAt.get(c.bdf) ? typeShort(pdevAt.get(c.bdf).type) : null,
      kinds: (findings.get(c.bdf) || []).filter((k) => k.startsWith('CONTEXT_')),
    })));
    const perDomain = new Map();
    for (const c of st.contexts) perDomain.set(c.domain, (perDomain.get(c.domain) || 0) + 1);
    contextSummary.textContent = perDomain.size
      ? [...perDomain].sort((a, b) => a[0] - b[0]).map(([d, n]) => `d${d}: ${n} ${n === 1 ? 'entry' : 'entries'}`).join(' · ')
      : '';
    document.getElementById('count-pdevs').textContent = String(st.pdevs.length);
    document.getElementById('count-contexts').textContent = String(st.contexts.length);
    document.getElementById('count-upstream').textContent = String(st.upstream.filter((u) => u.result < 0).length || '');
    document.getElementById('count-grid').textContent = String(mapped);
    renderFindings(st);
    page.dataset.event = String(st.event);
    page.dataset.policy = st.policy;
    page.dataset.step = String(st.step);
    if (changed.size) announce(`${changed.size} bus2bridge ${changed.size === 1 ? 'entry' : 'entries'} changed`);
    if (S.sel) refreshAudit();
    if (S.compare) refreshCompare();
  }

  function renderFindings(st) {
    document.getElementById('findings-count').textContent = String(st.findings.length);
    if (!st.findings.length) {
      replace(findingsBox, h('p', { class: 'muted' }, `No finding at event ${st.event} under ${st.policy}.`));
      return;
    }
    const selOf = (f) => (f.bus !== undefined && f.bus !== null ? { kind: 'bus', bus: f.bus } : f.bdf ? { kind: 'pdev', bdf: f.bdf } : null);
    const item = (f) => {
      const sel = selOf(f);
      return h('li', { class: 'finding', dataset: { kind: f.kind } },
        h('div', { class: 'finding-head' },
          sel ? h('button', {
            type: 'button', class: 'link finding-open', onclick: (e) => select(sel, e.detail === 0),
            'aria-label': `${f.kind} ${findingSubject(f)}: open its audit trail`,
          }, h('span', { class: `badge kind-${f.kind}` }, f.kind.replace('BUS2BRIDGE_', 'B2B ')), ' ',
          h('span', { class: 'mono' }, findingSubject(f))) :
            h('span', null, h('span', { class: `badge kind-${f.kind}` }, f.kind), ' ', findingSubject(f)),
          h('button', {
            type: 'button', class: 'jump', onclick: () => go(f.since), title: 'Move to the event since which it holds',
            'aria-label': `Move the timeline to event ${f.since}, since which it holds`,
          }, `since ${f.since}`)),
        h('p', { class: 'finding-msg' }, f.message));
    };
    // Many findings of one kind (a hung Xen's 256 stale entries) fold into one group.
    const byKind = new Map();
    for (const f of st.findings) {
      if (!byKind.has(f.kind)) byKind.set(f.kind, []);
      byKind.get(f.kind).push(f);
    }
    const out = [];
    for (const [kind, list] of byKind) {
      if (list.length <= 6) {
        out.push(...list.map(item));
        continue;
      }
      out.push(h('li', { class: 'finding group', dataset: { kind } },
        h('details', null,
          h('summary', null, h('span', { class: `badge kind-${kind}` }, kind.replace('BUS2BRIDGE_', 'B2B ')),
            ` ${list.length} ${list[0].bus !== undefined && list[0].bus !== null ? 'buses' : 'functions'}`),
          h('ul', { class: 'chip-list subjects' }, list.map((f) => {
            const sel = selOf(f);
            return h('li', null, h('button', {
              type: 'button', class: 'subject mono', title: f.message, disabled: !sel,
              onclick: (e) => sel && select(sel, e.detail === 0),
            }, findingSubject(f).replace(/^bus /, '')));
          })))));
    }
    replace(findingsBox, h('ul', { class: 'findings' }, out));
  }

  // ------------------------------------------------------------------ selection and audit
  function select(sel, keepFocus, sideGrid) {
    const same = S.sel && sel.kind === S.sel.kind && sel.bus === S.sel.bus && sel.bdf === S.sel.bdf;
    S.sel = sel;
    if (!same) document.getElementById('side-audit-panel').scrollTop = 0;
    S.auditSide = sideGrid || null;
    setSide('audit', false);
    pushUrl();
    if (S.cells) {
      const selected = sel.kind === 'bus' ? sel.bus : null;
      grid.update(S.cells, { selected });
    }
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
      replace(auditBox, S.sel.kind === 'bus' ? renderBusAudit(a, (n) => go(n)) : renderPdevAudit(a, (n) => go(n)));
    } catch (e) {
      if (my !== auditSeq || disposed) return;
      replace(auditBox, h('p', { class: 'error-text', role: 'alert' }, `Cannot load the audit trail: ${e.message}`));
    }
  }

  function setTab(id, push = true) {
    S.tab = id;
    if (id === 'releases') releases.load();
    for (const t of TABS) {
      const on = t.id === id;
      tabButtons.get(t.id).setAttribute('aria-selected', String(on));
      document.getElementById(`panel-${t.id}`).hidden = !on;
    }
    if (push) pushUrl();
  }

  function setSide(which, push = true) {
    S.side = which;
    sideFindingsTab.setAttribute('aria-selected', String(which === 'findings'));
    sideAuditTab.setAttribute('aria-selected', String(which === 'audit'));
    document.getElementById('side-findings-panel').hidden = which !== 'findings';
    document.getElementById('side-audit-panel').hidden = which !== 'audit';
    if (push) pushUrl();
  }

  // ------------------------------------------------------------------ compare
  /** From the releases view: xen-4.4 (left) against {@code policy} (right), at {@code event} when given. */
  function openRelease(policy, event) {
    S.policy = BASELINE === S.ownPolicy ? null : BASELINE;
    policySelect.value = BASELINE;
    S.compare = 'policies';
    S.vs = policy;
    compareSelect.value = 'policies';
    vsSelect.value = policy;
    applyCompareLayout();
    announce(`Comparing ${BASELINE} with ${policy}`);
    if (event && event !== S.point) {
      go(event);
    } else {
      pushUrl();
      load(S.point);
    }
  }

  function applyCompareLayout() {
    const on = !!S.compare;
    page.dataset.compare = S.compare || '';
    vsWrap.hidden = S.compare !== 'policies';
    fromWrap.hidden = S.compare !== 'points';
    compareView.hidden = !on;
    // the side panel (findings/audit) moves under the comparison, beside the differences
    const lower = compareView.querySelector('.compare-lower');
    if (on && side.parentElement !== lower) lower.appendChild(side);
    if (!on && side.parentElement !== workspace) workspace.appendChild(side);
    workspace.hidden = on;
  }

  async function refreshCompare() {
    if (!S.compare || S.point === null || !S.total) return;
    const my = ++compareSeq;
    const policy = currentPolicy();
    let a;
    let b;
    let diff;
    try {
      if (S.compare === 'policies') {
        const vs = S.vs || POLICIES.find((p) => p !== policy);
        [a, b, diff] = await Promise.all([stateAt(S.point, policy), stateAt(S.point, vs),
          api.diffPolicies(system, policy, vs, S.point)]);
      } else {
        const from = S.from || 1;
        [a, b, diff] = await Promise.all([stateAt(from, policy), stateAt(S.point, policy),
          api.diffPoints(system, from, S.point, policy)]);
      }
    } catch (e) {
      if (my === compareSeq) replace(diffBox, h('p', { class: 'error-text', role: 'alert' }, `Cannot compare: ${e.message}`));
      return;
    }
    if (my !== compareSeq || disposed) return;
    const differ = new Set(diff.bus2bridge.map((c) => c.bus));
    for (const f of diff.findings) if (f.bus !== undefined && f.bus !== null) differ.add(f.bus);
    const sel = S.sel && S.sel.kind === 'bus' ? S.sel.bus : null;
    gridA.update(cells(a), { diff: differ, selected: sel });
    gridB.update(cells(b), { diff: differ, selected: sel });
    replace(titleA, h('span', { class: 'side-tag' }, 'A'), ` ${a.policy} · event ${a.event}`, h('span', { class: 'muted' }, ` · step ${a.step}`), a.hung ? h('span', { class: 'badge hung' }, 'HUNG') : null);
    replace(titleB, h('span', { class: 'side-tag' }, 'B'), ` ${b.policy} · event ${b.event}`, h('span', { class: 'muted' }, ` · step ${b.step}`), b.hung ? h('span', { class: 'badge hung' }, 'HUNG') : null);
    renderDiff(diff);
  }

  function renderDiff(d) {
    const rows = [];
    const txt = (v) => (v === null || v === undefined ? '—' : v);
    if (d.hung) rows.push(['Xen', 'hung', String(d.hung.from), String(d.hung.to)]);
    for (const c of d.bus2bridge) rows.push(['bus2bridge', `bus ${hex2(c.bus)}`, txt(shortBdf(c.from)), txt(shortBdf(c.to))]);
    const pd = (p) => (p ? `${typeShort(p.type)} ${domainText(p.domain)}` : null);
    for (const c of d.pdevs) rows.push(['pdev', shortBdf(c.bdf), txt(pd(c.from)), txt(pd(c.to))]);
    const up = (u) => (u ? (u.result === 1 ? `1 → ${shortBdf(u.bridge)}` : String(u.result)) : null);
    for (const c of d.upstream) rows.push(['upstream', shortBdf(c.bdf), txt(up(c.from)), txt(up(c.to))]);
    for (const c of d.contexts) rows.push(['context', shortBdf(c.bdf), txt(c.from === null ? null : `d${c.from}`), txt(c.to === null ? null : `d${c.to}`)]);
    const hw = (f) => (f ? `${f.id}${f.buses ? ` ${f.buses.map(hex2).join('/')}` : ''}` : null);
    for (const c of d.hardware) rows.push(['hardware', shortBdf(c.bdf), txt(hw(c.from)), txt(hw(c.to))]);
    for (const c of d.findings) {
      rows.push(['finding', `${c.kind} ${findingSubject(c)}`, c.from ? 'holds' : '—', c.to ? 'holds' : '—']);
    }
    if (!rows.length) {
      replace(diffBox, h('p', { class: 'muted', id: 'diff-none' }, 'Both sides are the same.'));
      return;
    }
    replace(diffBox, h('p', { class: 'muted' }, `${d.summary.total} ${d.summary.total === 1 ? 'difference' : 'differences'}`),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data diff-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Subject'),
          h('th', { scope: 'col' }, 'A'), h('th', { scope: 'col' }, 'B'))),
        h('tbody', null, rows.map(([what, subject, from, to]) => h('tr', { dataset: { what } },
          h('td', null, what), h('td', { class: 'mono' }, subject), h('td', { class: 'mono from' }, from),
          h('td', { class: 'mono to' }, to)))))));
  }

  // ------------------------------------------------------------------ timeline and step bar
  function buildTimeline() {
    const byStep = new Map();
    for (const e of S.timeline) {
      if (!byStep.has(e.step)) byStep.set(e.step, []);
      byStep.get(e.step).push(e);
    }
    const stepInfo = new Map(S.steps.map((s) => [s.index, s]));
    const groups = [];
    for (const [step, events] of byStep) {
      const info = stepInfo.get(step);
      const outcome = info ? info.outcome : null;
      groups.push(h('li', { class: 'step-group', dataset: { step: String(step) } },
        h('div', { class: 'step-head' },
          h('span', { class: 'step-index' }, step < 0 ? '–' : String(step)),
          h('span', { class: 'step-text', title: info ? info.text || info.step : '' },
            step < 0 ? 'system created' : info ? info.text || info.step : `step ${step}`),
          outcome ? h('span', { class: `badge outcome ${outcome === 'ok' ? 'ok' : 'bad'}` }, outcome) : null),
        h('ol', { class: 'events' }, events.map((e) => {
          const row = h('li', {
            class: `event${e.outcome && e.outcome !== 'ok' ? ' not-ok' : ''}`, dataset: { event: String(e.event) },
            tabindex: -1, role: 'button', 'aria-label': `event ${e.event}: ${e.text}`,
            onclick: () => go(e.event),
            onkeydown: (k) => {
              if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); go(e.event); }
              else if (k.key === 'ArrowDown' || k.key === 'ArrowUp') {
                k.preventDefault();
                go(S.point + (k.key === 'ArrowDown' ? 1 : -1));
                eventRows[S.point - 1]?.focus({ preventScroll: false });
              }
            },
          }, h('span', { class: 'ev-no' }, String(e.event)), ...eventText(e.text, S.summary.segment),
          e.outcome && e.outcome !== 'ok' ? h('span', { class: 'badge bad' }, e.outcome) : null);
          eventRows[e.event - 1] = row;
          return row;
        }))));
    }
    replace(timelineList, groups);
  }

  let lastCurrent = null;
  function updateTimeline() {
    const n = S.point;
    if (lastCurrent) {
      lastCurrent.classList.remove('current');
      lastCurrent.removeAttribute('aria-current');
      lastCurrent.tabIndex = -1;
    }
    const row = eventRows[n - 1];
    for (let i = 0; i < eventRows.length; i++) {
      const r = eventRows[i];
      if (r) r.classList.toggle('future', i + 1 > n);
    }
    if (row) {
      row.classList.add('current');
      row.setAttribute('aria-current', 'step');
      row.tabIndex = 0;
      const scroller = document.getElementById('timeline-scroll');
      if (scroller && !timelinePanel.hidden) {
        const top = row.offsetTop - scroller.offsetTop;
        if (top < scroller.scrollTop + 30 || top > scroller.scrollTop + scroller.clientHeight - 50) {
          scroller.scrollTop = top - scroller.clientHeight / 2;
        }
      }
      lastCurrent = row;
    }
    for (const g of timelineList.children) {
      const step = Number(g.dataset.step);
      g.classList.toggle('current-step', step === S.timeline[n - 1]?.step);
    }
  }

  function buildStepBar() {
    const segs = [];
    const total = S.total;
    const pct = (x) => `${(x / total) * 100}%`;
    const first = S.timeline.length ? 1 : 0;
    // event 1 (created) and each step as a segment proportional to its events
    segs.push(h('div', { class: 'seg created', style: `left:0;width:${pct(first)}`, title: 'system created' }));
    for (const s of S.steps) {
      if (!s.events || s.events.length !== 2) continue;
      const [a, b] = s.events;
      segs.push(h('div', {
        class: `seg ${s.outcome === 'ok' ? 'ok' : s.outcome === 'HUNG' ? 'hung' : 'errno'}`,
        style: `left:${pct(a - 1)};width:${pct(b - a + 1)}`,
        title: `step ${s.index}: ${s.text || s.step} → ${s.outcome} (events ${a}–${b})`,
        dataset: { step: String(s.index) },
        onclick: () => go(b),
      }, h('span', { class: 'seg-label' }, `${s.index} ${s.step}`)));
    }
    replace(stepBar, segs);
  }

  function updatePointText() {
    const n = S.point;
    const e = S.timeline[n - 1];
    const stepIndex = e ? e.step : -1;
    const info = S.steps.find((s) => s.index === stepIndex);
    pointLabel.textContent = `event ${n} / ${S.total}`;
    replace(nowStep, stepIndex < 0 ? 'before the first step' :
      [h('strong', null, `step ${stepIndex}`), ` ${info ? info.text || info.step : ''}`,
        info ? h('span', { class: `badge outcome ${info.outcome === 'ok' ? 'ok' : 'bad'}` }, info.outcome) : null]);
    replace(nowEvent, e ? [h('span', { class: 'ev-no' }, String(e.event)), ` ${e.text}`] : '');
    const marker = (n - 0.5) / S.total;
    stepMarker.style.left = `${marker * 100}%`;
    slider.setAttribute('aria-valuetext', `event ${n} of ${S.total}, step ${stepIndex}`);
  }

  // ------------------------------------------------------------------ URL
  function pushUrl() {
    const p = { system };
    if (S.point !== null) p.event = S.point;
    if (S.policy) p.policy = S.policy;
    if (S.compare) {
      p.compare = S.compare;
      if (S.compare === 'policies' && S.vs) p.vs = S.vs;
      if (S.compare === 'points' && S.from) p.from = S.from;
    }
    if (S.sel) p.sel = S.sel.kind === 'bus' ? `bus-${S.sel.bus}` : `pdev-${S.sel.bdf}`;
    if (S.tab !== 'grid') p.tab = S.tab;
    setParams(p);
  }

  return () => {
    disposed = true;
    document.removeEventListener('keydown', onKey);
  };
}

const ICONS = {
  first: 'M4 3v10M13 3 6 8l7 5z',
  'prev-step': 'M8 3 2 8l6 5zM14 3 8 8l6 5z',
  prev: 'M11 3 4 8l7 5z',
  next: 'M5 3l7 5-7 5z',
  'next-step': 'M2 3l6 5-6 5zM8 3l6 5-6 5z',
  last: 'M12 3v10M3 3l7 5-7 5z',
};

/** A small inline SVG icon (no icon font: nothing is fetched at run time). */
function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.6');
  path.setAttribute('stroke-linejoin', 'round');
  svg.appendChild(path);
  return svg;
}

function parseSel(sel) {
  if (!sel) return null;
  const bus = /^bus-(\d{1,3})$/.exec(sel);
  if (bus && Number(bus[1]) < 256) return { kind: 'bus', bus: Number(bus[1]) };
  const pdev = /^pdev-([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])$/i.exec(sel);
  if (pdev) return { kind: 'pdev', bdf: pdev[1].toLowerCase() };
  return null;
}

/**
 * A timeline row's text, compacted for a narrow column (the full line is its tooltip and is shown
 * in the scrubber): the source prefix becomes a tag, BDFs lose the system's one segment.
 */
function eventText(text, segment) {
  const seg = (segment || 0).toString(16).padStart(4, '0');
  let rest = text.replaceAll(new RegExp(`\\b${seg}:(?=[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])`, 'gi'), '');
  let tag = null;
  const m = /^(\(XEN\)|\[xen\]|\[hw\]|\(d\d+\)|step \d+:)\s*/.exec(rest);
  if (m && !m[1].startsWith('step')) {
    tag = m[1].replace(/[()[\]]/g, '');
    rest = rest.slice(m[0].length);
  }
  rest = rest.replace(/^PHYSDEVOP_/, '').replace(/^dom0: /, '').replace(' bus registers ', ' ');
  return [tag ? h('span', { class: `src src-${tag.replace(/\d+/, '')}` }, tag) : null,
    h('span', { class: 'ev-text', title: text }, rest)];
}

function badges(kinds) {
  return kinds.map((k) => h('span', { class: `badge kind-${k}` }, k));
}

