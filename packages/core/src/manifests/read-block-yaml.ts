import { hasLoneCarriageReturn, LONG_KEY_CHARACTERS, type FastYaml, type FastYamlDocument } from './read-yaml-fast.js';
import { keyName, resolvePlainScalar } from './yaml-core-tags.js';

/**
 * The documents of a manifest text in the block style kubectl, Helm and people write it, read
 * line by line: a fifth of the CPU of js-yaml's event parser and what `readYamlFast` does with
 * its events (0.5 against 2.3 ms for an Ingress of 100 paths, 20 KB), which matters because a
 * changed file is parsed on the proxy's own cores while it serves.
 *
 * It reads block mappings and sequences (sequences indented or not), one-line plain, single- and
 * double-quoted scalars and keys, `{}` and `[]`, comments, blank lines, CRLF line breaks and
 * `---` between documents. Undefined for anything else (a character outside printable ASCII, a
 * tab, a flow collection with content, a block or multi-line scalar, an anchor, alias, tag or
 * directive, a complex key, a duplicate key, an empty document or item, an escape it does not
 * know, or anything not well formed): the caller then reads the text with js-yaml's event parser or
 * `yaml`. Values and lines are what those give (`ContainerLines` as `readYamlFast` records them,
 * but for `{}` and `[]`, which have no fields to look up): the manifests tests compare all three
 * readers.
 */
export function readBlockYaml(text: string): FastYaml | undefined {
  if (NOT_BLOCK_TEXT.test(text) || hasLoneCarriageReturn(text)) return undefined;
  return new BlockReader(text.split(text.includes('\r') ? '\r\n' : '\n')).documents();
}

/** What sends a text elsewhere at once: anything but printable ASCII and line breaks (tabs included). */
const NOT_BLOCK_TEXT = /[^\x20-\x7e\n\r]/;

/** Thrown inside the reader for a text it does not read; `readBlockYaml` answers undefined. */
class NotBlockYaml extends Error {}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;

/** Characters a plain scalar or key may not start with (`-` may, before anything but a space). */
const INDICATORS = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

class BlockReader {
  /** Where each line's content starts; -1 for a blank or comment-only line. The line of an item's content after `- ` is moved to it. */
  private readonly starts: number[];
  readonly lines = new Map<object, ReadonlyMap<string, number> | readonly number[]>();
  /** The line being read (0-based). */
  private at = 0;

  constructor(private readonly text: readonly string[]) {
    this.starts = text.map((line) => {
      let start = 0;
      while (line.charCodeAt(start) === SPACE) start++;
      return start === line.length || line.charCodeAt(start) === HASH ? -1 : start;
    });
  }

  documents(): FastYaml | undefined {
    const documents: FastYamlDocument[] = [];
    try {
      this.skipBlank();
      if (this.isMarker(this.at)) this.nextContent();
      while (this.at < this.text.length) {
        const line = this.at + 1;
        const start = this.starts[this.at]!;
        const value = this.text[this.at]!.charCodeAt(start) === DASH && this.isItem(this.at, start) ? this.sequence(start) : this.mapping(start);
        documents.push({ value, line });
        if (this.at < this.text.length) {
          // Only a `---` line may follow a document, and content must follow it.
          if (!this.isMarker(this.at)) return undefined;
          this.nextContent();
          if (this.at >= this.text.length) return undefined;
        }
      }
    } catch (error) {
      if (error instanceof NotBlockYaml) return undefined;
      throw error;
    }
    return documents.length === 0 ? undefined : { documents, lines: this.lines };
  }

