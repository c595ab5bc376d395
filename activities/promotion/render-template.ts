/**
 * `{{name}}` placeholders of runbook templates.
 */

/** Replaces `{{name}}` placeholders with `vars[name]`; unknown names stay as they are. */
export function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}
