// The REST API of API.md. Every error is application/problem+json; ApiError keeps its fields.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  get line() { return this.problem.line; }
  get key() { return this.problem.key; }
  get field() { return this.problem.field; }
}

async function request(path, options = {}) {
  const res = await fetch(path, { headers: { Accept: 'application/json, application/problem+json' }, ...options });
  const type = res.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    body = await res.json().catch(() => null);
  } else {
    const text = await res.text();
    body = text ? { detail: text.slice(0, 300) } : null;
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const sys = (system) => `api/systems/${encodeURIComponent(system)}`;

export const api = {
  systems: () => request('api/systems'),
  system: (system) => request(sys(system)),
  create: (text) => request('api/systems', {
    method: 'POST',
    headers: { 'Content-Type': 'application/yaml', Accept: 'application/json, application/problem+json' },
    body: text,
  }),
  state: (system, { event, step, policy } = {}) =>
    request(`${sys(system)}/state${query({ 'at-event': event, 'at-step': step, policy })}`),
  events: (system, from, to) => request(`${sys(system)}/events${query({ from, to })}`),
  auditBus: (system, bus, { event, policy } = {}) =>
    request(`${sys(system)}/audit/bus2bridge/${bus}${query({ 'at-event': event, policy })}`),
  auditPdev: (system, bdf, { event, policy } = {}) =>
    request(`${sys(system)}/audit/pdev/${encodeURIComponent(bdf)}${query({ 'at-event': event, policy })}`),
  diffPoints: (system, from, to, policy) => request(`${sys(system)}/diff${query({ from, to, policy })}`),
  diffPolicies: (system, policy, vs, event) =>
    request(`${sys(system)}/diff${query({ policy, vs, 'at-event': event })}`),
  versions: (system) => request(`${sys(system)}/versions`),
  /** Every policy the service knows, [{policy, released}], in the model's order. */
  policies: () => request('api/policies'),
};
