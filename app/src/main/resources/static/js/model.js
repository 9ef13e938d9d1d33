// Pure functions over API.md's state object: the state of each bus2bridge cell, step boundaries,
// and the hardware tree as `lspci -tv` draws it. No DOM here.

import { parseBdf, hex2, shortBdf } from './util.js';

/** Cell states, most telling first: a cell shows the first that holds. */
export const CELL_STATES = [
  { id: 'self', finding: 'BUS2BRIDGE_SELF', label: 'SELF', text: 'points at a bridge on its own bus' },
  { id: 'loop', finding: 'BUS2BRIDGE_LOOP', label: 'LOOP', text: 'part of a loop: find_upstream_bridge gives -1' },
  { id: 'dangling', finding: 'BUS2BRIDGE_DANGLING', label: 'DANGLING', text: 'points at a BDF where Xen has no pdev' },
  { id: 'stale', finding: 'BUS2BRIDGE_STALE', label: 'STALE', text: 'differs from what a fresh boot gives' },
  { id: 'fine', finding: null, label: 'fine', text: 'mapped, as a fresh boot would map it' },
  { id: 'unmapped', finding: null, label: 'unmapped', text: 'not mapped' },
];

/**
 * The 256 cells of bus2bridge at one state: {bus, bridge (BDF or null), state, findings: [kinds]}.
 */
export function cells(state) {
  const byBus = new Map();
  for (const m of state.bus2bridge) byBus.set(m.bus, m.bridge);
  const findings = new Map();
  for (const f of state.findings) {
    if (f.bus === undefined || f.bus === null || !f.kind.startsWith('BUS2BRIDGE_')) continue;
    if (!findings.has(f.bus)) findings.set(f.bus, []);
    findings.get(f.bus).push(f.kind);
  }
  const out = [];
  for (let bus = 0; bus < 256; bus++) {
    const bridge = byBus.get(bus) || null;
    const kinds = findings.get(bus) || [];
    let st = bridge ? 'fine' : 'unmapped';
    for (const s of CELL_STATES) {
      if (s.finding && kinds.includes(s.finding)) { st = s.id; break; }
    }
    out.push({ bus, bridge, state: st, findings: kinds });
  }
  return out;
}

/** Buses whose mapping or state differs between two cell lists. */
export function changedBuses(before, after) {
  const out = new Set();
  if (!before) return out;
  for (let bus = 0; bus < 256; bus++) {
    if (before[bus].bridge !== after[bus].bridge || before[bus].state !== after[bus].state) out.add(bus);
  }
  return out;
}

/**
 * Points the step keys stop at: the last event of every step, from the state's steps list
 * (plus event 1, the system's creation). Sorted, unique.
 */
export function stepBoundaries(steps, total) {
  const set = new Set([1]);
  for (const s of steps) if (s.events && s.events.length === 2) set.add(s.events[1]);
  set.add(total);
  return [...set].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b);
}

/** Index of the step that event n belongs to (-1: before the first), from the timeline entries. */
export function stepOfEvent(timeline, n) {
  const e = timeline[n - 1];
  return e ? e.step : -1;
}

// ---------------------------------------------------------------- the hardware tree

/**
 * Builds the tree as lspci's ls-tree.c does (grow_tree): a bridge per bridge function, each under the
 * narrowest bridge whose [secondary, subordinate] spans its bus, and every function on a bus of the
 * deepest bridge spanning its bus (first bridge in bus/devfn order on a decode conflict). One change:
 * a bridge is placed by the bus it sits on, not by its primary-bus register, and only under a bridge on a
 * lower bus, so the transient registers of a renumbering (0/0/0) cannot make a cycle.
 * Returns the host bridge: {buses: [{bus, devices: [node]}]}, node = {fn, bus, dev, func, bridge|null},
 * bridge = {sec, sub, buses: [...]}.
 */
export function hardwareTree(hardware) {
  const nodes = hardware.map((fn) => {
    const p = parseBdf(fn.bdf) || { bus: 0, dev: 0, fn: 0 };
    return { fn, bus: p.bus, dev: p.dev, func: p.fn, bridge: null };
  });
  const host = { node: null, sec: 0, sub: 255, children: [], busMap: new Map() };
  const findBridge = (from, n) => {
    for (const c of from.children) {
      if (c.sec <= n && n <= c.sub && c.node.bus < n) return findBridge(c, n);
    }
    return from;
  };
  const bridgeNodes = nodes.filter((n) => n.fn.buses)
    .sort((a, b) => a.bus - b.bus || a.dev - b.dev || a.func - b.func);
  for (const n of bridgeNodes) {
    const b = { node: n, sec: n.fn.buses[1], sub: n.fn.buses[2], children: [], busMap: new Map() };
    n.bridge = b;
    findBridge(host, n.bus).children.push(b);
  }
  for (const b of bridgeNodes.map((n) => n.bridge)) {
    if (b.sec > b.node.bus) b.busMap.set(b.sec, []);
  }
  for (const n of nodes) {
    const b = findBridge(host, n.bus);
    if (!b.busMap.has(n.bus)) b.busMap.set(n.bus, []);
    b.busMap.get(n.bus).push(n);
  }
  const finish = (b) => {
    b.buses = [...b.busMap].sort((x, y) => x[0] - y[0]).map(([bus, devices]) => ({
      bus, devices: devices.sort((x, y) => x.dev - y.dev || x.func - y.func),
    }));
    delete b.busMap;
    for (const c of b.children) finish(c);
  };
  finish(host);
  return host;
}

