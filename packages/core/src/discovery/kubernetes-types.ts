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
  /** The application protocol (`kubernetes.io/h2c`, `http`): chooses how a proxy talks to the endpoints. */
  appProtocol?: string;
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
  /** Copied from the Service port by the EndpointSlice controller; set by hand on slices of Services without a selector. */
  appProtocol?: string | null;
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
