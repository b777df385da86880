/**
 * Per-field messages from a failed safeParse of a shared contracts schema, in the same shape
 * the server's `fieldErrors` have, so the form shows both the same way and the rules (URL
 * scheme, lengths, at least one event type) live only in @cartwheel/contracts.
 */
export function issuesByField(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
}
