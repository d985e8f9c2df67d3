// YAML files read with positions kept, so any later complaint about a value (a schema
// error, an unknown module, an undefined variable) can point at its line and column.
import { CST, isMap, isSeq, LineCounter, Parser, parseDocument, visit, type Document, type Node, type Tags } from 'yaml';
import { InputError, type SourceLocation } from './errors.ts';
import { readInputFile } from './input-file.ts';

/** Aliases may repeat a node; past this many nodes the document is refused (alias bombs). */
const MAX_ALIAS_COUNT = 1000;

export type YamlPath = readonly (string | number)[];

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Parses `text` (read from `file` when not given); syntax errors become InputErrors. */
  /** With `yaml11`, scalars are read by YAML 1.1 rules, as PyYAML (and so Ansible) reads them. */
  static load(file: string, text?: string, options: { yaml11?: boolean } = {}): YamlSource {
    const source = text === undefined ? readInputFile(file, 'file') : text.replace(/^\uFEFF/, '');
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, ...(options.yaml11 ? { version: '1.1' as const, customTags: pyyamlScalars } : {}) });
    const first = doc.errors[0];
    if (first) {
      // An unclosed quote is reported where it opens, not where the file ends.
      const offset = /Missing closing .?quote/.test(first.message) ? (unclosedQuoteAt(source) ?? first.pos[0]) : first.pos[0];
      const pos = lineCounter.linePos(offset);
      const sentence = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
      throw new InputError(`YAML syntax error: ${sentence}`, { file, line: pos.line, col: pos.col });
    }
    const result = new YamlSource(file, doc, lineCounter);
    result.refuseCircularAliases();
    return result;
  }

  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      let at = 0;
      visit(this.doc, { Alias: (_, node) => ((at = node.range?.[0] ?? 0), visit.BREAK) });
      throw new InputError('YAML aliases expand to too many values (an alias bomb?); write the values out instead', this.at(at));
    }
  }

  /** An alias inside the very node it names would make an endless value. */
  private refuseCircularAliases(): void {
    let circular: { name: string; offset: number } | undefined;
    visit(this.doc, {
      Alias: (_, alias, path) => {
        const target = alias.resolve(this.doc);
        if (target && path.includes(target as never)) {
          circular = { name: alias.source, offset: alias.range?.[0] ?? 0 };
          return visit.BREAK;
        }
      },
    });
    if (circular) throw new InputError(`alias *${circular.name} is inside the value it names (a value cannot contain itself)`, this.at(circular.offset));
  }

  /** An error at a character offset of the text (a token the reader flagged). */
  errorAtOffset(message: string, offset: number): InputError {
    return new InputError(message, this.at(offset));
  }

  private at(offset: number): SourceLocation {
    const pos = this.lineCounter.linePos(offset);
    return { file: this.file, line: pos.line, col: pos.col };
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

/** PyYAML (Ansible's reader) takes yes/no/on/off/true/false as booleans, but not y and n as YAML 1.1 (and the yaml package) do. */
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((t) =>
    typeof t === 'object' && t.tag === 'tag:yaml.org,2002:bool' && 'test' in t && t.test
      ? { ...t, test: t.test.source.includes('rue') ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/ }
      : t,
  );
}

// PyYAML's implicit resolvers for numbers and timestamps (its resolver.py): the yaml
// package's YAML 1.1 reads more plain scalars as numbers than PyYAML does (1e3, 08,
// 01:30, -.5 are text to PyYAML).
const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PY_TIMESTAMP = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** Scalars as PyYAML resolves them: its booleans, and text where it sees no number or timestamp. */
function pyyamlScalars(tags: Tags): Tags {
  const tester = (test: (s: string) => boolean) => ({ test }) as unknown as RegExp;
  const text = {
    tag: 'tag:yaml.org,2002:str',
    default: true,
    test: tester((s) => /^[-+.0-9]/.test(s) && !PY_INT.test(s) && !PY_FLOAT.test(s) && !PY_TIMESTAMP.test(s)),
    resolve: (s: string) => s,
  };
  const infinity = {
    tag: 'tag:yaml.org,2002:float',
    default: true,
    test: /^[-+]?\.(?:inf|Inf|INF)$/,
    resolve: (s: string) => (s.startsWith('-') ? -Infinity : Infinity),
  };
  // PyYAML resolves a plain `=` to the 1.1 value type, which Ansible's loader cannot construct.
  const value = {
    tag: 'tag:yaml.org,2002:value',
    default: true,
    test: /^=$/,
    resolve: (s: string, onError: (message: string) => void) => {
      onError("a plain = is YAML 1.1's value indicator, which Ansible cannot read; quote it ('=')");
      return s;
    },
  };
  return [text, infinity, value, ...pyyamlBooleans(tags)] as Tags;
}

/** Offset of the first quoted scalar that has no closing quote, from the concrete syntax tree. */
function unclosedQuoteAt(source: string): number | undefined {
  let found: number | undefined;
  const check = (token: CST.Token | null | undefined) => {
    if (found !== undefined || !token) return;
    if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      const quote = token.type === 'double-quoted-scalar' ? '"' : "'";
      const closed = token.source.length >= 2 && token.source.endsWith(quote) && !(quote === '"' && /(^|[^\\])(\\\\)*\\"$/.test(token.source));
      if (!closed) found = token.offset;
    }
  };
  for (const token of new Parser().parse(source)) {
    if (token.type === 'document') {
      check(token.value);
      CST.visit(token, (item) => {
        check(item.key);
        check(item.value);
      });
    } else check(token);
  }
  return found;
}

function keyOf(key: unknown): string {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return String(key);
}