  /** A mapping whose keys start at column `indent`, from the line `at`. */
  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const lines = new Map<string, number>();
    while (this.at < this.text.length && this.starts[this.at] === indent && !this.isMarker(this.at)) {
      const text = this.text[this.at]!;
      if (this.isItem(this.at, indent)) break;
      const colon = keyEnd(text, indent);
      if (colon === -1 || colon - indent > LONG_KEY_CHARACTERS) throw new NotBlockYaml();
      const name = keyAt(text, indent, colon);
      if (Object.hasOwn(map, name)) throw new NotBlockYaml();
      const line = this.at + 1;
      const value = this.valueAfter(text, colon + 1, indent);
      if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, configurable: true, writable: true });
      else map[name] = value;
      lines.set(name, line);
    }
    if (lines.size === 0) throw new NotBlockYaml();
    this.lines.set(map, lines);
    return map;
  }

  /** The value of a key whose `:` ends at `from` on the current line, in a mapping at `indent`; moves past it. */
  private valueAfter(text: string, from: number, indent: number): unknown {
    let start = from;
    while (text.charCodeAt(start) === SPACE) start++;
    // A comment after the key is as if the line ended there (`:` was followed by a space).
    if (start < text.length && text.charCodeAt(start) !== HASH) {
      const value = scalarAt(text, start);
      this.endOfNode(indent);
      return value;
    }
    this.nextContent();
    if (this.at >= this.text.length || this.isMarker(this.at)) return null;
    const next = this.starts[this.at]!;
    if (next > indent) {
      if (this.isItem(this.at, next)) return this.sequence(next);
      if (keyEnd(this.text[this.at]!, next) !== -1) return this.mapping(next);
      // A one-line value on the line after its key.
      const value = scalarAt(this.text[this.at]!, next);
      this.endOfNode(indent);
      return value;
    }
    // A sequence may sit at its key's own indent.
    if (next === indent && this.isItem(this.at, next)) return this.sequence(next);
    return null;
  }

  /** A sequence whose `-` are at column `indent`, from the line `at`. */
  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    const lines: number[] = [];
    while (this.at < this.text.length && this.starts[this.at] === indent && this.isItem(this.at, indent)) {
      const text = this.text[this.at]!;
      let start = indent + 1;
      while (text.charCodeAt(start) === SPACE) start++;
      // An empty item, or a comment where its content would be.
      if (start >= text.length || text.charCodeAt(start) === HASH) throw new NotBlockYaml();
      lines.push(this.at + 1);
      if (text.charCodeAt(start) === DASH && this.isItem(this.at, start)) {
        // `- - item`: a sequence whose items start where this one does.
        this.starts[this.at] = start;
        items.push(this.sequence(start));
      } else if (keyEnd(text, start) !== -1) {
        // `- key: value`: a mapping whose keys start where this one does.
        this.starts[this.at] = start;
        items.push(this.mapping(start));
      } else {
        items.push(scalarAt(text, start));
        this.endOfNode(indent);
      }
    }
    this.lines.set(items, lines);
    return items;
  }

  /** After a one-line value of a node at `indent`: nothing may continue it on a line indented further. */
  private endOfNode(indent: number): void {
    this.nextContent();
    if (this.at < this.text.length && this.starts[this.at]! > indent) throw new NotBlockYaml();
  }

  /** Moves to the next line with content. */
  private nextContent(): void {
    this.at++;
    this.skipBlank();
  }

  private skipBlank(): void {
    while (this.at < this.text.length && this.starts[this.at] === -1) this.at++;
  }

  /** `- ` or a lone `-` at `column` of line `at`. */
  private isItem(at: number, column: number): boolean {
    const text = this.text[at]!;
    if (text.charCodeAt(column) !== DASH) return false;
    return column + 1 === text.length || text.charCodeAt(column + 1) === SPACE;
  }

  /** A document marker line: `---` alone (trailing spaces allowed); `...`, a directive or a marker with content are not read here. */
  private isMarker(at: number): boolean {
    const text = this.text[at]!;
    if (this.starts[at] !== 0) return false;
    if (text.startsWith('...') || text.charCodeAt(0) === 37 /* % */) throw new NotBlockYaml();
    if (!text.startsWith('---')) return false;
    if (text.length === 3 || text.slice(3).trim() === '') return true;
    if (text.charCodeAt(3) === SPACE) throw new NotBlockYaml();
    return false;
  }
}

/**
 * The index of the `:` that ends a plain key starting at `start`, or -1 when the line from there
 * is not a key: a `:` followed by a space or the line's end, before any comment. Quoted keys are
 * not read here.
 */
function keyEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
    // A quoted key when a `:` follows the closing quote, else a quoted scalar.
    let colon = closingQuote(text, start) + 1;
    while (text.charCodeAt(colon) === SPACE) colon++;
    return text.charCodeAt(colon) === COLON && (colon + 1 === text.length || text.charCodeAt(colon + 1) === SPACE) ? colon : -1;
  }
  const comment = text.indexOf(' #', start);
  const end = comment === -1 ? text.length : comment;
  for (let colon = text.indexOf(':', start); colon !== -1 && colon < end; colon = text.indexOf(':', colon + 1)) {
    if (colon + 1 === text.length || text.charCodeAt(colon + 1) === SPACE) return colon;
  }
  return -1;
}

/** The name of the key from `start` to its `:` at `colon`: a quoted key's text, or a plain key's value as a name. */
function keyAt(text: string, start: number, colon: number): string {
  const first = text.charCodeAt(start);
  if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) return quotedText(text, start, closingQuote(text, start));
  const source = text.slice(start, colon).trimEnd();
  if (source.length === 0 || !startsPlain(source)) throw new NotBlockYaml();
  return keyName(resolvePlainScalar(source));
}

/** Where the quoted scalar opening at `start` closes on its line; not read when it does not. */
function closingQuote(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  for (let at = start + 1; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (quote === DOUBLE_QUOTE && c === BACKSLASH) at++;
    else if (c === quote) {
      if (quote === SINGLE_QUOTE && text.charCodeAt(at + 1) === SINGLE_QUOTE) at++;
      else return at;
    }
  }
  throw new NotBlockYaml();
}

/** A plain scalar may start with this text (`-` only before something but a space). */
function startsPlain(source: string): boolean {
  const first = source.charCodeAt(0);
  if (first === DASH) return source.length > 1 && source.charCodeAt(1) !== SPACE;
  return !INDICATORS.has(first);
}

/** The one-line scalar (or `{}`, `[]`) that starts at `start` and fills the rest of the line, but for a comment. */
function scalarAt(text: string, start: number): unknown {
  const first = text.charCodeAt(start);
  if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
    const close = closingQuote(text, start);
    assertOnlyComment(text, close + 1);
    return quotedText(text, start, close);
  }
  if (first === 123 /* { */ || first === 91 /* [ */) {
    if (text.charCodeAt(start + 1) !== (first === 123 ? 125 : 93)) throw new NotBlockYaml();
    assertOnlyComment(text, start + 2);
    return first === 123 ? {} : [];
  }
  const comment = text.indexOf(' #', start);
  const source = (comment === -1 ? text.slice(start) : text.slice(start, comment)).trimEnd();
  // A `: ` or a final `:` would make it a key, which no value may be on its line.
  if (!startsPlain(source) || source.includes(': ') || source.endsWith(':')) throw new NotBlockYaml();
  return resolvePlainScalar(source);
}

/** The text of the quoted scalar from the quote at `start` to the one at `close`. */
function quotedText(text: string, start: number, close: number): string {
  const body = text.slice(start + 1, close);
  return text.charCodeAt(start) === DOUBLE_QUOTE ? unescapeDouble(body) : body.replaceAll("''", "'");
}

/** Nothing but spaces and a comment (after a space) from `from` to the line's end. */
function assertOnlyComment(text: string, from: number): void {
  let at = from;
  while (text.charCodeAt(at) === SPACE) at++;
  if (at === text.length) return;
  if (text.charCodeAt(at) !== HASH || at === from) throw new NotBlockYaml();
}

/** A double-quoted scalar's text, its escapes read; an escape not in `ESCAPES` (or `\uXXXX` outside surrogates) is not read here. */
function unescapeDouble(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let at = 0; at < body.length; at++) {
    const c = body[at]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++at];
    if (next === 'u') {
      const hex = body.slice(at + 1, at + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new NotBlockYaml();
      const code = parseInt(hex, 16);
      if (code >= 0xd800 && code <= 0xdfff) throw new NotBlockYaml();
      out += String.fromCharCode(code);
      at += 4;
      continue;
    }
    const escaped = next === undefined ? undefined : ESCAPES[next];
    if (escaped === undefined) throw new NotBlockYaml();
    out += escaped;
  }
  return out;
}
