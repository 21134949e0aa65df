import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { isRecord } from '../ingress/validate-ingress.js';
import { fieldLinesOfNode, fieldLinesOfValue, type FieldLineList } from './field-lines.js';
import { readBlockYaml } from './read-block-yaml.js';
import { readYamlFast, type ContainerLines, type FastYaml } from './read-yaml-fast.js';
import { yamlSyntaxProblem } from './yaml-syntax-problem.js';

/** One YAML document of a text, as either reader gives it. */
export interface ReadDocument {
  /** 1-based. */
  readonly number: number;
  /** The line its content starts on. */
  readonly line: number | undefined;
  /** Why it does not parse; then there is no value. */
  readonly problem?: { readonly text: string; readonly line: number | undefined };
  readonly value?: unknown;
  readonly fields?: FieldLines;
}

/** The lines of a value's fields, made only when asked: only the objects diagnostics can be about need them. */
export interface FieldLines {
  lines(): FieldLineList;
  /** The same for item `index` of the value's `items` (a `kind: List`). */
  item(index: number): FieldLines | undefined;
}

/**
 * The documents of a text: read line by line when it is block-style manifest YAML, else with
 * js-yaml's event parser when it is plain manifest YAML (a fifth of the CPU of the next, and the
 * line reader a fifth of that); else with `yaml`, which reports each document's errors with their
 * lines and lets the other documents load.
 */
export function readDocuments(text: string): ReadDocument[] {
  return readDocumentsFast(text) ?? readDocumentsWithYaml(text);
}

/**
 * The documents as the block reader reads them, or else js-yaml's event parser; undefined when the
 * text is for neither (see `readBlockYaml`, `readYamlFast`). `reader` picks one, for the tests.
 */
export function readDocumentsFast(text: string, reader: (text: string) => FastYaml | undefined = readFastest): ReadDocument[] | undefined {
  const fast = reader(text);
  return fast?.documents.map((document, index) => ({ number: index + 1, line: document.line, value: document.value, fields: valueFieldLines(document.value, fast.lines) }));
}

function readFastest(text: string): FastYaml | undefined {
  return readBlockYaml(text) ?? readYamlFast(text);
}

/** The documents as `yaml` reads them: any text, each document's syntax errors its own. */
export function readDocumentsWithYaml(text: string): ReadDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  return list.map((document, index) => {
    const start = document.contents?.range[0] ?? document.range?.[0];
    const line = start === undefined ? undefined : lineCounter.linePos(start).line;
    if (document.errors.length > 0) {
      // One diagnostic per document: the first error is the one to fix, the rest often follow from it.
      return { number: index + 1, line, problem: yamlSyntaxProblem(document.errors, line) };
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    return { number: index + 1, line, value, fields: nodeFieldLines(value, document.contents, lineCounter) };
  });
}

function valueFieldLines(value: unknown, containers: ContainerLines): FieldLines {
  return {
    lines: () => fieldLinesOfValue(value, containers),
    item: (index) => {
      const items = isRecord(value) ? value.items : undefined;
      return Array.isArray(items) ? valueFieldLines(items[index], containers) : undefined;
    },
  };
}

function nodeFieldLines(value: unknown, node: unknown, lineCounter: LineCounter): FieldLines {
  return {
    lines: () => fieldLinesOfNode(value, node, lineCounter),
    item: (index) => {
      const items = isRecord(value) ? value.items : undefined;
      const nodes = isMap(node) ? node.get('items', true) : undefined;
      return Array.isArray(items) ? nodeFieldLines(items[index], isSeq(nodes) ? nodes.items[index] : undefined, lineCounter) : undefined;
    },
  };
}
