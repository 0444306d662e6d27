/** Nesting depth of a parsed JSON body, measured without recursion (a deep body cannot blow the stack). */

/** True when `value` nests objects/arrays deeper than `max` levels (the top level is 1). */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined || typeof top.v !== 'object' || top.v === null) continue;
    if (top.depth > max) return true;
    for (const child of Object.values(top.v)) {
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: top.depth + 1 });
    }
  }
  return false;
}
