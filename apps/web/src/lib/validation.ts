/**
 * Per-field messages from a failed safeParse of a shared contracts schema, keyed by the
 * field's dotted path ("eventTypes", "phone") as the server keys its `fieldErrors`, so a form
 * shows both the same way and the rules (URL scheme, lengths, phone format) live only in
 * @cartwheel/contracts.
 */
export function issuesByField(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".");
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
}
