import type { GatewayClass } from './model.js';

/**
 * The GatewayClasses this compile serves, by name, or `undefined` for "every class".
 * With a `controllerName` (in a cluster) a class is ours when its `spec.controllerName` says so,
 * as every Gateway API controller decides; narrowed to `gatewayClass` when that is given too.
 * Without one (from files) only `gatewayClass` narrows, whatever the class's controllerName.
 * `gatewayClasses` are the validated objects: an invalid class is nobody's.
 */
export function servedGatewayClasses(
  controllerName: string | undefined,
  gatewayClass: string | undefined,
  gatewayClasses: readonly GatewayClass[],
): ReadonlySet<string> | undefined {
  if (controllerName === undefined) return gatewayClass === undefined ? undefined : new Set([gatewayClass]);
  const ours = new Set<string>();
  for (const candidate of gatewayClasses) {
    const name = candidate.metadata.name;
    if (name === undefined || candidate.spec?.controllerName !== controllerName) continue;
    if (gatewayClass === undefined || name === gatewayClass) ours.add(name);
  }
  return ours;
}
