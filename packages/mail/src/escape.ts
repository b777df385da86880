// HTML built only through the `html` tag: every interpolated value is escaped unless it is
// already Html (made by the tag itself), so user input (names, product names, carriers) can
// never become markup in a message.

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => entities[char]!);

/** A fragment of markup that is already safe. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolated = string | number | Html | readonly Html[] | null | undefined;

const render = (value: Interpolated): string => {
  if (value === null || value === undefined) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map((part: Html) => part.value).join("");
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new Html(out);
}

/**
 * Text for the plain part: control characters (but newlines and tabs) are dropped, so a name
 * cannot smuggle terminal escapes or header-like line breaks into what a mail client shows.
 */
export const plain = (value: string): string =>
  Array.from(value)
    .filter((char) => {
      const code = char.codePointAt(0)!;
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
      return !control || char === "\n" || char === "\t";
    })
    .join("");
