import { readFileSync } from 'node:fs';
import { parseCommandLine } from '../src/command-line.js';
import { describe, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';

describe('a command line the CLI cannot run: one line on stderr, exit 2, no stack', () => {
  const cases: Array<[string, string[], string]> = [
    ['no command', [], 'SWY_CLI_UNKNOWN_COMMAND'],
    ['an unknown command', ['deploy'], 'SWY_CLI_UNKNOWN_COMMAND'],
    ['an unknown flag', ['check', '-f', 'x.yaml', '--colour'], 'SWY_CLI_USAGE'],
    ['a flag without its value', ['check', '-f'], 'SWY_CLI_USAGE'],
    ['a stray argument', ['check', '-f', 'x.yaml', 'y.yaml'], 'SWY_CLI_USAGE'],
    ['check without -f', ['check'], 'SWY_CLI_MISSING_OPTION'],
    ['explain without --path', ['explain', '-f', 'x.yaml', '--host', 'a'], 'SWY_CLI_MISSING_OPTION'],
    ['a missing file', ['check', '-f', '/nonexistent/switchyard.yaml'], 'SWY_CLI_FILE_UNREADABLE'],
    ['serve a missing file', ['serve', '-f', '/nonexistent/switchyard.yaml', '--no-admin'], 'SWY_CLI_FILE_UNREADABLE'],
    ['--listen nope', ['serve', '-f', 'x.yaml', '--listen', 'nope'], 'SWY_CLI_BAD_ADDRESS'],
    ['--admin port out of range', ['serve', '-f', 'x.yaml', '--admin', '127.0.0.1:70000'], 'SWY_CLI_BAD_ADDRESS'],
    ['--dns-servers of a name', ['serve', '-f', 'x.yaml', '--dns-servers', 'dns.example.com'], 'SWY_CLI_BAD_ADDRESS'],
    ['--workers 0', ['serve', '-f', 'x.yaml', '--workers', '0'], 'SWY_CLI_BAD_VALUE'],
    ['--workers two', ['serve', '-f', 'x.yaml', '--workers', 'two'], 'SWY_CLI_BAD_VALUE'],
    ['--tls-cert without --tls-key', ['serve', '-f', 'x.yaml', '--tls-listen', '127.0.0.1:0', '--tls-cert', 'c.pem'], 'SWY_CLI_USAGE'],
    ['-f with --kubernetes', ['serve', '-f', 'x.yaml', '--kubernetes'], 'SWY_CLI_USAGE'],
    ['a missing kubeconfig', ['serve', '--kubernetes', '--kubeconfig', '/nonexistent/kubeconfig', '--no-admin'], 'SWY_CLI_FILE_UNREADABLE'],
  ];

  test.concurrent.each(cases)('%s', async (_name, args, code) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^switchyard: \\S.* \\[${code}\\]\\n$`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('help', () => {
  test.concurrent.each([[['--help']], [['help']], [['serve', '--help']], [['help', 'check']], [['explain', '-h']]])('%j prints usage and exits 0', async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: switchyard /);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `switchyard ${version}\n`, stderr: '' });
  });

  test('each command has its own flags in its help', async () => {
    const serve = await runCli(['serve', '--help']);
    for (const flag of ['--listen', '--tls-listen', '--tls-cert', '--tls-key', '--public-https-port', '--https-redirect', '--balancer', '--admin', '--no-admin', '--ingress-class', '--dns-servers', '--allow-external-name', '--request-body-timeout', '--workers', '--kubernetes', '--kubeconfig', '--namespace',
      '--gateway-class', '--gateway', '--bind', '--controller-name', '--lease', '--lease-identity', '--lease-duration', '--lease-renew-deadline', '--lease-retry-period', '--gateway-address', '--publish-service']) {
      expect(serve.stdout).toContain(flag);
    }
  });
});

describe('parseCommandLine', () => {
  test('serve flags become serve() options', () => {
    expect(
      parseCommandLine([
        'serve', '-f', 'a.yaml', '-f', 'dir', '--listen', '0.0.0.0:80', '--tls-listen', '[::1]:8443', '--tls-cert', 'c.pem', '--tls-key', 'k.pem',
        '--admin', 'localhost:0', '--ingress-class', 'switchyard', '--dns-servers', '10.0.0.10,127.0.0.1:5353', '--workers', '4',
      ]),
    ).toEqual({
      command: 'serve',
      workers: 4,
      options: {
        files: ['a.yaml', 'dir'],
        ingressClass: 'switchyard',
        listen: { host: '0.0.0.0', port: 80 },
        https: { listen: { host: '::1', port: 8443 }, defaultCertificate: { certFile: 'c.pem', keyFile: 'k.pem' } },
        admin: { host: 'localhost', port: 0 },
        dnsServers: ['10.0.0.10', '127.0.0.1:5353'],
      },
    });
  });

  test('--public-https-port names the port the HTTP->HTTPS redirect sends clients to', () => {
    const parsed = parseCommandLine(['serve', '-f', 'a', '--tls-listen', '0.0.0.0:8443', '--public-https-port', '443']);
    expect(parsed).toMatchObject({ options: { https: { listen: { host: '0.0.0.0', port: 8443 }, publicPort: 443 } } });
  });

  test('--allow-external-name, repeatable, on serve, check and explain', () => {
    expect(parseCommandLine(['serve', '-f', 'a', '--allow-external-name', 'api.example.com', '--allow-external-name', '*.example.net'])).toMatchObject({
      options: { allowExternalNames: ['api.example.com', '*.example.net'] },
    });
    expect(parseCommandLine(['check', '-f', 'a', '--allow-external-name', '*'])).toMatchObject({ options: { allowExternalNames: ['*'] } });
    expect(parseCommandLine(['explain', '-f', 'a', '--host', 'h', '--path', '/', '--allow-external-name', 'x.example'])).toMatchObject({ options: { allowExternalNames: ['x.example'] } });
    expect(parseCommandLine(['serve', '-f', 'a'])).not.toHaveProperty('options.allowExternalNames');
    for (const bad of ['a.*.com', '*example.com', 'http://x']) {
      expect(() => parseCommandLine(['serve', '-f', 'a', '--allow-external-name', bad])).toThrow(expect.objectContaining({ code: 'SWY_CLI_BAD_VALUE', field: '--allow-external-name' }));
    }
  });

  test('--request-body-timeout takes seconds, decimals allowed', () => {
    expect(parseCommandLine(['serve', '-f', 'a', '--request-body-timeout', '2.5'])).toMatchObject({ options: { requestBodyTimeoutMs: 2500 } });
    expect(parseCommandLine(['serve', '-f', 'a', '--request-body-timeout', '30'])).toMatchObject({ options: { requestBodyTimeoutMs: 30_000 } });
  });

  test('--balancer sets the default policy and per-backend ones; --https-redirect the redirect status', () => {
    const parsed = parseCommandLine([
      'serve', '-f', 'a', '--balancer', 'least-request', '--balancer', 'shop/api:80=hash:header:X-User', '--balancer', 'shop/web:http=hash:cookie:sid',
      '--balancer', 'shop/ws:80=hash:client-address', '--https-redirect', 'off',
    ]);
    expect(parsed).toMatchObject({
      options: {
        redirectToHttps: false,
        balancing: {
          default: { kind: 'least-request' },
          backends: {
            'shop/api:80': { kind: 'consistent-hash', on: { header: 'x-user' } },
            'shop/web:http': { kind: 'consistent-hash', on: { cookie: 'sid' } },
            'shop/ws:80': { kind: 'consistent-hash', on: { clientAddress: true } },
          },
        },
      },
    });
    expect(parseCommandLine(['serve', '-f', 'a', '--https-redirect', '301'])).toMatchObject({ options: { redirectToHttps: 301 } });
  });

  test('--kubernetes with its flags, --no-admin', () => {
    expect(parseCommandLine(['serve', '--kubernetes', '--kubeconfig', 'kc', '--namespace', 'a', '--namespace', 'b', '--no-admin'])).toEqual({
      command: 'serve',
      workers: 1,
      options: { kubernetes: { kubeconfig: 'kc', namespaces: ['a', 'b'] }, admin: false },
    });
  });

  test.each([
    [['serve', '-f', 'a', '--listen', '127.0.0.1'], '--listen'],
    [['serve', '-f', 'a', '--listen', ':80a'], '--listen'],
    [['serve', '-f', 'a', '--listen', '[::1:8080'], '--listen'],
    [['serve', '-f', 'a', '--tls-listen', 'bad host:1'], '--tls-listen'],
    [['serve', '-f', 'a', '--dns-servers', '10.0.0.1:0'], '--dns-servers'],
  ])('%j: a bad address names the flag', (args, field) => {
    expect(() => parseCommandLine(args)).toThrow(expect.objectContaining({ code: 'SWY_CLI_BAD_ADDRESS', field }));
  });

  test.each([
    [['serve', '-f', 'a', '--admin', '127.0.0.1:1', '--no-admin'], 'SWY_CLI_USAGE', '--no-admin'],
    [['serve', '-f', 'a', '--kubeconfig', 'kc'], 'SWY_CLI_USAGE', '--kubeconfig'],
    [['serve', '-f', 'a', '--tls-cert', 'c', '--tls-key', 'k'], 'SWY_CLI_USAGE', '--tls-listen'],
    [['serve', '-f', 'a', '--public-https-port', '443'], 'SWY_CLI_USAGE', '--tls-listen'],
    [['serve', '-f', 'a', '--tls-listen', '127.0.0.1:0', '--public-https-port', '0'], 'SWY_CLI_BAD_VALUE', '--public-https-port'],
    [['serve', '-f', 'a', '--tls-listen', '127.0.0.1:0', '--public-https-port', '44x'], 'SWY_CLI_BAD_VALUE', '--public-https-port'],
    [['serve', '-f', 'a', '--ingress-class', ''], 'SWY_CLI_BAD_VALUE', '--ingress-class'],
    [['serve', '-f', 'a', '--balancer', 'random'], 'SWY_CLI_BAD_VALUE', '--balancer'],
    [['serve', '-f', 'a', '--balancer', 'hash:header:'], 'SWY_CLI_BAD_VALUE', '--balancer'],
    [['serve', '-f', 'a', '--balancer', 'svc=round-robin'], 'SWY_CLI_BAD_VALUE', '--balancer'],
    [['serve', '-f', 'a', '--balancer', 'round-robin', '--balancer', 'least-request'], 'SWY_CLI_BAD_VALUE', '--balancer'],
    [['serve', '-f', 'a', '--https-redirect', '200'], 'SWY_CLI_BAD_VALUE', '--https-redirect'],
    [['serve', '-f', 'a', '--workers', '257'], 'SWY_CLI_BAD_VALUE', '--workers'],
    [['serve', '-f', 'a', '--request-body-timeout', '0'], 'SWY_CLI_BAD_VALUE', '--request-body-timeout'],
    [['serve', '-f', 'a', '--request-body-timeout', '10s'], 'SWY_CLI_BAD_VALUE', '--request-body-timeout'],
    [['serve', '-f', 'a', '--request-body-timeout', '3601'], 'SWY_CLI_BAD_VALUE', '--request-body-timeout'],
    [['serve'], 'SWY_CLI_MISSING_OPTION', '-f'],
    [['explain', '-f', 'a', '--path', '/'], 'SWY_CLI_MISSING_OPTION', '--host'],
  ])('%j: %s naming %s', (args, code, field) => {
    expect(() => parseCommandLine(args)).toThrow(expect.objectContaining({ code, field }));
  });
});
