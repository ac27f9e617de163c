/**
 * A 400 `invalid_body` answer names the refused fields in its message
 * (`"timeZone: must be an IANA time zone …; email: Invalid email"`, see the
 * server's describeIssues). This reads them back, so a form can put each
 * sentence next to its field instead of in a banner.
 */
export function refusedFields(message: string): Array<{ field: string; text: string }> {
  return message
    .split('; ')
    .map((part) => /^([A-Za-z][\w.]*): (.+)$/.exec(part.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ field: match[1] ?? '', text: match[2] ?? '' }));
}

/** Sends each refused field to the form's error for it, in the form's words where it has some. */
export function fieldErrorsFromMessage<F extends string>(
  message: string,
  words: Partial<Record<F, string>>,
): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const { field, text } of refusedFields(message)) {
    if (field in words) errors[field as F] ??= words[field as F] || `Not accepted: ${text}`;
  }
  return errors;
}
