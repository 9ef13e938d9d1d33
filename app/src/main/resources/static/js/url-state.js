// The system page's URL state: ?system=ID&event=N&policy=P&compare=policies|points&vs=P&from=N&sel=…&tab=…
// (and &step=K on the way in). A view is shared by its URL, so both directions live here.

/**
 * The view a URL asks for. params: its query; tabs: the ids of the centre's tabs, the first the default.
 * Unknown values fall back to the default view rather than failing.
 */
export function viewFromParams(params, tabs) {
  return {
    policy: params.policy || null,
    compare: ['policies', 'points'].includes(params.compare) ? params.compare : null,
    vs: params.vs || null,
    from: params.from ? Number(params.from) : null,
    sel: parseSel(params.sel),
    tab: tabs.includes(params.tab) ? params.tab : tabs[0],
    side: params.sel ? 'audit' : 'findings',
  };
}

/** The URL parameters of a view: what viewFromParams reads back; defaults are left out. */
export function paramsOfView(system, view, defaultTab) {
  const p = { system };
  if (view.point !== null) p.event = view.point;
  if (view.policy) p.policy = view.policy;
  if (view.compare) {
    p.compare = view.compare;
    if (view.compare === 'policies' && view.vs) p.vs = view.vs;
    if (view.compare === 'points' && view.from) p.from = view.from;
  }
  if (view.sel) p.sel = view.sel.kind === 'bus' ? `bus-${view.sel.bus}` : `pdev-${view.sel.bdf}`;
  if (view.tab !== defaultTab) p.tab = view.tab;
  return p;
}

/** The event a URL opens at: ?event=N, or ?step=K (the end of step K, as at-step), else the last one. */
export function startEvent(params, steps, total) {
  const stepEnd = params.step !== undefined ? steps.find((x) => x.index === Number(params.step)) : null;
  const start = params.event ? Number(params.event)
    : stepEnd && stepEnd.events.length === 2 ? stepEnd.events[1] : total;
  return Number.isFinite(start) ? start : total;
}

function parseSel(sel) {
  if (!sel) return null;
  const bus = /^bus-(\d{1,3})$/.exec(sel);
  if (bus && Number(bus[1]) < 256) return { kind: 'bus', bus: Number(bus[1]) };
  const pdev = /^pdev-([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])$/i.exec(sel);
  if (pdev) return { kind: 'pdev', bdf: pdev[1].toLowerCase() };
  return null;
}
