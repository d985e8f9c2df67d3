// YAML files read with positions kept, so any later complaint about a value (a schema
// error, an unknown module, an undefined variable) can point at its line and column.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError, type SourceLocation } from './errors.ts';

export type YamlPath = readonly (string | number)[];

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Parses `text` (read from `file` when not given); syntax errors become InputErrors. */
  static load(file: string, text?: string): YamlSource {
    let source: string;
    try {
      source = text ?? readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = lineCounter.linePos(first.pos[0]);
      const sentence = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
      throw new InputError(`YAML syntax error: ${sentence}`, { file, line: pos.line, col: pos.col });
    }
    return new YamlSource(file, doc, lineCounter);
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** Where the value at `path` starts; for a key that does not exist, its nearest parent. */
  locate(path: YamlPath, preferKey = false): SourceLocation {
    let node: unknown = this.doc.contents;
    let found: Node | null = (this.doc.contents as Node | null) ?? null;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyOf(p.key) === String(segment));
        if (!pair) break;
        const last = segment === path[path.length - 1];
        found = (last && preferKey ? pair.key : (pair.value ?? pair.key)) as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        found = item;
        node = item;
      } else break;
    }
    const offset = found?.range?.[0] ?? 0;
    const pos = this.lineCounter.linePos(offset);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  error(message: string, path: YamlPath, preferKey = false): InputError {
    return new InputError(message, this.locate(path, preferKey));
  }
}

function keyOf(key: unknown): string {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return String(key);
}
