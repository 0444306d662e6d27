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

/** A sorted, immutable set of instances. */
export class MibView {
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
