// The scrubber: the point in the history as a slider with buttons, the steps as a bar under it, the
// current step and event spelled out, and the keys that move the point anywhere on the page.

import { h, replace, ownsArrowKeys } from './util.js';
import { stepBoundaries } from './model.js';

export class Scrubber {
  /** onMove(n): the page moves to event n (it clamps n to the history). */
  constructor(onMove) {
    this.onMove = onMove;
    this.point = null;
    this.total = 0;
    this.steps = [];
    this.timeline = [];
    this.boundaries = [];
    this.slider = h('input', { type: 'range', id: 'slider', min: 1, max: 1, value: 1, 'aria-label': 'Event' });
    this.pointLabel = h('output', { id: 'point-label', for: 'slider', class: 'point-label' });
    this.stepBar = h('div', { class: 'step-bar', 'aria-hidden': 'true' });
    this.stepMarker = h('div', { class: 'step-marker' });
    this.nowStep = h('div', { class: 'now-step' });
    this.nowEvent = h('div', { class: 'now-event mono' });
    const btn = (label, title, fn, id) => h('button', {
      type: 'button', class: 'icon', title, 'aria-label': title, id, onclick: fn,
    }, label);
    this.element = h('section', { class: 'scrubber', 'aria-label': 'Point in the history' },
      h('div', { class: 'scrub-row' },
        h('div', { class: 'scrub-buttons' },
          btn(icon('first'), 'First event (Home)', () => onMove(1), 'first'),
          btn(icon('prev-step'), 'Previous step (Shift+Left)', () => this.stepMove(-1), 'prev-step'),
          btn(icon('prev'), 'Previous event (Left)', () => onMove(this.point - 1), 'prev-event'),
          btn(icon('next'), 'Next event (Right)', () => onMove(this.point + 1), 'next-event'),
          btn(icon('next-step'), 'Next step (Shift+Right)', () => this.stepMove(1), 'next-step'),
          btn(icon('last'), 'Last event (End)', () => onMove(this.total), 'last')),
        h('div', { class: 'slider-wrap' }, this.slider, h('div', { class: 'step-track' }, this.stepBar, this.stepMarker)),
        this.pointLabel,
        h('details', { class: 'keys' }, h('summary', null, 'Keys'),
          h('dl', null,
            h('dt', null, '← →'), h('dd', null, 'previous / next event'),
            h('dt', null, 'Shift + ← →'), h('dd', null, 'previous / next step'),
            h('dt', null, 'Home End'), h('dd', null, 'first / last event'),
            h('dt', null, 'in the grid'), h('dd', null, 'arrows move, Enter opens the audit, Esc leaves')))),
      h('div', { class: 'now' }, this.nowStep, this.nowEvent));
    this.slider.addEventListener('input', () => onMove(Number(this.slider.value)));
    this.onKey = (e) => this.key(e);
    document.addEventListener('keydown', this.onKey);
  }

  /** The system's history: total events, its steps (API.md state `steps`) and its timeline rows. */
  setHistory({ total, steps, timeline }) {
    this.total = total;
    this.steps = steps;
    this.timeline = timeline;
    this.boundaries = stepBoundaries(steps, total);
    this.slider.max = total;
    this.buildStepBar();
  }

  /** Shows event n as the point. */
  show(n) {
    this.point = n;
    this.slider.value = n;
    const e = this.timeline[n - 1];
    const stepIndex = e ? e.step : -1;
    const info = this.steps.find((s) => s.index === stepIndex);
    this.pointLabel.textContent = `event ${n} / ${this.total}`;
    replace(this.nowStep, stepIndex < 0 ? 'before the first step' :
      [h('strong', null, `step ${stepIndex}`), ` ${info ? info.text || info.step : ''}`,
        info ? h('span', { class: `badge outcome ${info.outcome === 'ok' ? 'ok' : 'bad'}` }, info.outcome) : null]);
    replace(this.nowEvent, e ? [h('span', { class: 'ev-no' }, String(e.event)), ` ${e.text}`] : '');
    const marker = (n - 0.5) / this.total;
    this.stepMarker.style.left = `${marker * 100}%`;
    this.slider.setAttribute('aria-valuetext', `event ${n} of ${this.total}, step ${stepIndex}`);
  }

  /** Moves to the next step boundary after the point (dir 1) or the last one before it (dir -1). */
  stepMove(dir) {
    const b = this.boundaries;
    if (dir > 0) this.onMove(b.find((x) => x > this.point) ?? this.total);
    else this.onMove([...b].reverse().find((x) => x < this.point) ?? 1);
  }

  key(e) {
    if (this.point === null) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape' && e.target instanceof Element && e.target.closest('.b2b-grid')) { this.slider.focus(); return; }
    if (ownsArrowKeys(e.target)) return;
    let handled = true;
    if (e.key === 'ArrowRight') { if (e.shiftKey) this.stepMove(1); else this.onMove(this.point + 1); }
    else if (e.key === 'ArrowLeft') { if (e.shiftKey) this.stepMove(-1); else this.onMove(this.point - 1); }
    else if (e.key === 'Home') this.onMove(1);
    else if (e.key === 'End') this.onMove(this.total);
    else handled = false;
    if (handled) e.preventDefault();
  }

  buildStepBar() {
    const segs = [];
    const total = this.total;
    const pct = (x) => `${(x / total) * 100}%`;
    const first = this.timeline.length ? 1 : 0;
    // event 1 (created) and each step as a segment proportional to its events
    segs.push(h('div', { class: 'seg created', style: `left:0;width:${pct(first)}`, title: 'system created' }));
    for (const s of this.steps) {
      if (!s.events || s.events.length !== 2) continue;
      const [a, b] = s.events;
      segs.push(h('div', {
        class: `seg ${s.outcome === 'ok' ? 'ok' : s.outcome === 'HUNG' ? 'hung' : 'errno'}`,
        style: `left:${pct(a - 1)};width:${pct(b - a + 1)}`,
        title: `step ${s.index}: ${s.text || s.step} → ${s.outcome} (events ${a}–${b})`,
        dataset: { step: String(s.index) },
        onclick: () => this.onMove(b),
      }, h('span', { class: 'seg-label' }, `${s.index} ${s.step}`)));
    }
    replace(this.stepBar, segs);
  }

  /** Stops listening to the page's keys (the page is left). */
  dispose() {
    document.removeEventListener('keydown', this.onKey);
  }
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
