/**
 * A month read page by page, cut into chunks a feature set can fit on and encode as if it had
 * the whole month: each chunk's own events (a page's worth) come with the month's events up to
 * `neighbourMs` before and after them, so a burst or a run of failed logins across a page's edge
 * is counted as in the whole month. What is held at once is about two pages and the neighbours.
 */
import type { EncodableEvent, MonthChunk } from "../encode/feature-set.ts";

const time = (event: EncodableEvent) => event.occurredAt.getTime();

/**
 * The chunks of the events `pages` yields (in time order, ties in a fixed order), `chunkRows`
 * own events each (the last may hold fewer).
 */
export async function* monthChunks(pages: AsyncIterable<readonly EncodableEvent[]>, neighbourMs: number, chunkRows: number): AsyncGenerator<MonthChunk> {
  const iterator = pages[Symbol.asyncIterator]();
  let done = false;
  /** Read, not yet in a chunk of their own. */
  let pending: EncodableEvent[] = [];
  /** Already in a chunk, and within neighbourMs of what is pending. */
  let before: EncodableEvent[] = [];
  const readMore = async (): Promise<void> => {
    const next = await iterator.next();
    if (next.done) done = true;
    else for (const event of next.value) pending.push(event);
  };
  for (;;) {
    while (!done && pending.length < chunkRows) await readMore();
    if (pending.length === 0) return;
    const own = Math.min(pending.length, chunkRows);
    const reach = time(pending[own - 1]!) + neighbourMs;
    while (!done && time(pending[pending.length - 1]!) <= reach) await readMore();
    let after = own;
    while (after < pending.length && time(pending[after]!) <= reach) after++;
    yield { events: [...before, ...pending.slice(0, after)], from: before.length, to: before.length + own };
    const rest = pending.slice(own);
    if (rest.length === 0 && done) return;
    const keepFrom = rest.length > 0 ? time(rest[0]!) - neighbourMs : Number.POSITIVE_INFINITY;
    before = [...before, ...pending.slice(0, own)].filter((event) => time(event) >= keepFrom);
    pending = rest;
  }
}

/** An array (already in memory) as pages for monthChunks. */
export async function* asPages<T>(events: readonly T[]): AsyncGenerator<readonly T[]> {
  if (events.length > 0) yield events;
}

/** The pages of `pages`, then `tail` as one more page (when not empty). */
export async function* followedBy<T>(pages: AsyncIterable<readonly T[]>, tail: readonly T[]): AsyncGenerator<readonly T[]> {
  yield* pages;
  if (tail.length > 0) yield tail;
}
