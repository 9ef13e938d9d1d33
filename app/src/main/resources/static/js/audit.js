// Audit trails: how a bus2bridge entry or a pdev came to be, each write or happening with a button
// that moves the timeline to its event.

import { h, hex2, shortBdf } from './util.js';
import { domainText, findingSubject } from './model.js';

export function entryText(e) {
  if (!e || !e.bridge) return 'unmapped';
  return e.mapped ? shortBdf(e.bridge) : `unmapped (was ${shortBdf(e.bridge)})`;
}

function readText(r) {
  const v = r.register === 'class' ? r.value.toString(16).padStart(4, '0') : hex2(r.value);
  return `${shortBdf(r.at)} ${r.register}=${v} (${r.answeredBy || 'nothing answers'})`;
}

function jumpButton(event, onJump, label) {
  return h('button', {
    type: 'button', class: 'jump', dataset: { event: String(event) },
    'aria-label': label || `Move the timeline to event ${event}`, onclick: () => onJump(event),
  }, label ? label : `⇢ event ${event}`);
}

function findingList(findings, onJump) {
  if (!findings.length) return h('p', { class: 'muted small' }, 'No finding about it at this point.');
  return h('ul', { class: 'audit-findings' }, findings.map((f) => h('li', { title: f.message },
    h('span', { class: `badge kind-${f.kind}` }, f.kind), ' ', jumpButton(f.since, onJump, `since ${f.since}`))));
}

function stepLine(x) {
  return x.step >= 0 ? `step ${x.step}${x.stepText ? ` · ${x.stepText}` : ''}` : 'before the first step';
}

export function renderBusAudit(a, onJump) {
  const last = a.writes.length ? a.writes[a.writes.length - 1] : null;
  const differs = entryText(a.current) !== entryText(a.expected);
  return h('article', { class: 'audit', 'aria-labelledby': 'audit-title' },
    h('h3', { id: 'audit-title', tabindex: '-1' }, `bus2bridge[${hex2(a.bus)}]`,
      h('span', { class: 'muted' }, ` at event ${a.event} · ${a.policy}`)),
    h('dl', { class: 'facts' },
      h('dt', null, 'now'), h('dd', { class: 'mono strong', dataset: { role: 'current' } }, entryText(a.current)),
      h('dt', null, 'fresh boot'), h('dd', { class: `mono${differs ? ' differs-text' : ''}` }, entryText(a.expected))),
    last ? h('p', { class: 'cause' }, 'Value written at ', jumpButton(last.event, onJump, `event ${last.event}`),
      ` by ${last.rule}.`) : h('p', { class: 'cause' }, 'Never written since the system was created.'),
    findingList(a.findings, onJump),
    h('h4', null, `Writes (${a.writes.length})`),
    a.writes.length === 0 ? h('p', { class: 'muted' }, 'Never written.') :
      h('ol', { class: 'writes', reversed: true }, a.writes.slice().reverse().map((w) => h('li', {
        class: `write${w.event === a.event ? ' at-point' : ''}`, dataset: { event: String(w.event), rule: w.rule },
      },
      h('div', { class: 'write-head' }, jumpButton(w.event, onJump), h('span', { class: 'rule' }, w.rule),
        w.outcome && w.outcome !== 'ok' ? h('span', { class: 'badge bad' }, w.outcome) : null),
      h('div', { class: 'mono change' }, `${entryText(w.before)} → ${entryText(w.after)}`),
      h('div', { class: 'op' }, w.operation),
      h('div', { class: 'muted small' }, stepLine(w)),
      w.reads.length ? h('div', { class: 'reads mono small' }, w.reads.map(readText).join('; ')) : null,
      h('p', { class: 'explanation' }, w.explanation)))));
}

export function renderPdevAudit(a, onJump) {
  const c = a.current;
  return h('article', { class: 'audit', 'aria-labelledby': 'audit-title' },
    h('h3', { id: 'audit-title', tabindex: '-1' }, `pdev ${shortBdf(a.bdf)}`,
      h('span', { class: 'muted' }, ` at event ${a.event} · ${a.policy}`)),
    h('dl', { class: 'facts' },
      h('dt', null, 'Xen holds'), h('dd', null, c ? `${c.type}, ${domainText(c.domain)}` : 'no pdev'),
      c ? [h('dt', null, 'allocated for'), h('dd', null, c.allocatedFor || 'nothing answering',
        c.allocatedAt ? [' ', jumpButton(c.allocatedAt, onJump, `event ${c.allocatedAt}`)] : null)] : null,
      h('dt', null, 'answers now'), h('dd', null, a.answersNow ? `${a.answersNow.id} (${a.answersNow.kind})` : 'nothing'),
      h('dt', null, 'fresh boot'), h('dd', null, a.expectedType || 'no pdev'),
      a.stale ? [h('dt', null, 'stale'), h('dd', { class: 'differs-text' }, a.staleBecause || 'yes')] : null),
    findingList(a.findings, onJump),
    h('h4', null, `History (${a.history.length})`),
    a.history.length === 0 ? h('p', { class: 'muted' }, 'Nothing happened at this address.') :
      h('ol', { class: 'writes', reversed: true }, a.history.slice().reverse().map((x) => h('li', {
        class: `write${x.event === a.event ? ' at-point' : ''}`, dataset: { event: String(x.event), what: x.what },
      },
      h('div', { class: 'write-head' }, jumpButton(x.event, onJump), h('span', { class: 'rule' }, x.what),
        x.outcome && x.outcome !== 'ok' ? h('span', { class: 'badge bad' }, x.outcome) : null),
      h('div', { class: 'mono change' }, happeningText(x)),
      h('div', { class: 'op' }, x.operation),
      h('div', { class: 'muted small' }, stepLine(x)),
      x.reads && x.reads.length ? h('div', { class: 'reads mono small' }, x.reads.map(readText).join('; ')) : null,
      x.explanation ? h('p', { class: 'explanation' }, x.explanation) : null))));
}

function happeningText(x) {
  switch (x.what) {
    case 'allocated': return `${x.type || ''} for ${x.answeredBy || 'nothing answering'}`;
    case 'owner': return `${domainText(x.previousDomain)} → ${domainText(x.domain)}`;
    case 'context-mapped': return `context ${shortBdf(x.context)} → ${domainText(x.domain)}`;
    case 'context-unmapped': return `context ${shortBdf(x.context)} unmapped (${domainText(x.domain)})`;
    case 'answer': return `now answers: ${x.answeredBy || 'nothing'}`;
    default: return x.what;
  }
}

export { findingSubject };
