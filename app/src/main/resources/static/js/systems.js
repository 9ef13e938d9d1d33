// The systems page: every system with its scenario, policy, events and findings; a new system from
// an uploaded or pasted scenario, with the service's errors shown at their line.

import { api, ApiError } from './api.js';
import { h, replace, formatTime, pool, announce } from './util.js';
import { SortableTable } from './table.js';

export function renderSystems(main, nav) {
  document.title = 'Systems · pci-timeline';
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading systems…');
  const findingsOf = new Map();
  const table = new SortableTable([
    {
      key: 'system', label: 'System (scenario)',
      cell: (s) => h('a', {
        href: `?system=${encodeURIComponent(s.system)}`, class: 'system-link',
        'aria-label': `${s.system}, scenario ${s.scenario}`,
        onclick: (e) => { if (!e.ctrlKey && !e.metaKey && !e.shiftKey) { e.preventDefault(); nav({ system: s.system }); } },
      }, ...systemName(s)),
    },
    { key: 'policy', label: 'Policy', cell: (s) => h('code', null, s.policy) },
    { key: 'events', label: 'Events', numeric: true },
    { key: 'steps', label: 'Steps', numeric: true },
    {
      key: 'findings', label: 'Findings', numeric: true,
      value: (s) => findingsOf.get(s.system)?.count ?? null,
      cell: (s) => findingsCell(findingsOf.get(s.system)),
    },
    { key: 'created', label: 'Created', cell: (s) => h('time', { datetime: s.created }, formatTime(s.created)) },
  ], { caption: 'Systems', empty: 'No system yet: create one from a scenario.', sort: { key: 'created', dir: -1 } });

  const list = h('section', { class: 'card systems-list', 'aria-labelledby': 'systems-h' },
    h('h1', { id: 'systems-h' }, 'Systems'), status, h('div', { class: 'table-scroll' }, table.element));

  replace(main, h('div', { class: 'systems-page' }, list, createForm(nav)));

  api.systems().then((systems) => {
    status.textContent = systems.length === 1 ? '1 system' : `${systems.length} systems`;
    for (const s of systems) {
      if (typeof s.findings === 'number') findingsOf.set(s.system, { count: s.findings });
    }
    table.setRows(systems);
    // Finding counts: the list may carry them; otherwise each system's state now has them.
    const missing = systems.filter((s) => !findingsOf.has(s.system));
    pool(missing, 4, async (s) => {
      try {
        const state = await api.state(s.system);
        const kinds = new Set(state.findings.map((f) => f.kind));
        findingsOf.set(s.system, { count: state.findings.length, hung: state.hung, kinds });
      } catch (e) {
        findingsOf.set(s.system, { error: e.message });
      }
      table.render();
    });
  }).catch((e) => {
    status.textContent = `Cannot list the systems: ${e.message}`;
    status.classList.add('error-text');
  });
}

/** The scenario part of a system id stands out; the rest (its instance suffix) is muted. */
function systemName(s) {
  if (s.scenario && s.system.startsWith(s.scenario)) {
    return [h('span', { class: 'scenario-part' }, s.scenario), h('span', { class: 'suffix-part' }, s.system.slice(s.scenario.length))];
  }
  return [s.system, h('span', { class: 'suffix-part' }, ` (${s.scenario})`)];
}

function findingsCell(f) {
  if (!f) return h('span', { class: 'muted', 'aria-label': 'loading' }, '…');
  if (f.error) return h('span', { class: 'error-text', title: f.error }, '?');
  const n = h('span', { class: f.count ? 'count bad' : 'count ok' }, String(f.count));
  return f.hung ? [n, ' ', h('span', { class: 'badge hung' }, 'HUNG')] : n;
}

