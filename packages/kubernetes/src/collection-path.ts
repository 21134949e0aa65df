/** The collection's path, cluster-wide or in one namespace: `/apis/g/v`, `ingresses`. */
export function collectionPath(groupVersionPath: string, resource: string, namespace: string | undefined): string {
  return namespace ? `${groupVersionPath}/namespaces/${namespace}/${resource}` : `${groupVersionPath}/${resource}`;
}
