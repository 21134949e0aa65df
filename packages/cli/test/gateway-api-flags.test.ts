import { describe, expect, test } from 'vitest';
import { thrown } from '@switchyard/test-utils';
import { parseCommandLine } from '../src/command-line.js';

/** The error a command line is refused with: code and field. */
function refused(argv: string[]): { code: string; field: string | undefined } {
  const error = thrown(() => parseCommandLine(argv)) as { code: string; field?: string };
  return { code: error.code, field: error.field };
}

describe('--gateway-class and --gateway', () => {
  test.each(['check', 'serve'])('%s takes them into its options', (command) => {
    const parsed = parseCommandLine([command, '-f', 'a.yaml', '--gateway-class', 'switchyard', '--gateway', 'infra/public', '--gateway', 'shop/web']) as { options: object };
    expect(parsed.options).toMatchObject({ gatewayClass: 'switchyard', gateways: ['infra/public', 'shop/web'] });
  });

  test('explain takes them too', () => {
    const parsed = parseCommandLine(['explain', '-f', 'a.yaml', '--host', 'a', '--path', '/', '--gateway-class', 'switchyard']);
    expect(parsed).toMatchObject({ command: 'explain', options: { gatewayClass: 'switchyard' } });
    expect((parsed as { options: object }).options).not.toHaveProperty('port');
  });

  test('without them, no Gateway API scope', () => {
    expect((parseCommandLine(['check', '-f', 'a.yaml']) as { options: object }).options).toEqual({ files: ['a.yaml'] });
  });

  test.each([
    [['check', '-f', 'a.yaml', '--gateway', 'infra/public'], 'SWY_CLI_USAGE', '--gateway'],
    [['check', '-f', 'a.yaml', '--gateway-class', 'x', '--gateway', 'public'], 'SWY_CLI_BAD_VALUE', '--gateway'],
    [['check', '-f', 'a.yaml', '--gateway-class', 'x', '--gateway', 'Infra/Public'], 'SWY_CLI_BAD_VALUE', '--gateway'],
    [['check', '-f', 'a.yaml', '--gateway-class', ' '], 'SWY_CLI_BAD_VALUE', '--gateway-class'],
  ])('%j is refused: %s naming %s', (argv, code, field) => {
    expect(refused(argv)).toEqual({ code, field });
  });

  test('serve --kubernetes takes them: they narrow the classes of our controller', () => {
    const parsed = parseCommandLine(['serve', '--kubernetes', '--gateway-class', 'x', '--gateway', 'infra/public']) as { options: object };
    expect(parsed.options).toMatchObject({ kubernetes: {}, gatewayClass: 'x', gateways: ['infra/public'] });
  });
});

describe('explain --port, --method, --header', () => {
  const base = ['explain', '-f', 'a.yaml', '--host', 'p.test', '--path', '/p?q=1', '--gateway-class', 'switchyard'];

  test('a request to a Gateway listener port: method upper-cased, headers by lowercase name, repeats kept in order', () => {
    const parsed = parseCommandLine([...base, '--port', '80', '--method', 'post', '--header', 'X-A=1', '--header', 'x-a=2', '--header', 'x-b=a=b', '--header', 'x-empty=']);
    expect(parsed).toMatchObject({
      command: 'explain',
      options: { host: 'p.test', path: '/p?q=1', port: 80, method: 'POST', headers: { 'x-a': ['1', '2'], 'x-b': 'a=b', 'x-empty': '' } },
    });
  });

  test.each([
    [['--port', '0'], 'SWY_CLI_BAD_VALUE', '--port'],
    [['--port', '80x'], 'SWY_CLI_BAD_VALUE', '--port'],
    [['--port', '80', '--header', 'novalue'], 'SWY_CLI_BAD_VALUE', '--header'],
    [['--port', '80', '--header', '=v'], 'SWY_CLI_BAD_VALUE', '--header'],
    [['--port', '80', '--header', 'bad name=v'], 'SWY_CLI_BAD_VALUE', '--header'],
    [['--port', '80', '--method', 'GE T'], 'SWY_CLI_BAD_VALUE', '--method'],
    [['--method', 'GET'], 'SWY_CLI_USAGE', '--method'],
    [['--header', 'a=b'], 'SWY_CLI_USAGE', '--header'],
  ])('%j is refused: %s naming %s', (extra, code, field) => {
    expect(refused([...base, ...extra])).toEqual({ code, field });
  });

  test('--port without --gateway-class is refused', () => {
    expect(refused(['explain', '-f', 'a.yaml', '--host', 'a', '--path', '/', '--port', '80'])).toEqual({ code: 'SWY_CLI_USAGE', field: '--port' });
  });
});

describe('serve --bind PORT=HOST:PORT', () => {
  const base = ['serve', '-f', 'a.yaml', '--gateway-class', 'switchyard'];

  test('each Gateway listener port gets its address', () => {
    const parsed = parseCommandLine([...base, '--bind', '80=127.0.0.1:0', '--bind', '443=[::1]:8443', '--bind', '8080=9090']);
    expect(parsed).toMatchObject({
      command: 'serve',
      options: {
        gatewayBinds: [
          { port: 80, listen: { host: '127.0.0.1', port: 0 } },
          { port: 443, listen: { host: '::1', port: 8443 } },
          { port: 8080, listen: { host: '0.0.0.0', port: 9090 } },
        ],
      },
    });
  });

  test.each([
    [['--bind', '80'], 'SWY_CLI_BAD_VALUE', '--bind'],
    [['--bind', '0=127.0.0.1:0'], 'SWY_CLI_BAD_VALUE', '--bind'],
    [['--bind', '80=nowhere:'], 'SWY_CLI_BAD_ADDRESS', '--bind'],
    [['--bind', '80=127.0.0.1:0', '--bind', '80=127.0.0.1:1'], 'SWY_CLI_USAGE', '--bind'],
  ])('%j is refused: %s naming %s', (extra, code, field) => {
    expect(refused([...base, ...extra])).toEqual({ code, field });
  });

  test('--bind without --gateway-class is refused', () => {
    expect(refused(['serve', '-f', 'a.yaml', '--bind', '80=127.0.0.1:0'])).toEqual({ code: 'SWY_CLI_USAGE', field: '--bind' });
  });
});
