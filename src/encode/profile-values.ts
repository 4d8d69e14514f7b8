/**
 * The profile features that depend only on the account and one value of the event, computed
 * once per pair and reused: action_account, action_global and action_new of an action;
 * address_new, network_new and address_rarity of an address; app_new of an app.
 *  - Within a prepared batch, by the batch's dictionary numbers: a table per kind of value,
 *    indexed by (value, group), so an event costs a few array reads. A string-keyed lookup per
 *    event and column costs more than all the rest of the event's encoding.
 *  - Outside a batch (one event on its own), or when a batch has too many (value, account) pairs
 *    for a table, by each account's memo keyed by the string.
 * Both give the same numbers (tests compare them). The baseline's own events (leave-one-out)
 * are computed directly, never from a table or memo.
 */
import { networkOf } from "./ip-prefix.ts";
import type { Habits, PreparedBatch, ProfileState } from "./profile-state.ts";
import type { BatchContext } from "./profile-window.ts";

/** Weight of the population's frequency in an account's smoothed action frequency (pseudo-count). */
const ACTION_PRIOR = 1;
/** Entries of each account's memo of action and address values (scoring path only). */
const MEMO_LIMIT = 20_000;
/** Size of a batch's (value, account) table, in entries: at most this, or 8 per event when larger. */
const TABLE_ENTRIES = 1 << 16;

function networkMemo(state: ProfileState, address: string): string {
  let net = state.networkMemo.get(address);
  if (net === undefined) {
    net = networkOf(address);
    if (state.networkMemo.size > 100_000) state.networkMemo.clear();
    state.networkMemo.set(address, net);
  }
  return net;
}

/** action_account, action_global, action_new of `action` for `h` (its own occurrence left out when `loo` is 1) into out[o..o+2]. */
export function writeAction(h: Habits, population: Habits, action: string, loo: number, out: Float64Array, o: number): void {
  const total = population.events - loo + 1;
  const everyone = Math.max(0, (population.actions.get(action) ?? 0) - loo);
  const pGlobal = (everyone + 0.5) / total;
  const mine = Math.max(0, (h.actions.get(action) ?? 0) - loo);
  out[o] = -Math.log((mine + ACTION_PRIOR * pGlobal) / (h.events - loo + ACTION_PRIOR));
  out[o + 1] = -Math.log(pGlobal);
  // New for the account; when new for everybody, at least as surprising as the population finds new actions.
  out[o + 2] = mine > 0 ? 0 : everyone > 0 ? h.surprise.action : Math.max(h.surprise.action, population.surprise.action);
}

/** address_new, network_new, address_rarity of `address` for `h` into out[o..o+2]. */
export function writeAddress(state: ProfileState, h: Habits, address: string, loo: number, out: Float64Array, o: number): void {
  const population = state.population;
  out[o] = (h.addresses.get(address) ?? 0) - loo > 0 ? 0 : h.surprise.address;
  out[o + 1] = (h.networks.get(networkMemo(state, address)) ?? 0) - loo > 0 ? 0 : h.surprise.network;
  out[o + 2] = -Math.log((Math.max(0, (population.addresses.get(address) ?? 0) - loo) + 0.5) / (population.events - loo + 1));
}

/** app_new of `app` ("" for none: 0) for `h`. */
export function appValue(h: Habits, app: string, loo: number): number {
  return app === "" ? 0 : (h.apps.get(app) ?? 0) - loo > 0 ? 0 : h.surprise.app;
}

/** The action values of `action` for `h` outside the baseline, from the account's memo. */
export function memoAction(h: Habits, population: Habits, action: string): Float64Array {
  let values = h.actionMemo.get(action);
  if (values === undefined) {
    values = new Float64Array(3);
    writeAction(h, population, action, 0, values, 0);
    if (h.actionMemo.size >= MEMO_LIMIT) h.actionMemo.clear();
    h.actionMemo.set(action, values);
  }
  return values;
}

/** The address values of `address` for `h` outside the baseline, from the account's memo. */
export function memoAddress(state: ProfileState, h: Habits, address: string): Float64Array {
  let values = h.addressMemo.get(address);
  if (values === undefined) {
    values = new Float64Array(3);
    writeAddress(state, h, address, 0, values, 0);
    if (h.addressMemo.size >= MEMO_LIMIT) h.addressMemo.clear();
    h.addressMemo.set(address, values);
  }
  return values;
}

/** Set up the tables of a grouped batch (batchContext): the batch `encode` then reads. */
export function prepareBatch(context: BatchContext, state: ProfileState): PreparedBatch {
  const groups = context.keys.length;
  const limit = Math.max(TABLE_ENTRIES, 8 * context.events.length);
  const pairs = (values: number) => (values * groups <= limit ? values * groups : 0);
  return {
    context,
    accounts: context.keys.map((key) => state.accounts.get(key)),
    actionPairs: pairs(context.actions.length),
    addressPairs: pairs(context.addresses.length),
    appPairs: pairs(context.apps.length),
    actionSlots: null,
    addressSlots: null,
    appValues: null,
    values: new Float64Array(3 * 256),
    used: 0,
  };
}

function takeSlot(batch: PreparedBatch): number {
  if (batch.used + 3 > batch.values.length) {
    const grown = new Float64Array(batch.values.length * 2);
    grown.set(batch.values);
    batch.values = grown;
  }
  const slot = batch.used;
  batch.used += 3;
  return slot;
}

/**
 * Slot in batch.values of row i's action values (outside the baseline; batch.actionPairs > 0),
 * computed for `h`, the habits row i is compared with, on the pair's first row.
 */
export function actionSlot(batch: PreparedBatch, i: number, h: Habits, population: Habits): number {
  const context = batch.context;
  const code = context.action[i]!;
  const k = code * context.keys.length + context.group[i]!;
  const slots = (batch.actionSlots ??= new Int32Array(batch.actionPairs).fill(-1));
  let slot = slots[k]!;
  if (slot < 0) {
    slot = takeSlot(batch);
    writeAction(h, population, context.actions[code]!, 0, batch.values, slot);
    slots[k] = slot;
  }
  return slot;
}

/** The same for row i's address (batch.addressPairs > 0). */
export function addressSlot(batch: PreparedBatch, i: number, h: Habits, state: ProfileState): number {
  const context = batch.context;
  const code = context.address[i]!;
  const k = code * context.keys.length + context.group[i]!;
  const slots = (batch.addressSlots ??= new Int32Array(batch.addressPairs).fill(-1));
  let slot = slots[k]!;
  if (slot < 0) {
    slot = takeSlot(batch);
    writeAddress(state, h, context.addresses[code]!, 0, batch.values, slot);
    slots[k] = slot;
  }
  return slot;
}

/** Row i's app_new (outside the baseline; batch.appPairs > 0). */
export function batchAppValue(batch: PreparedBatch, i: number, h: Habits): number {
  const context = batch.context;
  const code = context.app[i]!;
  const k = code * context.keys.length + context.group[i]!;
  const values = (batch.appValues ??= new Float64Array(batch.appPairs).fill(Number.NaN));
  let value = values[k]!;
  if (Number.isNaN(value)) {
    value = appValue(h, context.apps[code]!, 0);
    values[k] = value;
  }
  return value;
}
