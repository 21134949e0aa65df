/**
 * The parts of core/v1 Service and discovery.k8s.io/v1 EndpointSlice that discovery reads,
 * as plain data (from YAML or the API server; unchecked until read).
 */
import type { ObjectMeta } from '../model.js';

export interface ServicePort {
  name?: string;
  port: number;
  /** A number, or the name of a container port (which EndpointSlices then carry resolved). */
  targetPort?: number | string;
  protocol?: string;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    type?: string;
    ports?: ServicePort[];
    externalName?: string;
  };
}

export interface EndpointSlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: string;
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  zone?: string;
  nodeName?: string;
}

export interface EndpointSlice {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  addressType?: string;
  endpoints?: EndpointSliceEndpoint[] | null;
  ports?: EndpointSlicePort[] | null;
}

/** The label every EndpointSlice of a Service carries. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

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
