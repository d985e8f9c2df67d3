// The edges of the Python pieces of Ansible's inventory reading that tend copies, next to
// inventory-conformance-pieces.test.ts: fnmatch's sets (`]` first, `[!]`, reversed ranges),
// Python's inline regex flags, subscripts ending at 0, and ast.literal_eval's escapes
// (octal, \N{…}), signs and string prefixes. The expected answers were recorded with
// Debian 12's /usr/bin/python3 (3.11.2, which ansible-core 2.14 runs on):
//   re.compile(fnmatch.translate(p)).match(name)   (InventoryManager._match_list)
//   ast.literal_eval(text), or text when it raises  (the INI plugin's _parse_value)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { InventoryData } from '../../src/inventory/data.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { patternSyntaxError, selectHosts } from '../../src/inventory/limit.ts';
import { buildInventory } from '../../src/inventory/model.ts';
import { pythonValue } from '../../src/inventory/python-literal.ts';

const NAMES = ['host1', 'host2', 'host3', 'h]st', 'h-st', 'h^st', 'h!st', 'h\\st', 'h[st', 'hzst', 'hast', 'h.st', 'h&st', 'h~st', 'h|st'];
const data = new InventoryData('hosts');
for (const n of NAMES) data.addHost(n, 'ungrouped');
const inv = buildInventory(data);

/** The hosts a pattern selects, given with a trailing comma so that `[`, `]` and `:` stay in the term. */
function glob(pattern: string): string[] {
  return selectHosts(inv, undefined, `${pattern},`, () => {}).map((h) => h.name);
}
const except = (...names: string[]) => NAMES.filter((n) => n.length === 4 && !names.includes(n));

describe('fnmatch sets as Python 3.11 translates them', () => {
  const cases: [string, string[]][] = [
    ['h[]]st', ['h]st']],
    ['h[!]]st', except('h]st')],
    ['h[]-a]st', ['h]st', 'h^st', 'hast']],
    ['h[!]-a]st', except('h]st', 'h^st', 'hast')],
    ['h[z-a]st', []],
    ['h[!z-a]st', except()],
    ['h[z-a-c]st', ['h-st']],
    ['h[a-c-z]st', ['h-st', 'hzst', 'hast']],
    ['h[^]st', ['h^st']],
    ['h[!^]st', except('h^st')],
    ['h[\\]st', ['h\\st']],
    ['h[-]st', ['h-st']],
    ['h[!-]st', except('h-st')],
    ['h[a-]st', ['h-st', 'hast']],
    ['h[[]st', ['h[st']],
    ['h[!!]st', except('h!st')],
    ['h[&]st', ['h&st']],
    ['h[~|]st', ['h~st', 'h|st']],
    ['host[1-3-]', ['host1', 'host2', 'host3']],
    ['h[a-a]st', ['hast']],
    ['h[]-^]st', ['h]st', 'h^st']],
    ['h[!a-z]st', except('hzst', 'hast')],
    ['h[.]st', ['h.st']],
    ['h.st', ['h.st']],
    ['h?st', except()],
    // The groups all and ungrouped match too, as in Ansible, with every host in them.
    ['*[!0-9]', NAMES],
    ['host[1-2]*', ['host1', 'host2']],
    ['host[!]', []],
    ['host[]', []],
    ['host[', []],
    ['host[!', []],
  ];
  for (const [pattern, hosts] of cases) {
    it(pattern, () => assert.deepEqual(glob(pattern).sort(), [...hosts].sort()));
  }
  it('a host named like a pattern is that host', () => {
    assert.deepEqual(glob('h[st'), ['h[st']);
  });
});

