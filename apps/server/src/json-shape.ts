/** Bounds on a JSON text's shape, judged without parsing it. */
export interface JsonShapeLimits {
  readonly maxDepth: number;
  readonly maxItems: number;
}

export type JsonShapeProblem =
  { readonly kind: "depth"; readonly limit: number } | { readonly kind: "items"; readonly limit: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
/** The characters that matter outside strings; a regex search jumps over the rest natively. */
const STRUCTURAL = /["[\]{},]/g;

/**
 * One linear pass over `text` that stops at the first bound it crosses. JSON.parse of a
 * deeply nested or very wide text builds millions of objects before any schema sees them
 * (a 10 MB `[[[[…]]]]` holds the event loop for seconds and hundreds of MB of heap), so this runs
 * first. Items are counted as containers plus commas outside strings: each array element and
 * object member adds at most one. Syntax is not checked here; JSON.parse does that next.
 */
export function jsonShapeProblem(text: string, limits: JsonShapeLimits): JsonShapeProblem | null {
  let depth = 0;
  let items = 0;
  let index = 0;
  for (;;) {
    STRUCTURAL.lastIndex = index;
    const match = STRUCTURAL.exec(text);
    if (match === null) return null;
    const code = text.charCodeAt(match.index);
    index = match.index + 1;
    if (code === QUOTE) {
      const end = closingQuote(text, index);
      if (end === -1) return null;
      index = end + 1;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > limits.maxDepth) return { kind: "depth", limit: limits.maxDepth };
      if (++items > limits.maxItems) return { kind: "items", limit: limits.maxItems };
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--;
    } else if (++items > limits.maxItems) {
      return { kind: "items", limit: limits.maxItems }; // a comma
    }
  }
}

/** The quote ending the string whose contents start at `from`: one not escaped by an odd run of backslashes. */
function closingQuote(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote !== -1) {
    let before = quote - 1;
    while (before >= from && text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

export function describeShapeProblem(problem: JsonShapeProblem): string {
  return problem.kind === "depth"
    ? `The input nests arrays and objects more than ${problem.limit} levels deep.`
    : `The input has more than ${problem.limit} array elements and object members.`;
}
