// The side panel: the findings at the point (many of one kind folded into a group), and the audit
// trail of what is selected, as two tabs. Each finding opens its subject's audit and moves the point
// to the event since which it holds.

import { h, replace } from './util.js';
import { findingSubject } from './model.js';

export class FindingsPanel {
  /**
   * onSelect(sel, keepFocus): opens the audit of {kind: 'bus', bus} or {kind: 'pdev', bdf};
   * onMove(n): moves the point to event n; onSide(which): a tab ('findings' or 'audit') was chosen.
   */
  constructor({ onSelect, onMove, onSide }) {
    this.onSelect = onSelect;
    this.onMove = onMove;
    this.findingsBox = h('div', { class: 'findings-box', id: 'findings' });
    this.findingsCount = h('span', { class: 'tab-count', id: 'findings-count' });
    this.auditBox = h('div', { class: 'audit-box', id: 'audit', tabindex: '-1' },
      h('p', { class: 'muted' }, 'Click a grid cell, a finding, a pdev or a function to see how it came to be.'));
    this.findingsTab = h('button', { type: 'button', role: 'tab', id: 'side-findings', 'aria-controls': 'side-findings-panel', onclick: () => onSide('findings') }, 'Findings', this.findingsCount);
    this.auditTab = h('button', { type: 'button', role: 'tab', id: 'side-audit', 'aria-controls': 'side-audit-panel', onclick: () => onSide('audit') }, 'Audit trail');
    this.findingsPanel = h('div', { role: 'tabpanel', id: 'side-findings-panel', 'aria-labelledby': 'side-findings', class: 'tabpanel scroll' }, this.findingsBox);
    this.auditPanel = h('div', { role: 'tabpanel', id: 'side-audit-panel', 'aria-labelledby': 'side-audit', class: 'tabpanel scroll', hidden: true }, this.auditBox);
    this.element = h('aside', { class: 'panel side', 'aria-label': 'Findings and audit trail' },
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Findings or audit' }, this.findingsTab, this.auditTab),
      this.findingsPanel, this.auditPanel);
  }

  /** Shows the 'findings' or the 'audit' tab. */
  setSide(which) {
    this.findingsTab.setAttribute('aria-selected', String(which === 'findings'));
    this.auditTab.setAttribute('aria-selected', String(which === 'audit'));
    this.findingsPanel.hidden = which !== 'findings';
    this.auditPanel.hidden = which !== 'audit';
  }

  /** The audit trail's content: a rendered audit or a message. */
  showAudit(node) {
    replace(this.auditBox, node);
  }

  /** Scrolls the audit trail back to its top (another subject was selected). */
  auditToTop() {
    this.auditPanel.scrollTop = 0;
  }

  /** The findings of a state (API.md `findings`). */
  showFindings(st) {
    this.findingsCount.textContent = String(st.findings.length);
    if (!st.findings.length) {
      replace(this.findingsBox, h('p', { class: 'muted' }, `No finding at event ${st.event} under ${st.policy}.`));
      return;
    }
    const selOf = (f) => (f.bus !== undefined && f.bus !== null ? { kind: 'bus', bus: f.bus } : f.bdf ? { kind: 'pdev', bdf: f.bdf } : null);
    const item = (f) => {
      const sel = selOf(f);
      return h('li', { class: 'finding', dataset: { kind: f.kind } },
        h('div', { class: 'finding-head' },
          sel ? h('button', {
            type: 'button', class: 'link finding-open', onclick: (e) => this.onSelect(sel, e.detail === 0),
            'aria-label': `${f.kind} ${findingSubject(f)}: open its audit trail`,
          }, h('span', { class: `badge kind-${f.kind}` }, f.kind.replace('BUS2BRIDGE_', 'B2B ')), ' ',
          h('span', { class: 'mono' }, findingSubject(f))) :
            h('span', null, h('span', { class: `badge kind-${f.kind}` }, f.kind), ' ', findingSubject(f)),
          h('button', {
            type: 'button', class: 'jump', onclick: () => this.onMove(f.since), title: 'Move to the event since which it holds',
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
              onclick: (e) => sel && this.onSelect(sel, e.detail === 0),
            }, findingSubject(f).replace(/^bus /, '')));
          })))));
    }
    replace(this.findingsBox, h('ul', { class: 'findings' }, out));
  }
}
