// The bus2bridge table as a 16x16 grid: row = high nibble, column = low nibble of the bus number.

import { h, hex2, shortBdf } from './util.js';
import { CELL_STATES } from './model.js';

const LABEL = Object.fromEntries(CELL_STATES.map((s) => [s.id, s.label]));

export class Bus2BridgeGrid {
  /** onSelect(bus, viaKeyboard) opens the entry's audit. */
  constructor({ label, onSelect, idPrefix = 'cell' }) {
    this.onSelect = onSelect;
    this.cells = [];
    this.focusBus = 0;
    const grid = h('div', {
      class: 'b2b-grid', role: 'group', 'aria-label': label, 'data-own-arrows': '',
      onkeydown: (e) => this.key(e),
    });
    grid.appendChild(h('div', { class: 'axis corner', 'aria-hidden': 'true' }, 'bus'));
    for (let c = 0; c < 16; c++) grid.appendChild(h('div', { class: 'axis col', 'aria-hidden': 'true' }, `_${c.toString(16)}`));
    for (let r = 0; r < 16; r++) {
      grid.appendChild(h('div', { class: 'axis row', 'aria-hidden': 'true' }, `${r.toString(16)}_`));
      for (let c = 0; c < 16; c++) {
        const bus = r * 16 + c;
        const cell = h('button', {
          type: 'button', class: 'cell state-unmapped', id: `${idPrefix}-${bus}`, tabindex: bus === 0 ? 0 : -1,
          dataset: { bus: String(bus) },
          onclick: (e) => { this.setFocus(bus, false); this.onSelect(bus, e.detail === 0); },
        }, h('span', { class: 'bus' }, hex2(bus)), h('span', { class: 'target' }));
        this.cells.push(cell);
        grid.appendChild(cell);
      }
    }
    this.element = grid;
  }

  /**
   * cells: model.cells(state); changed: buses that changed with the last move; diff: buses that differ
   * from the other side in compare mode; selected: the bus whose audit is open.
   */
  update(cells, { changed = new Set(), diff = new Set(), selected = null } = {}) {
    for (const c of cells) {
      const el = this.cells[c.bus];
      el.className = `cell state-${c.state}${changed.has(c.bus) ? ' changed' : ''}${diff.has(c.bus) ? ' differs' : ''}`
        + `${selected === c.bus ? ' selected' : ''}`;
      el.dataset.state = c.state;
      el.dataset.bridge = c.bridge || '';
      el.dataset.findings = c.findings.join(' ');
      el.lastChild.textContent = c.bridge ? shortBdf(c.bridge) : '';
      const parts = [`bus ${hex2(c.bus)}`, c.bridge ? `points at ${shortBdf(c.bridge)}` : 'unmapped'];
      if (c.findings.length) parts.push(c.findings.map((k) => k.replace('BUS2BRIDGE_', '')).join(', '));
      else if (c.bridge) parts.push('fine');
      if (changed.has(c.bus)) parts.push('changed by this move');
      if (diff.has(c.bus)) parts.push('differs from the other side');
      el.setAttribute('aria-label', parts.join('; '));
      el.title = `${parts.join(' · ')}${c.state !== 'unmapped' && c.state !== 'fine' ? ` (${LABEL[c.state]})` : ''}`;
      if (selected === c.bus) el.setAttribute('aria-pressed', 'true'); else el.removeAttribute('aria-pressed');
    }
  }

  setFocus(bus, move = true) {
    this.cells[this.focusBus].tabIndex = -1;
    this.focusBus = bus;
    this.cells[bus].tabIndex = 0;
    if (move) this.cells[bus].focus();
  }

  key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const d = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -16, ArrowDown: 16, Home: -(this.focusBus % 16), End: 15 - (this.focusBus % 16) }[e.key];
    if (d === undefined || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    const next = this.focusBus + d;
    if (next >= 0 && next < 256) this.setFocus(next);
  }
}

/** The legend: what each colour means. */
export function legend(compare = false) {
  return h('ul', { class: 'legend', 'aria-label': 'Cell colours' },
    CELL_STATES.map((s) => h('li', null, h('span', { class: `swatch state-${s.id}`, 'aria-hidden': 'true' }),
      h('span', { title: s.text }, s.label))),
    compare ? h('li', null, h('span', { class: 'swatch differs-swatch', 'aria-hidden': 'true' }), 'differs between A and B')
      : h('li', null, h('span', { class: 'swatch changed-swatch', 'aria-hidden': 'true' }), 'changed by the last move'));
}