describe("Python's global inline flags at the start of a ~regex", () => {
  const hosts = (p: string) => selectHosts(inv, undefined, p, () => {}).map((h) => h.name);
  it('(?i) ignores case; several flags, in one group or several', () => {
    assert.deepEqual(hosts('~(?i)HOST1'), ['host1']);
    assert.deepEqual(hosts('~(?im)HOST[12]'), ['host1', 'host2']);
    assert.deepEqual(hosts('~(?s)(?i)HOST3'), ['host3']);
    assert.deepEqual(hosts('~(?u)host1'), ['host1']);
    assert.deepEqual(hosts('~(?a)HOST1'), []);
    assert.deepEqual(hosts('~HOST1'), []);
  });
  it('(?s) lets . match a newline; without it, it does not', () => {
    const d = new InventoryData('hosts');
    d.addHost('a\nb', 'ungrouped');
    const nl = buildInventory(d);
    assert.deepEqual(selectHosts(nl, undefined, '~(?s)a.b', () => {}).map((h) => h.name), ['a\nb']);
    assert.deepEqual(selectHosts(nl, undefined, '~a.b', () => {}).map((h) => h.name), []);
  });
  it('(?m) makes $ match before a newline inside the name', () => {
    const d = new InventoryData('hosts');
    d.addHost('a\nb', 'ungrouped');
    const nl = buildInventory(d);
    assert.deepEqual(selectHosts(nl, undefined, '~(?m)a$', () => {}).map((h) => h.name), ['a\nb']);
    assert.deepEqual(selectHosts(nl, undefined, '~a$', () => {}).map((h) => h.name), []);
  });
  it('flags anywhere else, L (bytes only) and x (verbose, which tend does not read) are refused', () => {
    assert.throws(() => hosts('~host(?i)1'), InputError);
    assert.throws(() => hosts('~(?L)host'), /'~\(\?L\)host' is not a valid pattern/);
    assert.match(patternSyntaxError('~(?x)host 1') ?? '', /is not a regular expression tend can read/);
    assert.equal(patternSyntaxError('~(?i)web'), undefined);
  });
});

describe('subscripts as Ansible applies them', () => {
  const groups = buildInventory(parseIniInventory('hosts', '[g]\na\nb\nc\n'));
  const hosts = (p: string) => selectHosts(groups, undefined, p, () => {}).map((h) => h.name);
  it('[x:0] and [x-0] are [x] (Ansible tests `if end:`)', () => {
    assert.deepEqual(hosts('g[1:0]'), ['b']);
    assert.deepEqual(hosts('g[2-0]'), ['c']);
    assert.deepEqual(hosts('g[0:0]'), ['a']);
    assert.deepEqual(hosts('g[5:0]'), []);
  });
  it('[x:y] is x to y inclusive, [x:] to the end', () => {
    assert.deepEqual(hosts('g[0:1]'), ['a', 'b']);
    assert.deepEqual(hosts('g[1:]'), ['b', 'c']);
    assert.deepEqual(hosts('g[-1]'), ['c']);
  });
});

