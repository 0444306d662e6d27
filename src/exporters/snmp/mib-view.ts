/**
 * One consistent view of every instance we serve, built per request: a sorted instance list plus the
 * readable object types, which is all RFC 3416's GET/GETNEXT rules need (noSuchObject vs noSuchInstance,
 * strict lexicographic successor, not-accessible objects skipped because they are never listed).
 */
import { compareOid, startsWith, type Oid } from './oid.ts';
import { V, type SnmpValue } from './values.ts';

/** One served instance. */
export interface MibInstance {
  readonly oid: Oid;
  readonly value: SnmpValue;
}

/** What the request path needs from a view. */
export interface MibLookup {
  /** GET: the value, noSuchInstance when the object type exists, else noSuchObject. */
  get(oid: Oid): SnmpValue;
  /** GETNEXT: the first instance strictly greater than `oid`, or undefined at the end of the view. */
  next(oid: Oid): MibInstance | undefined;
}

/** A sorted, immutable set of instances. */
export class MibView implements MibLookup {
  readonly #instances: readonly MibInstance[];
  readonly #objects: readonly Oid[];

  /** `objects` are the OIDs of readable object types (columns and scalars, without instance suffix). */
  constructor(instances: MibInstance[], objects: readonly Oid[]) {
    this.#instances = instances.sort((a, b) => compareOid(a.oid, b.oid));
    this.#objects = objects;
  }

  /** Number of instances. */
  get size(): number {
    return this.#instances.length;
  }

  /** GET: the value, noSuchInstance when the object type exists, else noSuchObject. */
  get(oid: Oid): SnmpValue {
    const i = this.#lowerBound(oid);
    const hit = this.#instances[i];
    if (hit !== undefined && compareOid(hit.oid, oid) === 0) return hit.value;
    return this.#objects.some((o) => startsWith(oid, o)) ? V.noSuchInstance : V.noSuchObject;
  }

  /** GETNEXT: the first instance strictly greater than `oid`, or undefined at the end of the view. */
  next(oid: Oid): MibInstance | undefined {
    let i = this.#lowerBound(oid);
    const at = this.#instances[i];
    if (at !== undefined && compareOid(at.oid, oid) === 0) i++;
    return this.#instances[i];
  }

  /** Index of the first instance >= oid. */
  #lowerBound(oid: Oid): number {
    let lo = 0;
    let hi = this.#instances.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOid(this.#instances[mid]!.oid, oid) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Several views as one (the cached guest table plus the live system scalars). */
export class CompositeView implements MibLookup {
  readonly #parts: readonly MibLookup[];

  constructor(parts: readonly MibLookup[]) {
    this.#parts = parts;
  }

  get(oid: Oid): SnmpValue {
    let missing: SnmpValue = V.noSuchObject;
    for (const p of this.#parts) {
      const v = p.get(oid);
      if (v.type === 'noSuchInstance') missing = v;
      else if (v.type !== 'noSuchObject') return v;
    }
    return missing;
  }

  next(oid: Oid): MibInstance | undefined {
    let best: MibInstance | undefined;
    for (const p of this.#parts) {
      const hit = p.next(oid);
      if (hit !== undefined && (best === undefined || compareOid(hit.oid, best.oid) < 0)) best = hit;
    }
    return best;
  }
}
