// tend smoke's JUnit file stays XML 1.0 whatever a host printed into a failure message.
// Two checks read it: a small strict reader here (every character must be one XML 1.0
// allows, tags must balance, attribute values must be quoted and free of `<`, references
// must be well formed) that also gives back attribute values, and libxml2's xmllint when
// it is installed (Debian's libxml2-utils).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { junitXml, xmlText } from '../../src/report/junit.ts';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
}

/** XML 1.0 Char, checked per code point (a lone surrogate is not a Char). */
function forbiddenChars(text: string): string[] {
  const bad: string[] = [];
  for (const c of text) {
    const n = c.codePointAt(0)!;
    const ok = n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
    if (!ok) bad.push(`U+${n.toString(16).padStart(4, '0')}`);
  }
  return bad;
}

function decodeReferences(text: string, where: string): string {
  return text.replace(/&([^;]*);?/g, (whole, ref: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (!whole.endsWith(';')) throw new Error(`${where}: bare & not a reference`);
    if (ref in named) return named[ref]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`${where}: bad reference &${ref};`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (forbiddenChars(String.fromCodePoint(code)).length > 0) throw new Error(`${where}: reference to a forbidden character &${ref};`);
    return String.fromCodePoint(code);
  });
}

/** Reads a document of elements and attributes (what JUnit files are); throws where it is not well formed. */
function strictXml(doc: string): XmlElement[] {
  const bad = forbiddenChars(doc);
  if (bad.length > 0) throw new Error(`characters XML 1.0 forbids: ${bad.join(' ')}`);
  let rest = doc.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const open: string[] = [];
  const elements: XmlElement[] = [];
  while (rest.length > 0) {
    const text = /^[^<]*/.exec(rest)![0];
    decodeReferences(text, 'text');
    if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root element: ${text}`);
    rest = rest.slice(text.length);
    if (rest === '') break;
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(rest);
    if (close) {
      if (open.pop() !== close[1]) throw new Error(`</${close[1]}> closes nothing open`);
      rest = rest.slice(close[0].length);
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!tag) throw new Error(`not a tag: ${rest.slice(0, 60)}`);
    if (elements.length > 0 && open.length === 0) throw new Error('a second root element');
    const attributes: Record<string, string> = {};
    for (const a of tag[2]!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      if (a[1]! in attributes) throw new Error(`attribute ${a[1]} twice`);
      attributes[a[1]!] = decodeReferences(a[2]!, `attribute ${a[1]}`);
    }
    elements.push({ name: tag[1]!, attributes });
    if (tag[3] !== '/') open.push(tag[1]!);
    rest = rest.slice(tag[0].length);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.join(', ')}`);
  return elements;
}

// What hosts can print: C0 controls, U+FFFE/U+FFFF, a lone surrogate, markup, line breaks.
const HOSTILE = `apt said \x01\x00\x08\x0b\x0c\x1b[31m \uFFFE\uFFFF \ud800 lone, "quoted" <b>&amp; it's\n\tsecond line\r\n pair \u{1F600}`;

function smokeDoc(detail: string): string {
  return junitXml('site.yml', [
    { host: 'tend-smoke-1', steps: [{ name: 'converge', status: 'failed', durationMs: 1234, detail }, { name: 'idempotence', status: 'skipped', durationMs: 0 }] },
    { host: 'tend-smoke-2', steps: [{ name: 'converge', status: 'passed', durationMs: 10 }] },
  ]);
}

describe('JUnit file', () => {
  it('is well-formed XML 1.0 with host bytes U+FFFE and 0x01 in a failure message', () => {
    const doc = smokeDoc(HOSTILE);
    const elements = strictXml(doc);
    assert.deepEqual(elements.map((e) => e.name), ['testsuites', 'testsuite', 'testcase', 'failure', 'testcase', 'skipped', 'testsuite', 'testcase']);
    const failure = elements.find((e) => e.name === 'failure')!;
    // Read back, the message is the host's text with the forbidden characters shown as escapes.
    assert.equal(
      failure.attributes.message,
      `apt said \\x01\\x00\\x08\\x0b\\x0c\\x1b[31m \\ufffe\\uffff \\ud800 lone, "quoted" <b>&amp; it's\n\tsecond line\r\n pair \u{1F600}`,
    );
  });

  it('libxml2 (xmllint --noout) parses it without a complaint', (t) => {
    if (spawnSync('sh', ['-c', 'command -v xmllint']).status !== 0) {
      t.skip('xmllint is not installed (apt-get install libxml2-utils); the strict reader above still ran');
      return;
    }
    const r = spawnSync('xmllint', ['--noout', '-'], { input: smokeDoc(HOSTILE), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    // The same reader refuses what the old writer produced for U+FFFE: the check can fail.
    const broken = spawnSync('xmllint', ['--noout', '-'], { input: '<?xml version="1.0" encoding="UTF-8"?>\n<a b="\uFFFE"/>\n', encoding: 'utf8' });
    assert.notEqual(broken.status, 0);
  });

  it('the strict reader refuses malformed documents (it is not a rubber stamp)', () => {
    assert.throws(() => strictXml('<a b="\uFFFE"/>'), /forbids: U\+fffe/);
    assert.throws(() => strictXml('<a b="\x01"/>'), /forbids: U\+0001/);
    assert.throws(() => strictXml('<a b="x<y"/>'), /not a tag/);
    assert.throws(() => strictXml('<a>&#1;</a>'), /forbidden character/);
    assert.throws(() => strictXml('<a>AT&T</a>'), /bad reference|bare &/);
    assert.throws(() => strictXml('<a><b></a>'), /closes nothing open|unclosed/);
  });

  it('escapes markup and keeps every allowed character', () => {
    assert.equal(xmlText(`<a href="x">&'\t\n`), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#9;&#10;');
    assert.equal(xmlText('déjà vu \u{1F600} \uFFFD'), 'déjà vu \u{1F600} \uFFFD');
  });
});
