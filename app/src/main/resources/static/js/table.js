// A sortable table: header buttons sort by a column (aria-sort says which), the sort is kept across
// re-renders so moving the point does not reset it.

import { h, replace } from './util.js';

/**
 * columns: [{key, label, value(row) -> sortable value, cell(row) -> node|string, numeric, className}]
 * options: {caption, empty, rowClass(row), sort: {key, dir}}
 */
export class SortableTable {
  constructor(columns, options = {}) {
    this.columns = columns;
    this.options = options;
    this.sort = options.sort || { key: columns[0].key, dir: 1 };
    this.rows = [];
    this.tbody = h('tbody');
    this.headers = new Map();
    const headRow = h('tr');
    for (const c of columns) {
      const button = h('button', {
        type: 'button', class: 'sort',
        onclick: () => {
          this.sort = this.sort.key === c.key ? { key: c.key, dir: -this.sort.dir } : { key: c.key, dir: 1 };
          this.render();
        },
      }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : null }, button);
      this.headers.set(c.key, th);
      headRow.appendChild(th);
    }
    this.element = h('table', { class: `data ${options.className || ''}` },
      options.caption ? h('caption', { class: 'visually-hidden' }, options.caption) : null,
      h('thead', null, headRow), this.tbody);
  }

  setRows(rows) {
    this.rows = rows;
    this.render();
  }

  render() {
    const col = this.columns.find((c) => c.key === this.sort.key) || this.columns[0];
    const value = col.value || ((r) => r[col.key]);
    const sorted = this.rows.map((r, i) => [r, i]).sort(([a, i], [b, j]) => {
      const x = value(a);
      const y = value(b);
      let c;
      if (x === y) c = 0;
      else if (x === null || x === undefined) c = 1;
      else if (y === null || y === undefined) c = -1;
      else if (typeof x === 'number' && typeof y === 'number') c = x - y;
      else c = String(x).localeCompare(String(y), undefined, { numeric: true });
      return c * this.sort.dir || i - j;
    }).map(([r]) => r);
    for (const [key, th] of this.headers) {
      if (key === this.sort.key) th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    if (sorted.length === 0) {
      replace(this.tbody, h('tr', null, h('td', { colspan: this.columns.length, class: 'empty' },
        this.options.empty || 'none')));
      return;
    }
    replace(this.tbody, sorted.map((r) => h('tr', { class: this.options.rowClass ? this.options.rowClass(r) : null },
      this.columns.map((c) => h('td', { class: [c.numeric ? 'num' : '', c.className || ''].join(' ').trim() || null },
        c.cell ? c.cell(r) : (r[c.key] ?? ''))))));
  }
}
