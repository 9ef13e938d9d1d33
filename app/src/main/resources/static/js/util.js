// Small DOM and formatting helpers shared by every view. No framework: plain modules.

/**
 * Creates an element. attrs: class, text, html-free; keys starting with "on" are listeners,
 * "dataset" an object, "aria-*"/"data-*"/others become attributes; false/null values are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === false || v === null || v === undefined) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden') el[k] = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const hex2 = (n) => n.toString(16).padStart(2, '0');

/** "0000:06:00.0" -> "06:00.0" (the segment is the system's, shown once). */
export function shortBdf(bdf) {
  if (!bdf) return bdf;
  const m = /^[0-9a-f]{4}:(.*)$/i.exec(bdf);
  return m ? m[1] : bdf;
}

/** Parses "ssss:bb:dd.f" into numbers. */
export function parseBdf(bdf) {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(bdf || '');
  if (!m) return null;
  return { segment: parseInt(m[1], 16), bus: parseInt(m[2], 16), dev: parseInt(m[3], 16), fn: parseInt(m[4], 10) };
}

/** Announces a short message to screen readers. */
export function announce(text) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  // a new text node each time so the same message is read again
  setTimeout(() => { live.textContent = text; }, 30);
}

/** Runs fn over items with at most n in flight. */
export async function pool(items, n, fn) {
  const queue = items.slice();
  const workers = Array.from({ length: Math.min(n, queue.length) }, async () => {
    while (queue.length) {
      const item = queue.shift();
      try { await fn(item); } catch (e) { /* each caller shows its own failure */ }
    }
  });
  await Promise.all(workers);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, '');
}

/** True when a key press belongs to a text field, select or other control that uses arrows itself. */
export function ownsArrowKeys(target) {
  if (!(target instanceof Element)) return false;
  if (target.closest('[data-own-arrows]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target.getAttribute('type') || 'text').toLowerCase();
    return type !== 'range' && type !== 'checkbox' && type !== 'radio' && type !== 'button';
  }
  return target.isContentEditable;
}
