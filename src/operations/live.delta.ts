/**
 * What changed between two live snapshots, as a small delta the page applies to the snapshot it holds, and its
 * application (pure). A node's snapshot is about 170 KB and changes by a few hundred bytes a tick (a time, counters,
 * the newest entries of an output's history); sent whole every 2 s it was about 300 MB an hour per open page.
 *
 * A delta node is one of:
 *   {"=": value}                    the value replaced (a new member, or a different kind of value)
 *   {"-": 1}                        the member removed
 *   {"o": {member: delta, ...}}     an object with only its changed members
 *   {"a": [drop, [items...]]}       an array that lost `drop` items at its front and gained `items` at its end (a
 *                                   history window sliding on)
 *   {"i": {index: delta, ...}}      an array of the same length with only these items changed (the apps' panels)
 * any other change of an array replaces it.
 * RFC 7396 (JSON Merge Patch) was the obvious choice and does not fit: it cannot carry a null value (the snapshot
 * has many: lastError, since) and it replaces arrays whole, which is exactly the history windows' bulk.
 * The page (resources/live/live.js, applyDelta) applies the same rules; live.delta.spec checks the round trip.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Delta = { '=': Json } | { '-': 1 } | { o: Record<string, Delta> } | { a: [number, Json[]] } | { i: Record<string, Delta> };

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The delta from `before` to `after`, or undefined when they are equal. */
export function deltaOf(before: Json, after: Json): Delta | undefined {
  if (isObject(before) && isObject(after)) {
    const members: Record<string, Delta> = {};
    let changed = false;
    for (const key of Object.keys(after)) {
      const d = Object.hasOwn(before, key) ? deltaOf(before[key], after[key]) : { '=': after[key] };
      if (d !== undefined) {
        members[key] = d;
        changed = true;
      }
    }
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key)) {
        members[key] = { '-': 1 };
        changed = true;
      }
    }
    return changed ? { o: members } : undefined;
  }
  if (Array.isArray(before) && Array.isArray(after)) return arrayDelta(before, after);
  return before === after ? undefined : { '=': after };
}

function arrayDelta(before: Json[], after: Json[]): Delta | undefined {
  const b = before.map((v) => JSON.stringify(v));
  const a = after.map((v) => JSON.stringify(v));
  if (b.length === a.length && b.every((v, i) => v === a[i])) return undefined;
  // The smallest drop after which what is left of `before` starts `after`.
  for (let drop = 0; drop < b.length; drop++) {
    const kept = b.length - drop;
    if (kept > a.length) continue;
    let same = true;
    for (let i = 0; i < kept && same; i++) same = b[drop + i] === a[i];
    if (same) {
      const appended = after.slice(kept);
      // Not worth it when most of the array is new.
      // Worth it while most of the array is kept.
      if (appended.length <= kept) return { a: [drop, appended] };
      break;
    }
  }
  if (b.length === a.length) {
    const items: Record<string, Delta> = {};
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) items[String(i)] = deltaOf(before[i], after[i])!;
    return { i: items };
  }
  return { '=': after };
}

/** `before` with `delta` applied (a new value; `before` is not changed). */
export function applyDelta(before: Json | undefined, delta: Delta): Json {
  if ('=' in delta) return delta['='];
  if ('a' in delta) {
    const [drop, items] = delta.a;
    return [...(Array.isArray(before) ? before.slice(drop) : []), ...items];
  }
  if ('i' in delta) {
    const out = Array.isArray(before) ? [...before] : [];
    for (const [index, d] of Object.entries(delta.i)) out[Number(index)] = applyDelta(out[Number(index)], d);
    return out;
  }
  if ('o' in delta) {
    const out: { [key: string]: Json } = isObject(before ?? null) ? { ...(before as { [key: string]: Json }) } : {};
    for (const [key, d] of Object.entries(delta.o)) {
      if ('-' in d) delete out[key];
      else out[key] = applyDelta(out[key], d);
    }
    return out;
  }
  throw new Error(`not a live delta: ${JSON.stringify(delta).slice(0, 80)}`);
}
