/** Why a watch stream ended. */
export type WatchEndReason =
  | 'timeout' // timeoutSeconds ran out and the server ended the stream cleanly
  | 'client-closed' // the client went away
  | 'dropped' // dropWatches() cut the connection
  | 'expired' // the stream carried a 410 ERROR event and ended
  | 'server-closed' // close() ended it
  | 'restarted' // restart() cut the connection
  | 'uninstalled'; // the watched type's CRDs were uninstalled and the stream ended cleanly

/** One request as the fixture saw it. */
export interface RequestLogEntry {
  readonly id: number;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** Query parameters, parsed; the last value wins for a repeated name. */
  readonly query: Readonly<Record<string, string>>;
  readonly userAgent: string;
  /**
   * The token of an `Authorization: Bearer <token>` header, else undefined. The fixture
   * authenticates nobody: this is how a test tells its clients apart (give each a kubeconfig
   * user with its own `token`), as an API server's audit log names the user of each request.
   */
  readonly bearerToken: string | undefined;
  /** When the request arrived (ms since the epoch). */
  readonly time: number;
  readonly watch: boolean;
  /** The status the response started with. */
  status?: number;
  /** Set when a failNext fault answered the request. */
  fault?: 'failNext';
  /** For watches: when the stream ended (ms since the epoch) and why. */
  endedAt?: number;
  endReason?: WatchEndReason;
}