function createForm(nav) {
  const textarea = h('textarea', {
    id: 'scenario-text', class: 'code-input', spellcheck: 'false', autocomplete: 'off', wrap: 'off',
    'aria-describedby': 'scenario-help create-error', rows: 18,
    placeholder: 'scenario: my-machine\ntopology:\n  - {id: rp, devfn: "1c.0", kind: root-port, buses: [0, 1, 1]}\nsteps:\n  - xen-boot',
  });
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const fileName = h('span', { class: 'muted file-name' });
  const file = h('input', {
    type: 'file', id: 'scenario-file', accept: '.yaml,.yml,.json,application/yaml,application/json,text/plain',
    class: 'visually-hidden-file',
    onchange: async () => {
      const f = file.files && file.files[0];
      if (!f) return;
      textarea.value = await f.text();
      fileName.textContent = f.name;
      clearError();
      syncGutter();
      announce(`Loaded ${f.name}`);
    },
  });
  const errorBox = h('div', { id: 'create-error', class: 'problem', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-system' }, 'Create system');
  let errorLine = null;

  function syncGutter() {
    const n = Math.max(1, textarea.value.split('\n').length);
    const lines = [];
    for (let i = 1; i <= n; i++) lines.push(h('span', { class: i === errorLine ? 'error-line' : null }, String(i)));
    replace(gutter, lines);
    gutter.scrollTop = textarea.scrollTop;
  }
  function clearError() {
    errorLine = null;
    errorBox.hidden = true;
    textarea.removeAttribute('aria-invalid');
    syncGutter();
  }
  function showError(e) {
    const p = e instanceof ApiError ? e.problem : {};
    errorLine = Number.isInteger(p.line) && p.line > 0 ? p.line : null;
    const where = [];
    if (errorLine) where.push(`line ${errorLine}`);
    if (p.key) where.push(h('code', null, p.key));
    else if (p.field && p.field !== 'body') where.push(h('code', null, p.field));
    replace(errorBox,
      h('p', { class: 'problem-title' }, e instanceof ApiError ? `${p.title || 'Error'} (${e.status})` : 'Error'),
      where.length ? h('p', { class: 'problem-where' }, where.flatMap((w, i) => (i ? [' · ', w] : [w]))) : null,
      h('p', { class: 'problem-detail' }, e.message));
    errorBox.hidden = false;
    textarea.setAttribute('aria-invalid', 'true');
    syncGutter();
    if (errorLine) selectLine(textarea, errorLine);
  }

  textarea.addEventListener('input', () => { if (errorLine) clearError(); else syncGutter(); });
  textarea.addEventListener('scroll', () => { gutter.scrollTop = textarea.scrollTop; });

  const form = h('form', {
    class: 'card create-form', 'aria-labelledby': 'create-h',
    onsubmit: async (ev) => {
      ev.preventDefault();
      clearError();
      if (!textarea.value.trim()) {
        showError(new Error('Paste a scenario or choose a file first.'));
        textarea.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Creating…';
      try {
        const created = await api.create(textarea.value);
        announce(`Created ${created.system}`);
        nav({ system: created.system, created: created });
      } catch (e) {
        showError(e);
        announce('The scenario was refused');
      } finally {
        submit.disabled = false;
        submit.textContent = 'Create system';
      }
    },
  },
  h('h2', { id: 'create-h' }, 'New system from a scenario'),
  h('p', { id: 'scenario-help', class: 'muted' },
    'Upload or paste a scenario file (YAML or JSON, SCENARIOS.md format 1). The service replays its steps and checks its ',
    h('code', null, 'expect'), ' entries; nothing is stored when the file is invalid.'),
  h('div', { class: 'file-row' },
    h('label', { for: 'scenario-file', class: 'button' }, 'Choose file…'), file, fileName),
  h('label', { for: 'scenario-text', class: 'field-label' }, 'Scenario'),
  h('div', { class: 'editor' }, gutter, textarea),
  errorBox,
  h('div', { class: 'form-actions' }, submit));
  // The label works as the file button; make it keyboard reachable too.
  const fileLabel = form.querySelector('label.button');
  fileLabel.tabIndex = 0;
  fileLabel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); file.click(); }
  });
  syncGutter();
  return form;
}

function selectLine(textarea, line) {
  const lines = textarea.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || '').length;
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
  textarea.scrollTop = Math.max(0, (line - 4) * lh);
}
