// zod's default messages ("Too small: expected string to have >=1 characters") are written
// for developers, and the web app's forms show the server's messages as they are. This is the
// one place that words them for people; a schema's own message still wins over it.
import { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const quantity = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const FORMATS: Record<string, string> = {
  email: "Enter a valid email address.",
  uuid: "This is not a valid id.",
  guid: "This is not a valid id.",
  url: "Enter a full web address, starting with https://.",
  datetime: "Enter a date and time.",
  date: "Enter a date.",
};

const TYPES: Record<string, string> = {
  number: "Enter a number.",
  int: "Enter a whole number.",
  string: "Enter some text.",
  boolean: "Choose yes or no.",
  date: "Enter a date.",
  array: "Enter a list.",
};

export function plainMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string")
        return min <= 1 ? "Enter a value." : `Enter at least ${quantity(min, "character", "characters")}.`;
      if (issue.origin === "array" || issue.origin === "set")
        return min <= 1 ? "Add at least one." : `Add at least ${min}.`;
      if (issue.origin === "date") return "Choose a later date.";
      return issue.inclusive === false ? `Enter more than ${min}.` : `Enter ${min} or more.`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `Use ${quantity(max, "character", "characters")} or fewer.`;
      if (issue.origin === "array" || issue.origin === "set") return `Use at most ${max}.`;
      if (issue.origin === "date") return "Choose an earlier date.";
      return issue.inclusive === false ? `Enter less than ${max}.` : `Enter ${max} or less.`;
    }
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "This is required.";
      return TYPES[issue.expected] ?? "This value is not valid here.";
    case "invalid_format":
      return FORMATS[issue.format] ?? "This is not in the expected format.";
    case "invalid_value":
      return issue.values.length <= 8
        ? `Choose one of: ${issue.values.map(String).join(", ")}.`
        : "Choose one of the offered values.";
    case "not_multiple_of":
      return `Enter a multiple of ${String(issue.divisor)}.`;
    case "unrecognized_keys":
      return `Unknown ${issue.keys.length === 1 ? "field" : "fields"}: ${issue.keys.join(", ")}.`;
    default:
      return undefined;
  }
}

/** Installs plainMessage as zod's message for every schema without its own (process-wide). */
export function configurePlainMessages(): void {
  z.config({ customError: plainMessage });
}
