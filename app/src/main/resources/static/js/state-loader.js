// Loading the states of one system: recent (event, policy) states kept, and one request in flight at a
// time, so that dragging the slider asks for the point it stops at rather than for every point it passed.

import { api } from './api.js';

/** States kept for moving back and forth and for compare mode (the oldest goes first). */
const KEPT = 300;

export class StateLoader {
  /**
   * current(): {event, policy} the page shows now; onState(state) shows a loaded state still wanted;
   * onError(event, error) says why a state could not be loaded.
   */
  constructor(system, { current, onState, onError }) {
    this.system = system;
    this.current = current;
    this.onState = onState;
    this.onError = onError;
    /** The system's recorded policy, once known: its states are asked for without ?policy. */
    this.ownPolicy = null;
    this.cache = new Map();
    this.pending = false;
    this.loading = false;
    this.disposed = false;
  }

  /** The state at event n under policy, from the states kept or from the service. */
  async stateAt(n, policy) {
    const key = `${policy}|${n}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const st = await api.state(this.system, { event: n, policy: policy === this.ownPolicy ? undefined : policy });
    if (this.cache.size > KEPT) this.cache.delete(this.cache.keys().next().value);
    this.cache.set(key, st);
    return st;
  }

  /** Forgets the states kept (another policy was chosen). */
  clear() {
    this.cache.clear();
  }

  /** Loads the current state, one request at a time: while one is in flight only the latest wish is kept. */
  async load() {
    this.pending = true;
    if (this.loading) return;
    this.loading = true;
    try {
      while (this.pending && !this.disposed) {
        const { event, policy } = this.current();
        this.pending = false;
        if (event === null) break; // no point yet: the history is still loading
        let st;
        try {
          st = await this.stateAt(event, policy);
        } catch (e) {
          this.onError(event, e);
          continue;
        }
        if (this.disposed) return;
        const now = this.current();
        if (!this.pending && now.event === event && now.policy === policy) this.onState(st);
      }
    } finally {
      this.loading = false;
    }
  }

  dispose() {
    this.disposed = true;
  }
}
