// The centre of the system page: the state at the point as tabs: bus2bridge as a 16x16 grid, the
// hardware as lspci -tv draws it, Xen's pdevs, the upstream walks, the VT-d context entries and the
// releases (the history under every Xen release, releases.js).

import { h, replace, hex2, shortBdf } from './util.js';
import { pdevIndex, typeShort, domainText } from './model.js';
import { Bus2BridgeGrid, legend } from './grid.js';
import { HardwareView } from './tree.js';
import { SortableTable } from './table.js';

/** The tabs, the first shown by default (the URL names another with &tab=). */
export const TABS = [
  { id: 'grid', label: 'bus2bridge' },
  { id: 'tree', label: 'Hardware' },
  { id: 'pdevs', label: 'pdevs' },
  { id: 'upstream', label: 'Upstream walks' },
  { id: 'contexts', label: 'Context entries' },
  { id: 'releases', label: 'Releases' },
];

export class StateTabs {
  /**
   * onSelect(sel, keepFocus): a cell, pdev or function was chosen; onTab(id): a tab was chosen; releases: the
   * element of the releases view (releases.js), which loads on its own.
   */
  constructor({ onSelect, onTab, releases }) {
    this.grid = new Bus2BridgeGrid({ label: 'bus2bridge: 256 buses', onSelect: (bus, kb) => onSelect({ kind: 'bus', bus }, kb) });
    this.hardware = new HardwareView((bdf, kb) => onSelect({ kind: 'pdev', bdf }, kb));
    const pdevButton = (bdf) => h('button', {
      type: 'button', class: 'link mono', onclick: (e) => onSelect({ kind: 'pdev', bdf }, e.detail === 0),
    }, shortBdf(bdf));
    this.pdevTable = new SortableTable([
      { key: 'bdf', label: 'BDF', cell: (p) => pdevButton(p.bdf) },
      { key: 'type', label: 'Type', cell: (p) => typeShort(p.type) },
      { key: 'domain', label: 'Owner', value: (p) => p.domain ?? 1e9, cell: (p) => domainText(p.domain) },
      { key: 'virtfnOf', label: 'VF of', cell: (p) => (p.virtfnOf ? shortBdf(p.virtfnOf) : '') },
      { key: 'answers', label: 'Answers now', value: (p) => p.answers || '', cell: (p) => p.answers || h('span', { class: 'muted' }, 'nothing') },
      { key: 'status', label: 'Findings', value: (p) => p.kinds.join(' '), cell: (p) => badges(p.kinds) },
    ], { caption: "Xen's pdev list", empty: 'Xen holds no pdev.', rowClass: (p) => (p.kinds.length ? 'has-finding' : null) });
    this.upstreamTable = new SortableTable([
      { key: 'bdf', label: 'From pdev', cell: (u) => pdevButton(u.bdf) },
      {
        key: 'result', label: 'Result', numeric: true,
        cell: (u) => h('span', { class: u.result < 0 ? 'badge bad' : 'mono' }, String(u.result)),
      },
      { key: 'bridge', label: 'Bridge', cell: (u) => (u.bridge ? h('span', { class: 'mono' }, shortBdf(u.bridge)) : '') },
      { key: 'secbus', label: 'Secondary bus', numeric: true, cell: (u) => (u.secbus !== undefined && u.secbus !== null ? hex2(u.secbus) : '') },
    ], { caption: 'find_upstream_bridge from each pdev', empty: 'No pdev to walk from.', rowClass: (u) => (u.result < 0 ? 'has-finding' : null) });
    this.contextSummary = h('p', { class: 'muted context-summary' });
    this.contextTable = new SortableTable([
      { key: 'domain', label: 'Domain', numeric: true, cell: (c) => `d${c.domain}` },
      { key: 'bdf', label: 'Requester ID', value: (c) => c.bdf, cell: (c) => pdevButton(c.bdf) },
      { key: 'pdev', label: 'pdev there', value: (c) => c.pdev || '', cell: (c) => c.pdev || h('span', { class: 'muted' }, 'none') },
      { key: 'status', label: 'Findings', value: (c) => c.kinds.join(' '), cell: (c) => badges(c.kinds) },
    ], { caption: 'VT-d context entries by domain', empty: 'No context entry.', sort: { key: 'domain', dir: 1 }, rowClass: (c) => (c.kinds.length ? 'has-finding' : null) });

    this.gridTitle = h('p', { class: 'grid-title muted' });
    const panels = {
      grid: h('div', null, this.gridTitle, this.grid.element, legend()),
      tree: this.hardware.element,
      pdevs: h('div', { class: 'table-scroll' }, this.pdevTable.element),
      upstream: h('div', { class: 'table-scroll' }, this.upstreamTable.element),
      contexts: h('div', { class: 'table-scroll' }, this.contextSummary, this.contextTable.element),
      releases,
    };
    this.tabButtons = new Map();
    this.counts = new Map();
    this.panels = new Map();
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views of the state' },
      TABS.map((t) => {
        const count = h('span', { class: 'tab-count', id: `count-${t.id}` });
        const b = h('button', {
          type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`,
          onclick: () => onTab(t.id),
        }, t.label, count);
        this.tabButtons.set(t.id, b);
        this.counts.set(t.id, count);
        return b;
      }));
    this.element = h('section', { class: 'panel centre', 'aria-label': 'State at this point' }, tablist,
      TABS.map((t) => {
        const panel = h('div', {
          role: 'tabpanel', id: `panel-${t.id}`, 'aria-labelledby': `tab-${t.id}`, class: 'tabpanel', hidden: true,
        }, panels[t.id]);
        this.panels.set(t.id, panel);
        return panel;
      }));
  }

  /** Shows tab id, hides the others. */
  setTab(id) {
    for (const t of TABS) {
      const on = t.id === id;
      this.tabButtons.get(t.id).setAttribute('aria-selected', String(on));
      this.panels.get(t.id).hidden = !on;
    }
  }

  /**
   * A state (API.md) with its grid cells (model.cells), the buses changed by the last move and the
   * selected bus (or null).
   */
  show(st, cellsNow, { changed, selected }) {
    this.grid.update(cellsNow, { changed, selected });
    const mapped = st.bus2bridge.length;
    replace(this.gridTitle, `${mapped} mapped ${mapped === 1 ? 'entry' : 'entries'} at event ${st.event} under ${st.policy}`,
      st.hung ? h('span', { class: 'badge hung' }, 'Xen HUNG') : null,
      changed.size ? ` · ${changed.size} changed since the last point` : '');
    this.hardware.update(st);
    const { findings } = pdevIndex(st);
    const answers = new Map(st.hardware.map((f) => [f.bdf, `${f.id} (${f.kind})`]));
    this.pdevTable.setRows(st.pdevs.map((p) => ({ ...p, answers: answers.get(p.bdf), kinds: findings.get(p.bdf) || [] })));
    this.upstreamTable.setRows(st.upstream);
    const pdevAt = new Map(st.pdevs.map((p) => [p.bdf, p]));
    this.contextTable.setRows(st.contexts.map((c) => ({
      ...c, pdev: pdevAt.get(c.bdf) ? typeShort(pdevAt.get(c.bdf).type) : null,
      kinds: (findings.get(c.bdf) || []).filter((k) => k.startsWith('CONTEXT_')),
    })));
    const perDomain = new Map();
    for (const c of st.contexts) perDomain.set(c.domain, (perDomain.get(c.domain) || 0) + 1);
    this.contextSummary.textContent = perDomain.size
      ? [...perDomain].sort((a, b) => a[0] - b[0]).map(([d, n]) => `d${d}: ${n} ${n === 1 ? 'entry' : 'entries'}`).join(' · ')
      : '';
    this.counts.get('pdevs').textContent = String(st.pdevs.length);
    this.counts.get('contexts').textContent = String(st.contexts.length);
    this.counts.get('upstream').textContent = String(st.upstream.filter((u) => u.result < 0).length || '');
    this.counts.get('grid').textContent = String(mapped);
  }

  /** Marks the selected bus in the grid (the marks of the last move go). */
  select(cellsNow, selected) {
    this.grid.update(cellsNow, { selected });
  }
}

function badges(kinds) {
  return kinds.map((k) => h('span', { class: `badge kind-${k}` }, k));
}
