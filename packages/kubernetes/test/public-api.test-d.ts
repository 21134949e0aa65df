// The public types of @switchyard/kubernetes. Type-checked by `tsc -b` (see vitest.config.ts);
// a change here is a change of the public API.
import type { KubeConfig } from '@kubernetes/client-node';
import type { AddressPolicy, CompileResult, Discovery, ExternalNameResolver, Ingress, IngressClass, KubernetesObject, Secret, SwitchyardError } from '@switchyard/core';
import {
  IngressSource,
  KUBE_ERROR_CODES,
  KubeApiError,
  KubeError,
  KubernetesDiscovery,
  Reflector,
  SecretSource,
  connectionFromKubeConfig,
  isKubeError,
  type BackoffOptions,
  type IngressSourceOptions,
  type KubeConnection,
  type KubeErrorCode,
  type KubeSourceOptions,
  type KubernetesDiscoveryOptions,
  type SharedCollection,
  type ReflectorChange,
  type ReflectorOptions,
  type ReflectorStatus,
} from '@switchyard/kubernetes';
import type { GatewayApiStatus, GatewayClassStatus, GatewayStatus, HTTPRouteStatus, ParentReference } from '@switchyard/core';
import {
  MAX_ROUTE_PARENTS,
  gatewayClassStatusDocument,
  gatewayStatusDocument,
  httpRouteStatusDocument,
  planStatusWrites,
  type GatewayClassStatusDocument,
  type GatewayDocumentOptions,
  type GatewayStatusAddress,
  type GatewayStatusDocument,
  type HTTPRouteDocument,
  type HTTPRouteDocumentOptions,
  type HTTPRouteStatusDocument,
  type ListenerStatusDocument,
  type ObservedObject,
  type RouteParentStatusDocument,
  type SkippedStatus,
  type StatusCondition,
  type StatusObjectRef,
  type StatusPlan,
  type StatusPlanInput,
  type StatusWrite,
  type SupportedKind,
} from '@switchyard/kubernetes';
import { LeaseElector, StatusPublisher, writeStatus, type LeaseElectorOptions, type LeaseTimings, type StatusInputs, type StatusPublisherOptions, type StatusWriteOutcome } from '@switchyard/kubernetes';
import {
  GatewayApiSource,
  type ApiGroupServed,
  type GatewayApiCompileOptions,
  type GatewayApiObserved,
  type GatewayApiSourceOptions,
  type GatewayApiSourceStatus,
} from '@switchyard/kubernetes';
import type { CompileOptions } from '@switchyard/core';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/kubernetes', () => {
  test('connecting', () => {
    expectTypeOf(connectionFromKubeConfig).toEqualTypeOf<(kubeConfig: KubeConfig) => Promise<KubeConnection>>();
    expectTypeOf<KubeConnection>().toHaveProperty('server').toEqualTypeOf<string>();
  });

  test('what every source takes', () => {
    expectTypeOf<KubeSourceOptions>().toEqualTypeOf<{
      readonly connection: KubeConnection;
      readonly namespaces?: readonly string[];
      readonly debounceMs?: number;
      readonly reflector?: Partial<Pick<ReflectorOptions, 'pageSize' | 'watchTimeoutSeconds' | 'inactivityTimeoutMs' | 'backoff'>>;
      readonly onError?: (error: KubeError) => void;
    }>();
    expectTypeOf<BackoffOptions>().toEqualTypeOf<{ readonly initialMs: number; readonly maxMs: number; readonly factor?: number }>();
  });

  test('IngressSource', () => {
    expectTypeOf(IngressSource).constructorParameters.toEqualTypeOf<[options: IngressSourceOptions]>();
    expectTypeOf<IngressSourceOptions>().toMatchTypeOf<KubeSourceOptions>();
    expectTypeOf<IngressSourceOptions>().toHaveProperty('ingressClass').toEqualTypeOf<string | undefined>();
    expectTypeOf<IngressSource['subscribe']>().toEqualTypeOf<(onTable: (result: CompileResult) => void) => () => void>();
    expectTypeOf<IngressSource['current']>().toEqualTypeOf<() => CompileResult | undefined>();
    expectTypeOf<IngressSource['ready']>().toEqualTypeOf<() => Promise<CompileResult>>();
    expectTypeOf<IngressSource['onObjectsChanged']>().toEqualTypeOf<(listener: () => void) => () => void>();
    expectTypeOf<IngressSource['ingresses']>().toEqualTypeOf<() => Ingress[]>();
    expectTypeOf<IngressSource['ingressClasses']>().toEqualTypeOf<() => IngressClass[]>();
    expectTypeOf<IngressSource['status']>().toEqualTypeOf<() => Record<string, ReflectorStatus>>();
    expectTypeOf<IngressSource['close']>().toEqualTypeOf<() => Promise<void>>();
  });

  test('KubernetesDiscovery', () => {
    expectTypeOf(KubernetesDiscovery).constructorParameters.toEqualTypeOf<[options: KubernetesDiscoveryOptions]>();
    expectTypeOf<KubernetesDiscoveryOptions>().toMatchTypeOf<KubeSourceOptions>();
    expectTypeOf<KubernetesDiscoveryOptions>().toHaveProperty('externalNames').toEqualTypeOf<ExternalNameResolver | undefined>();
    expectTypeOf<KubernetesDiscoveryOptions>().toHaveProperty('allowExternalNames').toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<KubernetesDiscoveryOptions>().toHaveProperty('addressPolicy').toEqualTypeOf<AddressPolicy | undefined>();
    expectTypeOf<KubernetesDiscovery>().toMatchTypeOf<Discovery>();
    expectTypeOf<KubernetesDiscovery['status']>().toEqualTypeOf<() => Record<string, ReflectorStatus>>();
  });

  test('SecretSource', () => {
    expectTypeOf(SecretSource).constructorParameters.toEqualTypeOf<[options: KubeSourceOptions]>();
    expectTypeOf<SecretSource['subscribe']>().toEqualTypeOf<(onSecrets: (secrets: Secret[]) => void) => () => void>();
    expectTypeOf<SecretSource['current']>().toEqualTypeOf<() => Secret[] | undefined>();
    expectTypeOf<SecretSource['ready']>().toEqualTypeOf<() => Promise<Secret[]>>();
    expectTypeOf<SecretSource['close']>().toEqualTypeOf<() => Promise<void>>();
  });

  test('Reflector', () => {
    expectTypeOf(Reflector).constructorParameters.toEqualTypeOf<[options: ReflectorOptions]>();
    expectTypeOf<ReflectorOptions>().toHaveProperty('connection').toEqualTypeOf<KubeConnection>();
    expectTypeOf<ReflectorOptions>().toHaveProperty('path').toEqualTypeOf<string>();
    expectTypeOf<ReflectorOptions['onChange']>().toEqualTypeOf<((change: ReflectorChange) => void) | undefined>();
    expectTypeOf<ReflectorChange>().toEqualTypeOf<
      { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubernetesObject } | { readonly type: 'RELISTED' }
    >();
    expectTypeOf<Reflector['start']>().toEqualTypeOf<() => Reflector>();
    expectTypeOf<Reflector['synced']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<Reflector['status']>().toEqualTypeOf<() => ReflectorStatus>();
    expectTypeOf<Reflector['stop']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<Reflector['store']>().toEqualTypeOf<Map<string, KubernetesObject>>();
    expectTypeOf<ReflectorStatus>().toEqualTypeOf<{
      readonly synced: boolean;
      readonly resourceVersion: string | undefined;
      readonly lists: number;
      readonly watches: number;
      readonly consecutiveFailures: number;
      readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | undefined;
    }>();
  });

  test('GatewayApiSource', () => {
    expectTypeOf<GatewayApiSourceOptions>().toExtend<KubeSourceOptions>();
    expectTypeOf<Omit<GatewayApiSourceOptions, keyof KubeSourceOptions>>().toEqualTypeOf<{
      readonly controllerName: string;
      readonly gatewayClass?: string;
      readonly gateways?: readonly string[];
      readonly crdCheckIntervalMs?: number;
      readonly services?: SharedCollection;
      readonly secrets?: SharedCollection;
    }>();
    expectTypeOf<KubernetesDiscovery['sharedServices']>().toEqualTypeOf<() => SharedCollection>();
    expectTypeOf<SecretSource['sharedSecrets']>().toEqualTypeOf<() => SharedCollection>();
    expectTypeOf<SharedCollection>().toEqualTypeOf<{
      objects(): readonly object[];
      synced(): Promise<void>;
      isSynced(): boolean;
      onChange(listener: () => void): () => void;
      status(): Record<string, ReflectorStatus>;
    }>();
    expectTypeOf<GatewayApiCompileOptions>().toEqualTypeOf<
      Pick<CompileOptions, 'controllerName' | 'gatewayClass' | 'gatewayNames' | 'gatewayClasses' | 'gateways' | 'httpRoutes' | 'grpcRoutes' | 'referenceGrants' | 'namespaces' | 'secrets' | 'services'>
    >();
    expectTypeOf<GatewayApiSource['compileOptions']>().toEqualTypeOf<() => GatewayApiCompileOptions>();
    expectTypeOf<GatewayApiSource['subscribe']>().toEqualTypeOf<(onChange: (options: GatewayApiCompileOptions) => void) => () => void>();
    expectTypeOf<GatewayApiSource['ready']>().toEqualTypeOf<() => Promise<GatewayApiCompileOptions>>();
    expectTypeOf<GatewayApiSource['observed']>().toEqualTypeOf<() => GatewayApiObserved>();
    expectTypeOf<GatewayApiObserved>().toEqualTypeOf<StatusPlanInput['observed']>();
    expectTypeOf<GatewayApiSource['status']>().toEqualTypeOf<() => GatewayApiSourceStatus>();
    expectTypeOf<GatewayApiSourceStatus>().toEqualTypeOf<{
      readonly gatewayApi: ApiGroupServed;
      readonly gatewayApiReason: string | undefined;
      readonly reflectors: Readonly<Record<string, ReflectorStatus>>;
    }>();
    expectTypeOf<ApiGroupServed>().toEqualTypeOf<'unknown' | 'installed' | 'not-installed'>();
    expectTypeOf<GatewayApiSource['close']>().toEqualTypeOf<() => Promise<void>>();
  });

  test('leader election and the status write', () => {
    expectTypeOf<LeaseTimings>().toEqualTypeOf<{ readonly leaseDurationSeconds?: number; readonly renewDeadlineMs?: number; readonly retryPeriodMs?: number }>();
    expectTypeOf<LeaseElectorOptions['identity']>().toEqualTypeOf<string>();
    expectTypeOf<LeaseElector['isLeader']>().toEqualTypeOf<boolean>();
    expectTypeOf<LeaseElector['leader']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LeaseElector['stop']>().toEqualTypeOf<(options?: { release?: boolean }) => Promise<void>>();
    expectTypeOf<StatusWriteOutcome>().toEqualTypeOf<'written' | 'conflict' | 'gone'>();
    expectTypeOf(writeStatus).parameter(1).toEqualTypeOf<StatusWrite>();
    expectTypeOf<StatusPublisherOptions['isLeader']>().toEqualTypeOf<() => boolean>();
    expectTypeOf<StatusPublisherOptions['inputs']>().toEqualTypeOf<() => StatusInputs | undefined>();
    expectTypeOf<StatusPublisher['changed']>().toEqualTypeOf<() => void>();
    expectTypeOf<StatusPublisher['flush']>().toEqualTypeOf<() => Promise<void>>();
  });

  test('errors', () => {
    expectTypeOf<KubeErrorCode>().toEqualTypeOf<keyof typeof KUBE_ERROR_CODES>();
    expectTypeOf<KubeErrorCode>().toEqualTypeOf<
      | 'SWY_KUBE_NO_CLUSTER'
      | 'SWY_KUBE_LEASE_OPTIONS_INVALID'
      | 'SWY_KUBE_API_STATUS'
      | 'SWY_KUBE_CONNECTION_FAILED'
      | 'SWY_KUBE_WATCH_EXPIRED'
      | 'SWY_KUBE_WATCH_INACTIVE'
      | 'SWY_KUBE_WATCH_BAD_EVENT'
      | 'SWY_KUBE_WATCH_ENDED_AT_ONCE'
      | 'SWY_KUBE_GATEWAY_API_NOT_INSTALLED'
      | 'SWY_KUBE_RESOURCE_VERSION_BACKWARDS'
    >();
    expectTypeOf<KubeError>().toMatchTypeOf<SwitchyardError<KubeErrorCode>>();
    expectTypeOf<KubeApiError>().toMatchTypeOf<KubeError>();
    expectTypeOf<KubeApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<KubeApiError['reason']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<KubeApiError['retryAfterSeconds']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(isKubeError).guards.toEqualTypeOf<KubeError>();
    expectTypeOf(isKubeError).parameters.toEqualTypeOf<[value: unknown, code?: KubeErrorCode]>();
  });
  test('Gateway API status documents and the write plan', () => {
    expectTypeOf(planStatusWrites).toEqualTypeOf<(input: StatusPlanInput) => StatusPlan>();
    expectTypeOf<StatusPlanInput>().toEqualTypeOf<{
      readonly status: GatewayApiStatus;
      readonly controllerName: string;
      readonly observed: {
        readonly gatewayClasses: readonly ObservedObject[];
        readonly gateways: readonly ObservedObject[];
        readonly httpRoutes: readonly ObservedObject[];
        readonly grpcRoutes: readonly ObservedObject[];
      };
      readonly now: Date;
      readonly addresses?: ((gateway: string) => readonly GatewayStatusAddress[] | undefined) | undefined;
    }>();
    expectTypeOf<StatusPlan>().toEqualTypeOf<{
      readonly writes: readonly StatusWrite[];
      readonly skipped: readonly SkippedStatus[];
      readonly omittedParents: readonly { readonly route: string; readonly parentRefs: readonly ParentReference[] }[];
    }>();
    expectTypeOf<StatusObjectRef>().toEqualTypeOf<{ readonly kind: 'GatewayClass' | 'Gateway' | 'HTTPRoute' | 'GRPCRoute'; readonly namespace: string | undefined; readonly name: string }>();
    expectTypeOf<StatusWrite>().toMatchTypeOf<StatusObjectRef & { readonly resourceVersion: string | undefined }>();
    expectTypeOf<Extract<StatusWrite, { kind: 'GatewayClass' }>['status']>().toEqualTypeOf<GatewayClassStatusDocument>();
    expectTypeOf<Extract<StatusWrite, { kind: 'Gateway' }>['status']>().toEqualTypeOf<GatewayStatusDocument>();
    expectTypeOf<Extract<StatusWrite, { kind: 'HTTPRoute' }>['status']>().toEqualTypeOf<HTTPRouteStatusDocument>();
    expectTypeOf<Extract<StatusWrite, { kind: 'GRPCRoute' }>['status']>().toEqualTypeOf<HTTPRouteStatusDocument>();
    expectTypeOf<SkippedStatus['reason']>().toEqualTypeOf<'StaleGeneration' | 'OtherController'>();
    expectTypeOf<typeof MAX_ROUTE_PARENTS>().toEqualTypeOf<32>();

    expectTypeOf(gatewayClassStatusDocument).toEqualTypeOf<(status: GatewayClassStatus, observed: ObservedObject, now: Date) => GatewayClassStatusDocument>();
    expectTypeOf(gatewayStatusDocument).toEqualTypeOf<(status: GatewayStatus, observed: ObservedObject, options: GatewayDocumentOptions) => GatewayStatusDocument>();
    expectTypeOf<GatewayDocumentOptions>().toEqualTypeOf<{ readonly now: Date; readonly addresses?: readonly GatewayStatusAddress[] | undefined }>();
    expectTypeOf(httpRouteStatusDocument).toEqualTypeOf<(status: HTTPRouteStatus | undefined, observed: ObservedObject, options: HTTPRouteDocumentOptions) => HTTPRouteDocument>();
    expectTypeOf<HTTPRouteDocumentOptions>().toEqualTypeOf<{ readonly controllerName: string; readonly now: Date }>();
    expectTypeOf<HTTPRouteDocument>().toEqualTypeOf<{ readonly status: HTTPRouteStatusDocument; readonly omittedParents: readonly ParentReference[] }>();

    expectTypeOf<StatusCondition>().toEqualTypeOf<{
      readonly type: string;
      readonly status: 'True' | 'False' | 'Unknown';
      readonly observedGeneration?: number;
      readonly lastTransitionTime: string;
      readonly reason: string;
      readonly message: string;
    }>();
    expectTypeOf<GatewayStatusAddress>().toEqualTypeOf<{ readonly type: 'IPAddress' | 'Hostname'; readonly value: string }>();
    expectTypeOf<SupportedKind>().toEqualTypeOf<{ readonly group: string; readonly kind: string }>();
    expectTypeOf<GatewayClassStatusDocument['conditions']>().toEqualTypeOf<readonly StatusCondition[]>();
    expectTypeOf<GatewayStatusDocument['listeners']>().toEqualTypeOf<readonly ListenerStatusDocument[]>();
    expectTypeOf<GatewayStatusDocument['addresses']>().toEqualTypeOf<readonly GatewayStatusAddress[] | undefined>();
    expectTypeOf<ListenerStatusDocument>().toEqualTypeOf<{
      readonly name: string;
      readonly supportedKinds: readonly SupportedKind[];
      readonly attachedRoutes: number;
      readonly conditions: readonly StatusCondition[];
    }>();
    expectTypeOf<RouteParentStatusDocument>().toEqualTypeOf<{ readonly parentRef: ParentReference; readonly controllerName: string; readonly conditions: readonly StatusCondition[] }>();
    expectTypeOf<HTTPRouteStatusDocument['parents']>().toEqualTypeOf<readonly (RouteParentStatusDocument | Readonly<Record<string, unknown>>)[]>();
    expectTypeOf<ObservedObject>().toEqualTypeOf<{
      readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly generation?: number; readonly resourceVersion?: string };
      readonly spec?: unknown;
      readonly status?: unknown;
    }>();
    // A Reflector's objects go in as they are.
    expectTypeOf<KubernetesObject>().toMatchTypeOf<ObservedObject>();
  });
});
