// The public types of @switchyard/cli. Type-checked by `tsc -b` (see vitest.config.ts); a
// change here is a change of the public API.
import type { BalancerPolicy, Diagnostic, Endpoint, EndpointSet, Explanation, GatewayApiStatus, GatewayExplanation, Router, SwitchyardError } from '@switchyard/core';
import type { Gateway } from '@switchyard/fastify';
import {
  CLI_ERROR_CODES,
  CliError,
  check,
  collectYoungGeneration,
  explain,
  explainGateway,
  isCliError,
  main,
  parseListenAddress,
  serve,
  type AccessLogTarget,
  type AnyDiagnostic,
  type BalancingFlags,
  type CheckOptions,
  type CheckResult,
  type CliErrorCode,
  type CliIo,
  type ExplainOptions,
  type ExplainResult,
  type ExplainedEndpoints,
  type GatewayAddressSource,
  type GatewayBind,
  type GatewayExplainOptions,
  type GatewayExplainResult,
  type KubernetesServeOptions,
  type LeaseServeOptions,
  type ListenAddress,
  type LogLevel,
  type ReloadResult,
  type RunningServer,
  type ServeOptions,
} from '@switchyard/cli';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/cli', () => {
  test('main', () => {
    expectTypeOf(main).toEqualTypeOf<(argv: readonly string[], io?: CliIo) => Promise<number>>();
    expectTypeOf<CliIo>().toEqualTypeOf<{
      readonly stdout: { write(text: string): unknown };
      readonly stderr: { write(text: string): unknown };
    }>();
  });

  test('check', () => {
    expectTypeOf(check).toEqualTypeOf<(options: CheckOptions) => Promise<CheckResult>>();
    expectTypeOf<CheckOptions>().toEqualTypeOf<{
      readonly files: readonly string[];
      readonly ingressClass?: string;
      readonly gatewayClass?: string;
      readonly gateways?: readonly string[];
      readonly allowExternalNames?: readonly string[];
      readonly strict?: boolean;
    }>();
    expectTypeOf<CheckResult>().toEqualTypeOf<{
      readonly diagnostics: readonly AnyDiagnostic[];
      readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
      readonly ok: boolean;
      readonly status: GatewayApiStatus | undefined;
    }>();
    expectTypeOf<AnyDiagnostic>().toEqualTypeOf<Omit<Diagnostic, 'code'> & { readonly code: string }>();
  });

  test('explain', () => {
    expectTypeOf(explain).toEqualTypeOf<(options: ExplainOptions) => Promise<ExplainResult>>();
    expectTypeOf<ExplainOptions>().toEqualTypeOf<{
      readonly files: readonly string[];
      readonly host: string;
      readonly path: string;
      readonly ingressClass?: string;
      readonly gatewayClass?: string;
      readonly gateways?: readonly string[];
      readonly allowExternalNames?: readonly string[];
    }>();
    expectTypeOf<ExplainResult>().toEqualTypeOf<{
      readonly explanation: Explanation;
      readonly endpoints: ExplainedEndpoints | undefined;
      readonly diagnostics: readonly AnyDiagnostic[];
    }>();
    expectTypeOf(explainGateway).toEqualTypeOf<(options: GatewayExplainOptions) => Promise<GatewayExplainResult>>();
    expectTypeOf<GatewayExplainOptions>().toMatchTypeOf<ExplainOptions>();
    expectTypeOf<Omit<GatewayExplainOptions, keyof ExplainOptions>>().toEqualTypeOf<{
      readonly port: number;
      readonly method?: string;
      readonly headers?: Readonly<Record<string, string | readonly string[]>>;
    }>();
    expectTypeOf<GatewayExplainOptions['gatewayClass']>().toEqualTypeOf<string>();
    expectTypeOf<GatewayExplainResult>().toEqualTypeOf<{
      readonly explanation: GatewayExplanation;
      readonly endpoints: readonly ExplainedEndpoints[];
      readonly diagnostics: readonly AnyDiagnostic[];
    }>();
    expectTypeOf<ExplainedEndpoints>().toEqualTypeOf<{ readonly backendKey: string; readonly set: EndpointSet; readonly eligible: readonly Endpoint[] }>();
  });

  test('serve', () => {
    // Its second parameter (metrics shared by a cluster's workers) is internal.
    expectTypeOf(serve).parameter(0).toEqualTypeOf<ServeOptions>();
    expectTypeOf(serve).returns.toEqualTypeOf<Promise<RunningServer>>();
    expectTypeOf<ServeOptions>().toEqualTypeOf<{
      readonly files?: readonly string[];
      readonly kubernetes?: KubernetesServeOptions | true;
      readonly ingressClass?: string;
      readonly gatewayClass?: string;
      readonly controllerName?: string;
      readonly gateways?: readonly string[];
      readonly gatewayBinds?: readonly GatewayBind[];
      readonly listen?: ListenAddress;
      readonly https?: {
        readonly listen: ListenAddress;
        readonly defaultCertificate?: { readonly certFile: string; readonly keyFile: string };
        readonly publicPort?: number;
      };
      readonly redirectToHttps?: false | 301 | 302 | 307 | 308;
      readonly balancing?: BalancingFlags;
      readonly admin?: ListenAddress | false;
      readonly dnsServers?: readonly string[];
      readonly allowExternalNames?: readonly string[];
      readonly watch?: boolean;
      readonly accessLog?: AccessLogTarget;
      readonly logLevel?: LogLevel;
      readonly logger?: boolean | object;
      readonly requestBodyTimeoutMs?: number;
      readonly drainTimeoutMs?: number;
      readonly h2c?: boolean;
      readonly report?: (line: string) => void;
    }>();
    expectTypeOf<AccessLogTarget>().toEqualTypeOf<'stdout' | 'stderr' | 'off' | { readonly file: string }>();
    expectTypeOf<LogLevel>().toEqualTypeOf<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'>();
    expectTypeOf<GatewayBind>().toEqualTypeOf<{ readonly port: number; readonly listen: ListenAddress }>();
    expectTypeOf<KubernetesServeOptions>().toEqualTypeOf<{
      readonly kubeconfig?: string;
      readonly namespaces?: readonly string[];
      readonly lease?: LeaseServeOptions;
      readonly gatewayAddresses?: GatewayAddressSource;
    }>();
    expectTypeOf<LeaseServeOptions>().toEqualTypeOf<{
      readonly namespace: string;
      readonly name: string;
      readonly identity?: string;
      readonly leaseDurationSeconds?: number;
      readonly renewDeadlineMs?: number;
      readonly retryPeriodMs?: number;
    }>();
    expectTypeOf<GatewayAddressSource>().toEqualTypeOf<{ readonly addresses: readonly string[] } | { readonly service: string }>();
    expectTypeOf<BalancingFlags>().toEqualTypeOf<{ readonly default?: BalancerPolicy; readonly backends?: Readonly<Record<string, BalancerPolicy>> }>();
    expectTypeOf<RunningServer>().toEqualTypeOf<{
      readonly gateway: Gateway;
      readonly urls: Gateway['urls'];
      readonly router: Router;
      reload(): Promise<ReloadResult>;
      ready(): Promise<void>;
      describe(): string;
      close(): Promise<void>;
    }>();
    expectTypeOf<ReloadResult>().toEqualTypeOf<{ readonly applied: boolean; readonly tableVersion: number; readonly diagnostics: readonly AnyDiagnostic[] }>();
  });

  test('collectYoungGeneration', () => {
    expectTypeOf(collectYoungGeneration).toEqualTypeOf<() => void>();
  });

  test('parseListenAddress', () => {
    expectTypeOf(parseListenAddress).toEqualTypeOf<(value: string, field: string) => ListenAddress>();
    expectTypeOf<ListenAddress>().toEqualTypeOf<{ readonly host: string; readonly port: number }>();
  });

  test('errors', () => {
    expectTypeOf<CliErrorCode>().toEqualTypeOf<keyof typeof CLI_ERROR_CODES>();
    expectTypeOf<CliErrorCode>().toEqualTypeOf<
      | 'SWY_CLI_UNKNOWN_COMMAND'
      | 'SWY_CLI_USAGE'
      | 'SWY_CLI_MISSING_OPTION'
      | 'SWY_CLI_BAD_ADDRESS'
      | 'SWY_CLI_BAD_VALUE'
      | 'SWY_CLI_FILE_UNREADABLE'
      | 'SWY_CLI_FILE_UNWRITABLE'
      | 'SWY_CLI_MANIFESTS_INVALID'
      | 'SWY_CLI_KUBECONFIG_INVALID'
      | 'SWY_CLI_GATEWAY_API_NOT_SERVED'
      | 'SWY_CLI_GATEWAY_PORTS_CHANGED'
      | 'SWY_CLI_LISTEN_FAILED'
      | 'SWY_CLI_WORKER_FAILED'
    >();
    expectTypeOf<CliError>().toMatchTypeOf<SwitchyardError<CliErrorCode>>();
    expectTypeOf<CliError['code']>().toEqualTypeOf<CliErrorCode>();
    expectTypeOf<CliError['exitCode']>().toEqualTypeOf<number>();
    expectTypeOf(CliError).constructorParameters.toEqualTypeOf<[code: CliErrorCode, message: string, options?: { field?: string; cause?: unknown }]>();
    expectTypeOf(isCliError).guards.toEqualTypeOf<CliError>();
    expectTypeOf(isCliError).parameters.toEqualTypeOf<[value: unknown, code?: CliErrorCode]>();
  });
});
