// The public types of @switchyard/kubernetes. Type-checked by `tsc -b` (see vitest.config.ts);
// a change here is a change of the public API.
import type { KubeConfig } from '@kubernetes/client-node';
import type { CompileResult, Discovery, ExternalNameResolver, Ingress, IngressClass, KubernetesObject, Secret, SwitchyardError } from '@switchyard/core';
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
  type ReflectorChange,
  type ReflectorOptions,
  type ReflectorStatus,
} from '@switchyard/kubernetes';
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
    expectTypeOf<IngressSource['ingresses']>().toEqualTypeOf<() => Ingress[]>();
    expectTypeOf<IngressSource['ingressClasses']>().toEqualTypeOf<() => IngressClass[]>();
    expectTypeOf<IngressSource['status']>().toEqualTypeOf<() => Record<string, ReflectorStatus>>();
    expectTypeOf<IngressSource['close']>().toEqualTypeOf<() => Promise<void>>();
  });

  test('KubernetesDiscovery', () => {
    expectTypeOf(KubernetesDiscovery).constructorParameters.toEqualTypeOf<[options: KubernetesDiscoveryOptions]>();
    expectTypeOf<KubernetesDiscoveryOptions>().toMatchTypeOf<KubeSourceOptions>();
    expectTypeOf<KubernetesDiscoveryOptions>().toHaveProperty('externalNames').toEqualTypeOf<ExternalNameResolver | undefined>();
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
});
