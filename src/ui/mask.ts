const MASK = '********';

/** A secret as printed unless --show-secrets: never its length, never a prefix. */
export const maskSecret = (value: string, show = false): string => (show || value === '' ? value : MASK);

/** Replaces every occurrence of each secret in free text (logs, error details). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) redacted = redacted.split(secret).join(MASK);
  }
  return redacted;
}
