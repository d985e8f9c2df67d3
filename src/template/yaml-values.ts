// YAML as Ansible's loader reads it, into template values: YAML 1.1 (yes/no booleans,
// 0755 octal), maps as Maps in document order with their keys' own types (80: is an int
// key), and floats kept as floats (1.0 prints 1.0, not 1).
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { dictKey, float } from './values.ts';

function convert(node: unknown, doc: ReturnType<typeof parseDocument>, depth = 0): unknown {
  if (depth > 1000) throw new Error('YAML nested more than 1000 levels');
  if (isAlias(node)) return convert(node.resolve(doc), doc, depth + 1);
  if (isMap(node)) {
    const out = new Map<unknown, unknown>();
    for (const pair of node.items) out.set(dictKey(convert(pair.key, doc, depth + 1)), convert(pair.value, doc, depth + 1));
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => convert(i, doc, depth + 1));
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && node.source !== undefined && /[.]|^[-+]?\.?(inf|nan)$/i.test(String(node.source))) return float(v);
    // PyYAML's booleans are yes/no/true/false/on/off only; y and n stay strings.
    if (typeof v === 'boolean' && node.type === 'PLAIN' && !/^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(String(node.source))) return String(node.source);
    return v === undefined ? null : v;
  }
  return node === null || node === undefined ? null : (node as Node).toJSON();
}

export function yamlValues(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length) throw doc.errors[0];
  return convert(doc.contents, doc);
}