describe('INI values: literal_eval edges', () => {
  const cases: [string, unknown][] = [
    ["'\\0'", '\0'],
    ["'\\08'", '\x008'],
    ["'\\18'", '\x018'],
    ["'\\777'", 'ǿ'],
    ["'\\1234'", 'S4'],
    ["'\\8'", '\\8'],
    ["'a\\x41\\101b'", 'aAAb'],
    ["'\\N{bullet}'", '•'],
    ["'\\N{NO-BREAK SPACE}'", '\u00a0'],
    ["'\\N{EM DASH}x'", '—x'],
    ["'\\N{YEN SIGN}\\N{PRIME}'", '¥′'],
    ["'\\N{LATIN SMALL LETTER Y WITH DIAERESIS}'", 'ÿ'],
    ["'\\N{NOMINAL DIGIT SHAPES}'", '\u206f'],
    ["'\\N{EN QUAD}'", '\u2000'],
    ["'\\N{CJK UNIFIED IDEOGRAPH-4E00}'", '一'],
    ["'\\N{CJK UNIFIED IDEOGRAPH-9FFF}'", '鿿'],
    ["'\\N{CJK UNIFIED IDEOGRAPH-3134A}'", '𱍊'],
    ["'\\N{CJK UNIFIED IDEOGRAPH-3400}'", '㐀'],
    ["'\\N{cjk unified ideograph-20000}'", "'\\N{cjk unified ideograph-20000}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-4e00}'", "'\\N{CJK UNIFIED IDEOGRAPH-4e00}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-A000}'", "'\\N{CJK UNIFIED IDEOGRAPH-A000}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-4E0}'", "'\\N{CJK UNIFIED IDEOGRAPH-4E0}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-3134B}'", "'\\N{CJK UNIFIED IDEOGRAPH-3134B}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-2EBE1}'", "'\\N{CJK UNIFIED IDEOGRAPH-2EBE1}'"],
    ["'\\N{BULLET'", "'\\N{BULLET'"],
    ["'\\N{}'", "'\\N{}'"],
    ["'\\NBULLET'", "'\\NBULLET'"],
    ["'\\N{BUL_LET}'", "'\\N{BUL_LET}'"],
    ["r'\\N{BULLET}'", '\\N{BULLET}'],
    ["'\\U0010FFFF'", '\u{10ffff}'],
    // Past U+10FFFF: a SyntaxError in Python (tend threw a RangeError).
    ["'\\U00110000'", "'\\U00110000'"],
    ['-(1)', -1],
    ['- (3)', -3],
    ['-((2))', -2],
    ['(-1)', -1],
    ['-1.5', -1.5],
    ['+0x10', 16],
    ['[-1, +2]', [-1, 2]],
    ['{-1: -2}', { '-1': -2 }],
    ['-(-1)', '-(-1)'],
    ['-(1,)', '-(1,)'],
    ['-(+1)', '-(+1)'],
    ['-True', '-True'],
    ['+False', '+False'],
    ['-None', '-None'],
    ["-'a'", "-'a'"],
    ['-(1', '-(1'],
    ['-()', '-()'],
    ['-[1]', '-[1]'],
    ["u'x'", 'x'],
    ["U'x'", 'x'],
    ["b'x'", 'x'],
    ["br'x'", 'x'],
    ["Rb'x'", 'x'],
    ["bR'\\n'", '\\n'],
    ["rb'x'", 'x'],
    ["ru'x'", "ru'x'"],
    ["uR'x'", "uR'x'"],
    ["ub'x'", "ub'x'"],
    ["bu'x'", "bu'x'"],
    ["rr'x'", "rr'x'"],
    ["bb'x'", "bb'x'"],
    ["uu'x'", "uu'x'"],
    ["f'x'", "f'x'"],
    ["'a' u'b'", 'ab'],
    ["'a' ur'b'", "'a' ur'b'"],
  ];
  for (const [text, value] of cases) {
    it(text, () => {
      const got = pythonValue(text);
      if (typeof value === 'number') assert.ok(got === value, `${String(got)} !== ${value}`);
      else assert.deepEqual(JSON.parse(JSON.stringify(got)), value);
    });
  }
  it('a \\N{…} name tend does not know is refused, naming it, when the rest is a literal', () => {
    assert.throws(
      () => pythonValue("'\\N{GREEK SMALL LETTER ALPHA}'"),
      (e: unknown) => e instanceof InputError && /not 'GREEK SMALL LETTER ALPHA'; write the character or its \\u escape instead/.test(e.message),
    );
    assert.throws(() => pythonValue("['\\N{SNOWMAN}', '\\N{COMET}']"), /not 'SNOWMAN'/);
    // Not a literal whatever the name is: text, as Ansible has it.
    assert.equal(pythonValue("'\\N{SNOWMAN}' x"), "'\\N{SNOWMAN}' x");
    assert.equal(pythonValue("'\\N{SNOWMAN}"), "'\\N{SNOWMAN}");
  });
});

