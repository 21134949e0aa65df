/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  /** Upper-case: `FROM`, `COPY`, `RUN`. */
  readonly keyword: string;
  /** Everything after the keyword, trimmed. */
  readonly value: string;
  /** 0-based stage index (the FROM it follows). */
  readonly stage: number;
}

/** Reads a Dockerfile's instructions: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.search(/\s/);
    const keyword = (space < 0 ? whole : whole.slice(0, space)).toUpperCase();
    if (keyword === 'FROM') stage++;
    instructions.push({ keyword, value: space < 0 ? '' : whole.slice(space + 1).trim(), stage });
  }
  return instructions;
}

/** A COPY's flags, sources and destination (shell form only; JSON form is not used here). */
export interface CopyInstruction {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
}

export function parseCopy(value: string): CopyInstruction {
  const words = value.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  if (paths.length < 2) throw new Error(`COPY ${value}: needs a source and a destination`);
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1]! };
}

/**
 * A `.dockerignore` matcher for the patterns this example uses: `*`, `?`, `**`, and `!`
 * exceptions, the last matching pattern winning. A pattern that matches a directory
 * excludes everything under it.
 */
export function dockerignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { negated, regex: new RegExp(`^${globToRegex(pattern)}(/.*)?$`) };
    });
  return (path) => {
    const clean = path.replace(/^\.\/+|\/+$/g, '');
    let excluded = false;
    for (const rule of rules) if (rule.regex.test(clean)) excluded = !rule.negated;
    return excluded;
  };
}

function globToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` is any number of directories, including none; a trailing `**` anything.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** The exec-form (JSON array) value of an ENTRYPOINT or CMD. */
export function execForm(value: string): string[] {
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`not an exec-form array: ${value}`);
  return parsed;
}
