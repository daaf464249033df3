// Everything that reaches the page from data (dataset names, dbt messages, portfolio ids, the
// correlation id) goes through these two functions: the report must never run injected markup.

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * JSON safe inside `<script type="application/json">`: `</script>` or `<!--` in a string would
 * end or confuse the element, so `<`, `>` and `&` become \u escapes (still the same JSON value).
 * U+2028/2029 are escaped too, for readers that evaluate the text as JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