describe('INI values: more of literal_eval, recorded the same way', () => {
  // Numbers, containers, whitespace, comments and strings at their edges. Left out: complex
  // numbers, 1e400 (inf), Ellipsis and non-string dict keys, which have no JSON form, and
  // newlines, which an INI value cannot hold.
  const cases: [string, unknown][] = [
    ["0", 0],
    ["00", 0],
    ["0_0", 0],
    ["007", "007"],
    ["0x_1f", 31],
    ["0X1F", 31],
    ["0x", "0x"],
    ["0xg", "0xg"],
    ["0o17", 15],
    ["0O17", 15],
    ["0o8", "0o8"],
    ["0b101", 5],
    ["0B1", 1],
    ["0b2", "0b2"],
    ["0b_1", 1],
    ["1__0", "1__0"],
    ["1_", "1_"],
    ["_1", "_1"],
    ["1e3", 1000.0],
    ["1E3", 1000.0],
    ["1e+3", 1000.0],
    ["1e-3", 0.001],
    ["1e", "1e"],
    ["1.e2", 100.0],
    [".5", 0.5],
    ["5.", 5.0],
    [".", "."],
    ["1.5.2", "1.5.2"],
    ["1_0.5", 10.5],
    ["1.5_0", 1.5],
    ["1e1_0", 10000000000.0],
    ["0.0", 0.0],
    ["1a", "1a"],
    ["1 a", "1 a"],
    ["12abc", "12abc"],
    ["3_", "3_"],
    ["1.0e", "1.0e"],
    ["inf", "inf"],
    ["nan", "nan"],
    ["0x10a", 266],
    ["0b12", "0b12"],
    ["0o78", "0o78"],
    ["09", "09"],
    ["0.1e1", 1.0],
    ["()", []],
    ["(1,)", [1]],
    ["(1, 2)", [1, 2]],
    ["(1, 2,)", [1, 2]],
    ["(,)", "(,)"],
    ["((1))", 1],
    ["[]", []],
    ["[,]", "[,]"],
    ["[1,]", [1]],
    ["[1,,2]", "[1,,2]"],
    ["[1 2]", "[1 2]"],
    ["[1", "[1"],
    ["[1,", "[1,"],
    ["[(1)]", [1]],
    ["[[]]", [[]]],
    ["{}", {}],
    ["{1}", [1]],
    ["{1,}", [1]],
    ["{1, 2}", [1, 2]],
    ["{1 2}", "{1 2}"],
    ["{1: 2, }", {"1": 2}],
    ["{1: 2,, }", "{1: 2,, }"],
    ["{1: 2 3: 4}", "{1: 2 3: 4}"],
    ["{1: 2, 3}", "{1: 2, 3}"],
    ["{1:}", "{1:}"],
    ["{:1}", "{:1}"],
    ["{'a': [1]}", {"a": [1]}],
    ["{'a': 1, 'a': 2}", {"a": 2}],
    ["{1.5: 2}", {"1.5": 2}],
    ["{1: 2", "{1: 2"],
    ["{1,2", "{1,2"],
    ["{[1]: 2}", "{[1]: 2}"],
    ["1, 2", [1, 2]],
    ["1,", [1]],
    ["1, 2,", [1, 2]],
    [",", ","],
    ["1,,", "1,,"],
    [" 1 ", 1],
    ["\t1", 1],
    ["1\t", 1],
    ["# c", "# c"],
    ["1 # c", 1],
    ["True False", "True False"],
    ["TrueX", "TrueX"],
    ["true", "true"],
    ["none", "none"],
    ["None1", "None1"],
    ["_", "_"],
    ["x", "x"],
    ["''", ""],
    ["\"\"", ""],
    ["'''a'''", "a"],
    ["\"\"\"a\"\"\"", "a"],
    ["'''a\nb'''", "a\nb"],
    ["'a\nb'", "'a\nb'"],
    ["'''a'b'''", "a'b"],
    ["'a' 'b'", "ab"],
    ["'a''b'", "ab"],
    ["'a' \"b\"", "ab"],
    ["'a' # c", "a"],
    ["'a' b", "'a' b"],
    ["'a", "'a"],
    ["'a\\", "'a\\"],
    ["'\\'", "'\\'"],
    ["'\\\\'", "\\"],
    ["'\\\n'", ""],
    ["\"'\"", "'"],
    ["'\"'", "\""],
    ["'''a''''", "'''a''''"],
    ["'a' 1", "'a' 1"],
    ["'\\x4g'", "'\\x4g'"],
    ["'\\u00E9'", "é"],
    ["'\\U0010FFFF'", "􏿿"],
    ["r'\\x'", "\\x"],
    ["r'a\\'", "r'a\\'"],
    ["r'\\\\'", "\\\\"],
    ["b'\\x41'", "A"],
    ["'\\v\\f'", "\u000b\f"],
    ["'\\e'", "\\e"],
    ["'\\ '", "\\ "],
    ["True,", [true]],
    ["[True, None]", [true, null]],
    ["{'a': None}", {"a": null}],
    ["- 5", -5],
    ["+ 5", 5],
    ["-0", 0],
    ["+.5", 0.5],
    ["-1e3", -1000.0],
    ["- 0x10", -16],
    ["1-2", "1-2"],
    ["2*3", "2*3"],
    ["not True", "not True"],
    ["(1)(2)", "(1)(2)"],
    ["[1][0]", "[1][0]"],
    ["a.b", "a.b"],
    ["1 if 1 else 2", "1 if 1 else 2"],
    ["{**a}", "{**a}"],
    ["[*a]", "[*a]"],
    ["Ellipsis", "Ellipsis"],
  ];
  it(`${cases.length} texts: the value, or the text itself`, () => {
    for (const [text, value] of cases) {
      const got = pythonValue(text);
      if (typeof value === 'number') assert.ok(got === value, `${JSON.stringify(text)}: ${String(got)} !== ${value}`);
      else assert.deepEqual(JSON.parse(JSON.stringify(got)), value, JSON.stringify(text));
    }
  });
});

