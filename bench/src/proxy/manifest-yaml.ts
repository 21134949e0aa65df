/** A JSON-like value, as Kubernetes manifests are. */
export type ManifestValue = string | number | boolean | null | readonly ManifestValue[] | { readonly [key: string]: ManifestValue | undefined };

// Keys made only of these need no quotes in YAML (`kubernetes.io/service-name` included).
const PLAIN_KEY = /^[A-Za-z_][\w./-]*$/;

/**
 * Objects as one multi-document YAML text (`---` between documents), the way people keep
 * manifests in a directory for `switchyard serve -f DIR`. Strings are written double-quoted
 * (JSON's escapes are YAML's), so no value can be read back as another type.
 */
export function manifestsYaml(documents: readonly ManifestValue[]): string {
  return documents.map((document) => lines(document, 0).join('\n') + '\n').join('---\n');
}

function lines(value: ManifestValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: ManifestValue) => {
      if (!isBlock(item)) return [`${pad}- ${scalar(item)}`];
      // The first line of a block item sits after its dash; the rest line up under it.
      const [first, ...rest] = lines(item, indent + 2);
      return [`${pad}- ${first!.trimStart()}`, ...rest];
    });
  }
  if (isBlock(value)) {
    const entries = Object.entries(value).filter((entry): entry is [string, ManifestValue] => entry[1] !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const name = PLAIN_KEY.test(key) ? key : JSON.stringify(key);
      if (!isBlock(item) || isEmpty(item)) return [`${pad}${name}: ${isBlock(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`];
      return [`${pad}${name}:`, ...lines(item, indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isBlock(value: ManifestValue): value is readonly ManifestValue[] | { readonly [key: string]: ManifestValue | undefined } {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: ManifestValue): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.values(value as object).every((item) => item === undefined);
}

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
