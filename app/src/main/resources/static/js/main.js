// Entry point: the URL's query decides the page (no system: the systems page; ?system=…: its
// time-travel view). Moving the point rewrites the URL in place, so a view can be shared.

import { renderSystems } from './systems.js';
import { renderSystem } from './system.js';
import { replace } from './util.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const headerTools = document.getElementById('header-tools');
let dispose = null;

function paramsFromUrl() {
  return Object.fromEntries(new URLSearchParams(window.location.search));
}

function urlOf(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `${window.location.pathname}${s ? `?${s}` : ''}`;
}

/** Goes to another page (a new history entry). extra carries in-memory data such as a creation result. */
function nav(params) {
  const { created, ...urlParams } = params;
  history.pushState(null, '', urlOf(urlParams));
  route({ ...urlParams, created });
}

/** Rewrites the current URL (same history entry): the point, policy and selection of a view. */
function setParams(params) {
  const url = urlOf(params);
  if (url !== `${window.location.pathname}${window.location.search}`) history.replaceState(null, '', url);
}

function route(params = paramsFromUrl()) {
  if (dispose) { dispose(); dispose = null; }
  replace(headerTools);
  replace(crumbs);
  if (params.system) {
    dispose = renderSystem(main, params, { nav, setParams, headerTools, crumbs });
  } else {
    renderSystems(main, nav);
  }
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => route());
document.querySelector('[data-nav="systems"]').addEventListener('click', (e) => {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  nav({});
});
route();
