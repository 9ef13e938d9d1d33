// Compare mode: two policies at one point, or two points under one policy, as two bus2bridge grids
// side by side with the differences (GET …/diff) outlined in them and listed below.

import { api } from './api.js';
import { h, replace, hex2, shortBdf } from './util.js';
import { cells, typeShort, domainText, findingSubject } from './model.js';
import { Bus2BridgeGrid, legend } from './grid.js';

export class CompareView {
  /** onSelect(sel, keepFocus, side): a cell of side 'a' or 'b' was chosen: open its audit on that side. */
  constructor(onSelect) {
    this.seq = 0;
    this.disposed = false;
    this.gridA = new Bus2BridgeGrid({ label: 'bus2bridge, left side', idPrefix: 'cell-a', onSelect: (bus, kb) => onSelect({ kind: 'bus', bus }, kb, 'a') });
    this.gridB = new Bus2BridgeGrid({ label: 'bus2bridge, right side', idPrefix: 'cell-b', onSelect: (bus, kb) => onSelect({ kind: 'bus', bus }, kb, 'b') });
    this.titleA = h('h2', { class: 'pane-title', id: 'pane-a-title' });
    this.titleB = h('h2', { class: 'pane-title', id: 'pane-b-title' });
    this.diffBox = h('div', { class: 'diff-box', id: 'diff' });
    /** Beside the differences: where the page puts its side panel while comparing. */
    this.lower = h('div', { class: 'compare-lower' },
      h('div', { class: 'panel diff-panel', 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, 'Differences'), legend(true), this.diffBox));
    this.element = h('section', { class: 'compare', 'aria-label': 'Comparison', hidden: true },
      h('div', { class: 'panes' },
        h('div', { class: 'panel pane', 'aria-labelledby': 'pane-a-title' }, this.titleA, this.gridA.element),
        h('div', { class: 'panel pane', 'aria-labelledby': 'pane-b-title' }, this.titleB, this.gridB.element)),
      this.lower);
  }

  /**
   * Loads and shows one comparison; a newer call wins over one still loading.
   * what: {system, mode: 'policies'|'points', policy, vs, point, from, selectedBus}; stateAt(n, policy) loads a state.
   */
  async show({ system, mode, policy, vs, point, from, selectedBus }, stateAt) {
    const my = ++this.seq;
    let a;
    let b;
    let diff;
    try {
      if (mode === 'policies') {
        [a, b, diff] = await Promise.all([stateAt(point, policy), stateAt(point, vs),
          api.diffPolicies(system, policy, vs, point)]);
      } else {
        [a, b, diff] = await Promise.all([stateAt(from, policy), stateAt(point, policy),
          api.diffPoints(system, from, point, policy)]);
      }
    } catch (e) {
      if (my === this.seq) replace(this.diffBox, h('p', { class: 'error-text', role: 'alert' }, `Cannot compare: ${e.message}`));
      return;
    }
    if (my !== this.seq || this.disposed) return;
    const differ = new Set(diff.bus2bridge.map((c) => c.bus));
    for (const f of diff.findings) if (f.bus !== undefined && f.bus !== null) differ.add(f.bus);
    this.gridA.update(cells(a), { diff: differ, selected: selectedBus });
    this.gridB.update(cells(b), { diff: differ, selected: selectedBus });
    replace(this.titleA, h('span', { class: 'side-tag' }, 'A'), ` ${a.policy} · event ${a.event}`, h('span', { class: 'muted' }, ` · step ${a.step}`), a.hung ? h('span', { class: 'badge hung' }, 'HUNG') : null);
    replace(this.titleB, h('span', { class: 'side-tag' }, 'B'), ` ${b.policy} · event ${b.event}`, h('span', { class: 'muted' }, ` · step ${b.step}`), b.hung ? h('span', { class: 'badge hung' }, 'HUNG') : null);
    this.renderDiff(diff);
  }

  renderDiff(d) {
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
      replace(this.diffBox, h('p', { class: 'muted', id: 'diff-none' }, 'Both sides are the same.'));
      return;
    }
    replace(this.diffBox, h('p', { class: 'muted' }, `${d.summary.total} ${d.summary.total === 1 ? 'difference' : 'differences'}`),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data diff-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Subject'),
          h('th', { scope: 'col' }, 'A'), h('th', { scope: 'col' }, 'B'))),
        h('tbody', null, rows.map(([what, subject, from, to]) => h('tr', { dataset: { what } },
          h('td', null, what), h('td', { class: 'mono' }, subject), h('td', { class: 'mono from' }, from),
          h('td', { class: 'mono to' }, to)))))));
  }

  dispose() {
    this.disposed = true;
  }
}
