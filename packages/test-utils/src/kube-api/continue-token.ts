/** What a continue token remembers: the snapshot the first page was read at and the last key returned. */
export interface ContinuePosition {
  readonly resourceVersion: number;
  readonly after: string;
}

/** Encodes the position opaquely, as the API server does (base64 of JSON), so clients cannot rely on its shape. */
export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: 'switchyard.kube-api/1', rv: position.resourceVersion, start: position.after })).toString('base64url');
}

/** Decodes a token; undefined when it is not one of ours (the API server answers 400). */
export function decodeContinue(token: string): ContinuePosition | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (value.v !== 'switchyard.kube-api/1' || typeof value.rv !== 'number' || typeof value.start !== 'string') return undefined;
    return { resourceVersion: value.rv, after: value.start };
  } catch {
    return undefined;
  }
}
