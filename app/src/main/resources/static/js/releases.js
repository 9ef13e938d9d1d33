// The releases view: the system's whole history under every policy against xen-4.4
// (GET …/versions, the same rows as `pci-timeline versions`). A row opens compare mode on
// xen-4.4 vs that policy, at the event where the two first differ.

import { api } from './api.js';
import { h, replace } from './util.js';

export const BASELINE = 'xen-4.4';

function hungText(r) {
  if (!r.hung) return h('span', { class: 'muted' }, 'no');
  return h('span', null, h('span', { class: 'badge hung' }, 'HUNG'),
    ` step ${r.hungStep} (event ${r.hungEvent})${r.hungAtEnd ? '' : ', not at the end'}`);
}

function findingsText(r) {
  const kinds = Object.entries(r.findings);
  if (!kinds.length) return h('span', { class: 'muted' }, 'none');
  return kinds.map(([kind, n]) => h('span', { class: `badge kind-${kind}`, title: kind }, `${kind} ${n}`));
}

function outcomesText(r) {
  if (!r.outcomes.length) return h('span', { class: 'muted' }, '–');
  return h('ul', { class: 'plain' }, r.outcomes.map((o) => h('li', { title: o.text },
    `step ${o.step}: ${o.baseline} → `, h('strong', null, o.outcome))));
}

function departsText(r) {
  if (r.policy === BASELINE) return h('span', { class: 'muted' }, 'baseline');
  if (r.departsAtEvent === null) return h('span', { class: 'muted' }, 'never');
  return `event ${r.departsAtEvent} (step ${r.departsAtStep})`;
}

export class ReleasesView {
  /** onOpen(policy, event): compare xen-4.4 with policy, at event (null: stay where the timeline is). */
  constructor(system, onOpen) {
    this.system = system;
    this.onOpen = onOpen;
    this.status = h('p', { class: 'muted releases-status' });
    this.tbody = h('tbody');
    this.element = h('div', { class: 'table-scroll releases' },
      h('p', { class: 'muted' }, `The whole history folded under every policy and compared with ${BASELINE}. `
        + 'Click a row to compare it with xen-4.4 where they first differ.'),
      this.status,
      h('table', { class: 'data', id: 'releases' },
        h('caption', { class: 'visually-hidden' }, 'The history under every Xen release and fix'),
        h('thead', null, h('tr', null, ['Policy', 'Release', 'Hung', 'Findings at the end',
          `Outcomes unlike ${BASELINE}`, `Departs from ${BASELINE}`].map((t) => h('th', { scope: 'col' }, t)))),
        this.tbody));
    this.seq = 0;
  }

  /** Fetches the rows again: the history may have grown since the last time. */
  async load() {
    const my = ++this.seq;
    this.status.textContent = 'Folding the history under every policy…';
    let rows;
    try {
      rows = await api.versions(this.system);
    } catch (e) {
      if (my === this.seq) this.status.textContent = `Cannot load the releases: ${e.message}`;
      return;
    }
    if (my !== this.seq) return;
    this.status.textContent = '';
    replace(this.tbody, Object.values(rows).map((r) => this.row(r)));
  }

  row(r) {
    const open = r.policy === BASELINE ? null : () => this.onOpen(r.policy, r.departsAtEvent);
    const name = open
      ? h('button', { type: 'button', class: 'link mono', onclick: open, 'aria-label': `Compare ${r.policy} with ${BASELINE}` }, r.policy)
      : h('span', { class: 'mono' }, r.policy);
    return h('tr', {
      class: `release-row${open ? ' clickable' : ''}${r.hung ? ' has-finding' : ''}`,
      dataset: { policy: r.policy },
      onclick: open ? (e) => { if (!(e.target instanceof HTMLButtonElement)) open(); } : null,
    },
    h('th', { scope: 'row' }, name),
    h('td', null, r.released ? 'released' : h('span', { class: 'badge' }, 'never released')),
    h('td', null, hungText(r)),
    h('td', null, findingsText(r)),
    h('td', null, outcomesText(r)),
    h('td', { class: 'departs' }, departsText(r)));
  }
}
