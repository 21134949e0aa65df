import { groupVersionOf, type ResourceType } from './resources.js';

/** `api/v1` or `apis/<group>/<version>`: how `/openapi/v3` keys a group version. */
function apiPathOf(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

/** `/openapi/v3`: one entry per served group version, pointing at its document. */
export function openApiV3Root(types: readonly ResourceType[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const path = apiPathOf(groupVersionOf(type));
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}` };
  }
  return { paths };
}

/**
 * `/openapi/v3/<api path>`: a stub of a group version's document, with no schemas. It holds what
 * kubectl reads before a write: the PATCH operation of each kind, tagged with its group, version
 * and kind, and its `fieldValidation` parameter, which tells kubectl to leave validation to the
 * server instead of downloading schemas. Without schemas kubectl builds merge patches for custom
 * resources and strategic merge patches from its compiled-in types, as against a real server.
 */
export function openApiV3Document(types: readonly ResourceType[], apiPath: string): Record<string, unknown> | undefined {
  const inVersion = types.filter((t) => apiPathOf(groupVersionOf(t)) === apiPath);
  if (inVersion.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const type of inVersion) {
    const scope = type.namespaced ? '/namespaces/{namespace}' : '';
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    paths[`/${apiPath}${scope}/${type.plural}/{name}`] = {
      patch: {
        operationId: `patch${type.kind}`,
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0+switchyard-fixture' }, paths, components: {} };
}