/**
 * Draws the tree as lspci -t does (ls-tree.c: show_tree_bridge/bus/dev and print_it), returning rows
 * [{text, devices: [{node, col}]}]: the drawing of each line and the functions whose slot is on it.
 */
export function lspciRows(host, segment) {
  const rows = [];
  const line = [];
  let pending = [];
  const seg = segment.toString(16).padStart(4, '0');

  const write = (p, s) => {
    for (let i = 0; i < s.length; i++) line[p + i] = s[i];
    return p + s.length;
  };
  const printIt = (p) => {
    rows.push({ text: line.slice(0, p).join(''), devices: pending });
    pending = [];
    for (let i = 0; i < p; i++) line[i] = (line[i] === '+' || line[i] === '|') ? '|' : ' ';
    line.length = p;
  };
  const showBridge = (b, p, isHost) => {
    p = write(p, '-');
    if (b.buses.length === 0) {
      printIt(p);
    } else if (b.buses.length === 1) {
      if (isHost) p = write(p, `[${seg}:${hex2(b.buses[0].bus)}]-`);
      showBus(b.buses[0].devices, p);
    } else {
      b.buses.forEach((u, i) => {
        const k = write(p, `${i < b.buses.length - 1 ? '+' : '\\'}-[${seg}:${hex2(u.bus)}]-`);
        showBus(u.devices, k);
      });
    }
  };
  const showDev = (node, p) => {
    pending.push({ node, col: p });
    p = write(p, `${hex2(node.dev)}.${node.func}`);
    if (node.bridge) {
      const { sec, sub } = node.bridge;
      p = write(p, sec === sub ? `-[${hex2(sec)}]-` : `-[${hex2(sec)}-${hex2(sub)}]-`);
      showBridge(node.bridge, p, false);
      return;
    }
    printIt(p);
  };
  const showBus = (devices, p) => {
    if (devices.length === 0) {
      printIt(p);
    } else if (devices.length === 1) {
      p = write(p, '--');
      showDev(devices[0], p);
    } else {
      devices.forEach((d, i) => {
        write(p, i < devices.length - 1 ? '+-' : '\\-');
        showDev(d, p + 2);
      });
    }
  };
  if (host.buses.length) showBridge(host, 0, true);
  return rows;
}

/** Xen's view of each address: pdev by BDF, and the PDEV_* findings by BDF. */
export function pdevIndex(state) {
  const pdevs = new Map(state.pdevs.map((p) => [p.bdf, p]));
  const findings = new Map();
  for (const f of state.findings) {
    if (!f.bdf) continue;
    if (!findings.has(f.bdf)) findings.set(f.bdf, []);
    findings.get(f.bdf).push(f.kind);
  }
  return { pdevs, findings };
}

/** Short name of a Xen pdev type for badges. */
export function typeShort(type) {
  return ({
    PCIe2PCI_BRIDGE: 'PCIe2PCI', LEGACY_PCI_BRIDGE: 'LEGACY', PCI2PCIe_BRIDGE: 'PCI2PCIe', PCIe_BRIDGE: 'PCIe bridge',
    PCIe_ENDPOINT: 'PCIe endpoint', PCI_HOST_BRIDGE: 'host bridge', PCI_UNKNOWN: 'unknown', PCI: 'PCI',
  })[type] || type;
}

export function domainText(d) {
  if (d === null || d === undefined) return 'no owner';
  return d === 32753 ? 'dio' : `d${d}`; // DOMID_IO, the quarantine owner (XEN-MODEL.md §4b)
}

/** One-line description of a finding's subject. */
export function findingSubject(f) {
  if (f.bus !== undefined && f.bus !== null) return `bus ${hex2(f.bus)}`;
  if (f.bdf) return shortBdf(f.bdf);
  if (f.domain !== undefined && f.domain !== null) return `d${f.domain}`;
  return 'Xen';
}
