// The timeline: every step with its events in Xen's log style, the current event marked and kept in
// view, later events dimmed. A row moves the point there; Up/Down on a row move one event.

import { h, replace } from './util.js';

export class Timeline {
  /** onMove(n): the page moves to event n. */
  constructor(onMove) {
    this.onMove = onMove;
    this.point = null;
    this.timeline = [];
    this.rows = [];
    this.lastCurrent = null;
    this.list = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Steps and their events' });
    this.scroller = h('div', { class: 'scroll', id: 'timeline-scroll' }, this.list);
    this.element = h('aside', { class: 'panel timeline-panel', 'aria-labelledby': 'timeline-h' },
      h('h2', { id: 'timeline-h' }, 'Timeline'), this.scroller);
  }

  /** The rows of the history: timeline (API.md events), steps (state `steps`), the system's segment. */
  build(timeline, steps, segment) {
    this.timeline = timeline;
    const byStep = new Map();
    for (const e of timeline) {
      if (!byStep.has(e.step)) byStep.set(e.step, []);
      byStep.get(e.step).push(e);
    }
    const stepInfo = new Map(steps.map((s) => [s.index, s]));
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
            onclick: () => this.onMove(e.event),
            onkeydown: (k) => {
              if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); this.onMove(e.event); }
              else if (k.key === 'ArrowDown' || k.key === 'ArrowUp') {
                k.preventDefault();
                this.onMove(this.point + (k.key === 'ArrowDown' ? 1 : -1));
                this.rows[this.point - 1]?.focus({ preventScroll: false });
              }
            },
          }, h('span', { class: 'ev-no' }, String(e.event)), ...eventText(e.text, segment),
          e.outcome && e.outcome !== 'ok' ? h('span', { class: 'badge bad' }, e.outcome) : null);
          this.rows[e.event - 1] = row;
          return row;
        }))));
    }
    replace(this.list, groups);
  }

  /** Marks event n as current (scrolled into view), the events after it as future. */
  show(n) {
    this.point = n;
    if (this.lastCurrent) {
      this.lastCurrent.classList.remove('current');
      this.lastCurrent.removeAttribute('aria-current');
      this.lastCurrent.tabIndex = -1;
    }
    const row = this.rows[n - 1];
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i];
      if (r) r.classList.toggle('future', i + 1 > n);
    }
    if (row) {
      row.classList.add('current');
      row.setAttribute('aria-current', 'step');
      row.tabIndex = 0;
      const scroller = this.scroller;
      if (this.element.isConnected && !this.element.hidden) {
        const top = row.offsetTop - scroller.offsetTop;
        if (top < scroller.scrollTop + 30 || top > scroller.scrollTop + scroller.clientHeight - 50) {
          scroller.scrollTop = top - scroller.clientHeight / 2;
        }
      }
      this.lastCurrent = row;
    }
    for (const g of this.list.children) {
      const step = Number(g.dataset.step);
      g.classList.toggle('current-step', step === this.timeline[n - 1]?.step);
    }
  }
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
