/** The paths of the access lines (`msg: "proxied"`) in a log's text, in order; every JSON-looking line must parse whole. */
export function proxiedPaths(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; path?: string })
    .filter((entry) => entry.msg === 'proxied')
    .map((entry) => entry.path!);
}
