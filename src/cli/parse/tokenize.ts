/**
 * Splits a command string the way virsh does (tools/vsh.c vshCommandStringGetArg): blanks separate
 * words, `;` or a newline ends a command, a word starting with `#` comments out the rest of the line,
 * single quotes are literal, double quotes allow backslash escapes, a backslash outside single quotes
 * escapes the next character and a backslash-newline is dropped.
 */

/** A word, or the end of one command in a `;` chain. */
export type Token = { readonly kind: 'word'; readonly text: string } | { readonly kind: 'end' };

/** The tokenizer's own errors, worded as virsh words them. */
export class TokenizeError extends Error {
  override readonly name = 'TokenizeError';
}

/** Tokenizes one command string; throws TokenizeError for `dangling \` and `missing "`. */
export function tokenizeString(input: string): Token[] {
  const out: Token[] = [];
  let p = 0;
  const n = input.length;
  for (;;) {
    while (p < n && (input[p] === ' ' || input[p] === '\t' || (input[p] === '\\' && input[p + 1] === '\n'))) {
      p += input[p] === '\\' ? 2 : 1;
    }
    if (p >= n) return out;
    const c = input[p];
    if (c === ';' || c === '\n') {
      out.push({ kind: 'end' });
      p++;
      continue;
    }
    if (c === '#') {
      while (p < n && input[p] !== '\n') p++;
      if (p < n) p++;
      out.push({ kind: 'end' });
      continue;
    }
    let word = '';
    let single = false;
    let double = false;
    while (p < n) {
      const ch = input[p] ?? '';
      if (!single && !double && (ch === ' ' || ch === '\t' || ch === ';' || ch === '\n')) break;
      if (!double && ch === "'") {
        single = !single;
        p++;
        continue;
      }
      if (!single && ch === '\\') {
        p++;
        if (p >= n) throw new TokenizeError('dangling \\');
        if (input[p] === '\n') {
          p++;
          continue;
        }
      } else if (!single && ch === '"') {
        double = !double;
        p++;
        continue;
      }
      word += input[p];
      p++;
    }
    if (double) throw new TokenizeError('missing "');
    out.push({ kind: 'word', text: word });
  }
}

/**
 * Tokens of separate argv words (`virtmon suspend test ';' domstate test`): every word is taken as
 * it is, and a word that is exactly `;` ends a command.
 */
export function tokenizeArgv(words: readonly string[]): Token[] {
  return words.map((text) => (text === ';' ? { kind: 'end' } : { kind: 'word', text }));
}