describe('INI values: spaces inside signs and tuples, and \\N{…} names that only look right', () => {
  // Recorded the same way; each is a place where a slip in tend's parser would go unseen.
  const cases: [string, unknown][] = [
    ['-(1 )', -1],
    ['-( 1 )', -1],
    ['-(1)2', '-(1)2'],
    ['1 , 2', [1, 2]],
    ['1, ', [1]],
    ['1, 2 , 3', [1, 2, 3]],
    ['u"x"', 'x'],
    ['rb"x"', 'x'],
    ["'\\Nx{BULLET}'", "'\\Nx{BULLET}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-020000}'", "'\\N{CJK UNIFIED IDEOGRAPH-020000}'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-4E00 }'", "'\\N{CJK UNIFIED IDEOGRAPH-4E00 }'"],
    ["'\\N{CJK UNIFIED IDEOGRAPH-4E00G}'", "'\\N{CJK UNIFIED IDEOGRAPH-4E00G}'"],
    ["'\\N{bullet}' '\\N{Em Dash}'", '•—'],
  ];
  for (const [text, value] of cases) {
    it(text, () => {
      const got = pythonValue(text);
      if (typeof value === 'number') assert.ok(got === value, `${String(got)} !== ${value}`);
      else assert.deepEqual(JSON.parse(JSON.stringify(got)), value);
    });
  }
});

describe('INI values: \\N{CJK UNIFIED IDEOGRAPH-…} in each range Python 3.11 names', () => {
  // Extensions B to F, first and last code point of each (unicodedata.lookup gives them).
  for (const [lo, hi] of [
    [0x20000, 0x2a6df],
    [0x2a700, 0x2b738],
    [0x2b740, 0x2b81d],
    [0x2b820, 0x2cea1],
    [0x2ceb0, 0x2ebe0],
  ] as const) {
    it(`U+${lo.toString(16).toUpperCase()}–U+${hi.toString(16).toUpperCase()}`, () => {
      for (const code of [lo, hi]) {
        assert.equal(pythonValue(`'\\N{CJK UNIFIED IDEOGRAPH-${code.toString(16).toUpperCase()}}'`), String.fromCodePoint(code));
      }
    });
  }
});

describe('INI values: bytes literals (b…)', () => {
  // ansible-inventory 2.14 --host on [all:vars] lines; the INI plugin gives the bytes to
  // to_text(errors='surrogate_or_strict'): UTF-8, a byte that is not a UTF-8 character
  // becoming U+DC00 + the byte (surrogateescape; ansible-inventory prints it as '?', the
  // values here are Python's: ast.literal_eval(t).decode('utf-8', 'surrogateescape')).
  const cases: [string, string][] = [
    // Python refuses to join bytes and text literals (a SyntaxError): the text stays.
    ["'a' b'b'", "'a' b'b'"],
    ["b'a' 'b'", "b'a' 'b'"],
    ["r'a' b'b'", "r'a' b'b'"],
    ["'a' rb'b'", "'a' rb'b'"],
    ["b'a' u'b'", "b'a' u'b'"],
    ["b'' ''", "b'' ''"],
    ["b'a' b'c'", 'ac'],
    ["b'a' Rb'\\n'", 'a\\n'],
    // Only ASCII characters in a bytes literal (a SyntaxError otherwise).
    ["b'é'", "b'é'"],
    ["rb'é'", "rb'é'"],
    ["b'\\x7f~'", '\x7f~'],
    // \u, \U and \N{…} are no escapes in bytes: kept as written (no unknown-name refusal).
    ["b'\\u00e9'", '\\u00e9'],
    ["b'\\U0001F600'", '\\U0001F600'],
    ["b'\\N{BULLET}'", '\\N{BULLET}'],
    ["b'\\N{SNOWMAN}'", '\\N{SNOWMAN}'],
    ["b'\\q\\n'", '\\q\n'],
    // \x and octal escapes are bytes, read together as UTF-8.
    ["b'\\xc3\\xa9'", 'é'],
    ["b'\\303\\251'", 'é'],
    ["b'\\xe2\\x80\\xa2x'", '•x'],
    ["b'\\xf0\\x9f\\x98\\x80'", '😀'],
    ["b'\\xff'", '\udcff'],
    ["b'\\377'", '\udcff'],
    ["b'\\777'", '\udcff'],
    ["b'\\400'", '\0'],
    ["b'\\xc3('", '\udcc3('],
    ["b'\\xe2\\x82a'", '\udce2\udc82a'],
    ["b'\\xc0\\xaf'", '\udcc0\udcaf'],
    ["b'\\xed\\xa0\\x80'", '\udced\udca0\udc80'],
    ["b'\\xf4\\x90\\x80\\x80'", '\udcf4\udc90\udc80\udc80'],
    ["b'\\xa9\\xc3\\xa9'", '\udca9é'],
    ["b'\\xc3' b'\\xa9'", 'é'],
    // A byte order mark is a character like any other.
    ["b'\\xef\\xbb\\xbfx'", '\ufeffx'],
  ];
  for (const [text, value] of cases) {
    it(text, () => assert.equal(pythonValue(text), value));
  }
});
