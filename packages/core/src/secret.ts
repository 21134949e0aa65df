import type { ObjectMeta } from './model.js';

/** A core/v1 Secret; the TLS store reads those of type `kubernetes.io/tls`. */
export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  /** `kubernetes.io/tls` for a certificate and key in `tls.crt` and `tls.key`; the API server defaults it to `Opaque`. */
  type?: string;
  /** Values base64-encoded, as the API server serves them. */
  data?: Record<string, string>;
  /** Plain values, as a manifest may write them; the API server merges them over `data` on write. */
  stringData?: Record<string, string>;
}

/** The Secret type that holds a TLS certificate (`tls.crt`) and its key (`tls.key`). */
export const TLS_SECRET_TYPE = 'kubernetes.io/tls';
