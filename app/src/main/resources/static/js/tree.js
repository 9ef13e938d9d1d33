// The hardware as `lspci -tv` draws it (leaves carry their scenario id, as -v carries names), each
// function's slot coloured by the pdev Xen holds at its address; the functions and Xen's pdevs in
// a table below.

import { h, replace, shortBdf, hex2 } from './util.js';
import { hardwareTree, lspciRows, pdevIndex, typeShort, domainText } from './model.js';
import { SortableTable } from './table.js';

export class HardwareView {
  constructor(onPdev) {
    this.onPdev = onPdev;
    this.drawing = h('div', { class: 'tree', role: 'group', 'aria-label': 'Hardware tree, drawn as lspci -tv does' });
    this.table = new SortableTable([
      {
        key: 'bdf', label: 'BDF', cell: (r) => h('button', {
          type: 'button', class: 'link mono', onclick: (e) => onPdev(r.bdf, e.detail === 0),
        }, shortBdf(r.bdf)),
      },
      { key: 'id', label: 'Function', cell: (r) => r.id || h('span', { class: 'muted' }, 'nothing answers') },
      { key: 'kind', label: 'Kind', cell: (r) => r.kind || '' },
      { key: 'buses', label: 'Buses', value: (r) => (r.buses ? r.buses[1] : null), cell: (r) => (r.buses ? h('span', { class: 'mono' }, r.buses.map(hex2).join('/')) : '') },
      {
        key: 'xen', label: 'Xen pdev', value: (r) => r.xen || '',
        cell: (r) => (r.xen ? `${r.xen} · ${domainText(r.owner)}` : h('span', { class: 'error-text' }, 'none')),
      },
      { key: 'kinds', label: 'Findings', value: (r) => r.kinds.join(' '), cell: (r) => r.kinds.map((k) => h('span', { class: `badge kind-${k}` }, k)) },
    ], { caption: 'Functions and the pdev Xen holds for each', empty: 'Nothing answers config space and Xen holds no pdev.', rowClass: (r) => (r.kinds.length ? 'has-finding' : null) });
    this.element = h('div', { class: 'hardware' }, this.drawing,
      h('h3', { class: 'sub-h' }, 'Functions and Xen\'s pdevs'), h('div', { class: 'table-scroll' }, this.table.element));
  }

  update(state) {
    const roots = hardwareTree(state.hardware);
    const rows = lspciRows(roots, state.segment);
    const { pdevs, findings } = pdevIndex(state);

    const slot = (node) => {
      const fn = node.fn;
      const pdev = pdevs.get(fn.bdf);
      const kinds = findings.get(fn.bdf) || [];
      const stale = kinds.includes('PDEV_STALE');
      const cls = !pdev ? 'missing' : stale ? 'stale' : 'held';
      const xen = pdev ? `Xen: ${pdev.type}, ${domainText(pdev.domain)}${stale ? ', STALE' : ''}` : 'Xen: no pdev';
      const range = fn.buses ? `, buses ${fn.buses.map(hex2).join('/')}` : '';
      return h('button', {
        type: 'button', class: `slot ${cls}`, dataset: { bdf: fn.bdf },
        title: `${fn.bdf} ${fn.id} (${fn.kind})${range}. ${xen}${kinds.length ? `. ${kinds.join(', ')}` : ''}`,
        'aria-label': `${shortBdf(fn.bdf)} ${fn.id}, ${fn.kind}${range}. ${xen}. Open the pdev audit`,
        onclick: (e) => this.onPdev(fn.bdf, e.detail === 0),
      }, `${hex2(node.dev)}.${node.func}`);
    };

    const lines = rows.map((r) => {
      const parts = [];
      let at = 0;
      for (const d of r.devices) {
        parts.push(r.text.slice(at, d.col));
        parts.push(slot(d.node));
        at = d.col + 4;
      }
      parts.push(r.text.slice(at));
      const leaf = r.devices.length ? r.devices[r.devices.length - 1].node : null;
      if (leaf && !leaf.bridge) {
        const pdev = pdevs.get(leaf.fn.bdf);
        const stale = (findings.get(leaf.fn.bdf) || []).includes('PDEV_STALE');
        parts.push(`  ${leaf.fn.id}`);
        parts.push(h('span', { class: `leaf-xen ${!pdev ? 'missing' : stale ? 'stale' : ''}` },
          pdev ? `  ${typeShort(pdev.type)} ${domainText(pdev.domain)}${stale ? ' STALE' : ''}` : '  no pdev'));
      }
      return h('div', { class: 'tree-line' }, parts);
    });
    const treeKey = h('p', { class: 'tree-key muted' },
      'Slots: ', h('span', { class: 'slot held' }, 'dd.f'), ' Xen holds a pdev · ',
      h('span', { class: 'slot stale' }, 'dd.f'), ' its pdev is stale · ',
      h('span', { class: 'slot missing' }, 'dd.f'), ' no pdev. Bridges show ', h('code', null, '[secondary-subordinate]'), '.');
    replace(this.drawing, state.hardware.length ? [h('pre', { class: 'tree-pre' }, lines), treeKey]
      : h('p', { class: 'muted' }, 'No function answers config space.'));

    const answering = new Map(state.hardware.map((f) => [f.bdf, f]));
    const rowsOut = state.hardware.map((f) => {
      const p = pdevs.get(f.bdf);
      return { ...f, xen: p ? typeShort(p.type) : null, owner: p ? p.domain : null, kinds: findings.get(f.bdf) || [] };
    });
    for (const p of state.pdevs) {
      if (!answering.has(p.bdf)) {
        rowsOut.push({ bdf: p.bdf, id: null, kind: null, buses: null, xen: typeShort(p.type), owner: p.domain, kinds: findings.get(p.bdf) || [] });
      }
    }
    this.table.setRows(rowsOut);
  }
}
