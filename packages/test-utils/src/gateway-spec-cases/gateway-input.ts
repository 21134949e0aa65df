import { loadManifests } from '@switchyard/core';
import type { Gateway, HTTPRoute, Namespace, ReferenceGrant } from '../gateway-api-shapes.js';
import type { GatewayReferenceInput } from '../gateway-reference-matcher.js';

const GATEWAY_API_VERSIONS = new Set(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1']);

/** The reference matcher's input from a spec case's manifests (Gateways, HTTPRoutes, Namespaces, ReferenceGrants). */
export function gatewayInputFromManifests(manifests: string): GatewayReferenceInput {
  const loaded = loadManifests(manifests);
  const broken = loaded.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (broken) throw new Error(`spec case manifests do not load: ${broken.message}`);
  const gatewayApi = (kind: string) => loaded.objects.filter((object) => GATEWAY_API_VERSIONS.has(object.apiVersion ?? '') && object.kind === kind);
  return {
    gateways: gatewayApi('Gateway') as unknown as Gateway[],
    httpRoutes: gatewayApi('HTTPRoute') as unknown as HTTPRoute[],
    referenceGrants: gatewayApi('ReferenceGrant') as unknown as ReferenceGrant[],
    namespaces: loaded.objects.filter((object) => object.apiVersion === 'v1' && object.kind === 'Namespace') as unknown as Namespace[],
  };
}
