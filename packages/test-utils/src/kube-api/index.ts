export { KubeApiServer, type ExpiredWatchResponse, type KubeApiAddress, type KubeApiServerOptions, type RestartOptions } from './kube-api-server.js';
export type { FailOptions, FaultTarget } from './fault-queue.js';
export type { RequestLogEntry, WatchEndReason } from './request-log.js';
export { parseLabelSelector, matchesLabels, SelectorError, type LabelRequirement, type LabelSelector } from './label-selector.js';
export { RESOURCE_TYPES, type CrdBundle, type ResourceType } from './resources.js';
export type { KubeMeta, KubeObject, KubeStatus, ObjectRef, WatchEvent } from './types.js';
