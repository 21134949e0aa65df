/** The URLs `switchyard serve` prints once it listens. */
export interface ServingUrls {
  readonly http: string;
  readonly admin?: string;
}

const URL_LINE = /^switchyard: (http|https|admin|gateway \d+ \w+) (\S+)$/;

/**
 * Reads what `switchyard serve` writes on stdout and calls `onServing` once, when the URLs are
 * known: `serve` prints one line per URL (`switchyard: http URL`, then https, gateways and
 * admin), then one line saying what it serves, so the first other line after the http one
 * ends the list. Text may come in pieces; only whole lines count.
 */
export function readServingLines(onServing: (urls: ServingUrls) => void): { write(text: string): void } {
  let pending = '';
  let http: string | undefined;
  let admin: string | undefined;
  let done = false;
  return {
    write(text) {
      if (done) return;
      pending += text;
      let end: number;
      while (!done && (end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        const url = URL_LINE.exec(line);
        if (url?.[1] === 'http') http = url[2];
        else if (url?.[1] === 'admin') admin = url[2];
        else if (url === null && http !== undefined && line.startsWith('switchyard: ')) {
          done = true;
          onServing({ http, ...(admin === undefined ? {} : { admin }) });
        }
      }
    },
  };
}
