"""Records what ansible-core 2.14's own lineinfile, blockinfile and replace modules do
with a table of cases: each case's file (or no file) is written to a temporary directory,
the real module runs on it as Ansible runs a module (its arguments in a JSON file, the
module's file run by /usr/bin/python3), and the file's content afterwards, changed, msg
and failed are kept in cases.json. A second table (regex.json) holds what Python's `re`
itself answers for patterns, subjects and replacement templates, the way the modules
call it (bytes patterns for lineinfile and blockinfile, str and MULTILINE for replace).

test/unit/lineinfile-conformance.test.ts replays both through tend's modules.
Run: /usr/bin/python3 test/conformance/lineinfile/record.py
"""
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

A = 'alpha\nbeta\ngamma\n'
DUP = 'x=1\nkey=a\ny=2\nkey=b\nz=3\n'
NOEOL = 'one\ntwo'

CASES = [
    # lineinfile: where a new line goes
    ('lineinfile', 'append at EOF (default)', A, {'line': 'delta'}),
    ('lineinfile', 'already present anywhere', A, {'line': 'beta'}),
    ('lineinfile', 'insertafter EOF', A, {'line': 'delta', 'insertafter': 'EOF'}),
    ('lineinfile', 'insertbefore BOF', A, {'line': 'zero', 'insertbefore': 'BOF'}),
    ('lineinfile', 'insertafter BOF', A, {'line': 'zero', 'insertafter': 'BOF'}),
    ('lineinfile', 'insertafter regex, last match', DUP, {'line': 'new', 'insertafter': '^key='}),
    ('lineinfile', 'insertafter regex, firstmatch', DUP, {'line': 'new', 'insertafter': '^key=', 'firstmatch': True}),
    ('lineinfile', 'insertbefore regex, last match', DUP, {'line': 'new', 'insertbefore': '^key='}),
    ('lineinfile', 'insertbefore regex, firstmatch', DUP, {'line': 'new', 'insertbefore': '^key=', 'firstmatch': True}),
    ('lineinfile', 'insertafter no match goes to EOF', A, {'line': 'new', 'insertafter': '^nothing'}),
    ('lineinfile', 'insertbefore no match goes to EOF', A, {'line': 'new', 'insertbefore': '^nothing'}),
    ('lineinfile', 'insertafter last line', A, {'line': 'new', 'insertafter': '^gamma'}),
    ('lineinfile', 'insertbefore first line', A, {'line': 'new', 'insertbefore': '^alpha'}),
    ('lineinfile', 'insertafter: line already after the match', 'a\nnew\nb\n', {'line': 'new', 'insertafter': '^a'}),
    ('lineinfile', 'insertbefore: line already present elsewhere', 'new\na\nb\n', {'line': 'new', 'insertbefore': '^b'}),
    # lineinfile: regexp replaces
    ('lineinfile', 'regexp replaces last match', DUP, {'regexp': '^key=', 'line': 'key=c'}),
    ('lineinfile', 'regexp replaces first match with firstmatch', DUP, {'regexp': '^key=', 'line': 'key=c', 'firstmatch': True}),
    ('lineinfile', 'regexp matches and line equal', 'key=c\n', {'regexp': '^key=', 'line': 'key=c'}),
    ('lineinfile', 'regexp no match: appended', A, {'regexp': '^key=', 'line': 'key=c'}),
    ('lineinfile', 'regexp no match: insertafter', DUP, {'regexp': '^nope=', 'line': 'nope=1', 'insertafter': '^y='}),
    ('lineinfile', 'regexp no match: insertbefore BOF', DUP, {'regexp': '^nope=', 'line': 'nope=1', 'insertbefore': 'BOF'}),
    ('lineinfile', 'regexp no match, line present', A, {'regexp': '^nope', 'line': 'beta'}),
    ('lineinfile', 'regexp $ before newline', 'PermitRootLogin yes\n', {'regexp': 'yes$', 'line': 'PermitRootLogin no'}),
    ('lineinfile', 'regexp \\Z does not match before newline', 'a yes\n', {'regexp': 'yes\\Z', 'line': 'changed'}),
    ('lineinfile', 'regexp \\Z on last line without newline', 'a\nb yes', {'regexp': 'yes\\Z', 'line': 'changed'}),
    ('lineinfile', 'regexp last line without newline', NOEOL, {'regexp': '^two', 'line': 'TWO'}),
    ('lineinfile', 'regexp with (?P<name>) and \\s', 'port   = 22\n', {'regexp': '^(?P<k>port)\\s*=', 'line': 'port = 2222'}),
    ('lineinfile', 'regexp with case-insensitive flag', 'Port 22\n', {'regexp': '(?i)^port ', 'line': 'Port 2222'}),
    ('lineinfile', 'empty regexp matches every line', A, {'regexp': '', 'line': 'all'}),
    # backrefs
    ('lineinfile', 'backrefs with match', 'listen 80\n', {'regexp': '^listen (\\d+)$', 'line': 'listen \\1 default', 'backrefs': True}),
    ('lineinfile', 'backrefs \\g<1> and \\g<name>', 'a=1 b=2\n', {'regexp': '^a=(\\d) b=(?P<b>\\d)', 'line': 'b=\\g<b> a=\\g<1>', 'backrefs': True}),
    ('lineinfile', 'backrefs without match: unchanged', A, {'regexp': '^nope (.*)', 'line': 'x \\1', 'backrefs': True}),
    ('lineinfile', 'backrefs already as wanted', 'listen 80 default\n', {'regexp': '^listen (\\d+)', 'line': 'listen \\1 default', 'backrefs': True}),
    ('lineinfile', 'backrefs with firstmatch', DUP, {'regexp': '^key=(\\w)', 'line': 'key=\\1\\1', 'backrefs': True, 'firstmatch': True}),
    ('lineinfile', 'backrefs unmatched optional group', 'a\n', {'regexp': '^a(b)?', 'line': 'x\\1y', 'backrefs': True}),
    ('lineinfile', 'backrefs \\n escape in line', 'k=v\n', {'regexp': '^k=(v)', 'line': 'k=\\1\\nmore', 'backrefs': True}),
    # search_string
    ('lineinfile', 'search_string replaces last', DUP, {'search_string': 'key=', 'line': 'key=s'}),
    ('lineinfile', 'search_string with regex characters', 'a.*b\nc\n', {'search_string': '.*', 'line': 'dot'}),
    ('lineinfile', 'search_string no match: inserted before', A, {'search_string': 'zzz', 'line': 'new', 'insertbefore': '^beta'}),
    ('lineinfile', 'search_string firstmatch', DUP, {'search_string': 'key=', 'line': 'key=s', 'firstmatch': True}),
    # absent
    ('lineinfile', 'absent by line', DUP, {'state': 'absent', 'line': 'y=2'}),
    ('lineinfile', 'absent by regexp, two lines', DUP, {'state': 'absent', 'regexp': '^key='}),
    ('lineinfile', 'absent by search_string', DUP, {'state': 'absent', 'search_string': 'key'}),
    ('lineinfile', 'absent, nothing matches', A, {'state': 'absent', 'regexp': '^nope'}),
    ('lineinfile', 'absent, no file', None, {'state': 'absent', 'line': 'x'}),
    ('lineinfile', 'absent last line without newline', NOEOL, {'state': 'absent', 'line': 'two'}),
    ('lineinfile', 'absent: CR stripped for the comparison', 'a\r\nb\r\n', {'state': 'absent', 'line': 'a'}),
    # files
    ('lineinfile', 'create a missing file', None, {'line': 'first', 'create': True}),
    ('lineinfile', 'missing file without create fails', None, {'line': 'first'}),
    ('lineinfile', 'create with insertbefore BOF', None, {'line': 'first', 'create': True, 'insertbefore': 'BOF'}),
    ('lineinfile', 'empty file', '', {'line': 'x'}),
    ('lineinfile', 'empty file, insertafter regex', '', {'line': 'x', 'insertafter': '^a'}),
    ('lineinfile', 'no trailing newline, append', NOEOL, {'line': 'three'}),
    ('lineinfile', 'no trailing newline, insertafter last', NOEOL, {'line': 'three', 'insertafter': '^two'}),
    ('lineinfile', 'no trailing newline, insertbefore last', NOEOL, {'line': 'three', 'insertbefore': '^two'}),
    ('lineinfile', 'no trailing newline, line present', NOEOL, {'line': 'two'}),
    ('lineinfile', 'CRLF file, line present without CR', 'a\r\nb\r\n', {'line': 'b'}),
    ('lineinfile', 'CRLF file, regexp replace drops CR', 'a\r\nb\r\n', {'regexp': '^b', 'line': 'B'}),
    ('lineinfile', 'lone CR is not a line break', 'a\rb\n', {'line': 'b'}),
    ('lineinfile', 'UTF-8 content and line', 'clé=1\n', {'regexp': '^clé=', 'line': 'clé=2'}),
    ('lineinfile', 'dot matches one byte of UTF-8', 'é\n', {'regexp': '^.$', 'line': 'one byte'}),
    ('lineinfile', 'check mode: nothing written', A, {'line': 'delta'}, True),
    # owner, group, mode and backup (the file is 0644 root:root, as the replay's probe says)
    ('lineinfile', 'mode only, the line already there', A, {'line': 'beta', 'mode': '0600'}),
    ('lineinfile', 'line and mode', A, {'line': 'delta', 'mode': '0600'}),
    ('lineinfile', 'owner and group as they are', A, {'line': 'delta', 'owner': 'root', 'group': 'root', 'mode': '0644'}),
    ('lineinfile', 'create with a mode', None, {'line': 'x', 'create': True, 'mode': '0600'}),
    ('lineinfile', 'create with the mode a new file gets', None, {'line': 'x', 'create': True, 'mode': '0644'}),
    ('lineinfile', 'create with a mode, check mode', None, {'line': 'x', 'create': True, 'mode': '0600'}, True),
    ('lineinfile', 'backup', A, {'line': 'delta', 'backup': True}),
    ('lineinfile', 'backup, nothing to change', A, {'line': 'beta', 'backup': True}),
    ('lineinfile', 'absent and mode', DUP, {'state': 'absent', 'regexp': '^key=', 'mode': '0600'}),
    # blockinfile
    ('blockinfile', 'insert at EOF', A, {'block': 'one\ntwo'}),
    ('blockinfile', 'same block again: unchanged', 'alpha\n# BEGIN ANSIBLE MANAGED BLOCK\none\ntwo\n# END ANSIBLE MANAGED BLOCK\n', {'block': 'one\ntwo'}),
    ('blockinfile', 'replace block content', 'alpha\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nbeta\n', {'block': 'new'}),
    ('blockinfile', 'remove block (state absent)', 'alpha\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nbeta\n', {'state': 'absent'}),
    ('blockinfile', 'empty block removes', 'alpha\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\n', {'block': ''}),
    ('blockinfile', 'absent without block: unchanged', A, {'state': 'absent'}),
    ('blockinfile', 'insertbefore BOF', A, {'block': 'top', 'insertbefore': 'BOF'}),
    ('blockinfile', 'insertafter regex (last match)', DUP, {'block': 'B', 'insertafter': '^key='}),
    ('blockinfile', 'insertbefore regex (last match)', DUP, {'block': 'B', 'insertbefore': '^key='}),
    ('blockinfile', 'insertafter no match: EOF', A, {'block': 'B', 'insertafter': '^nope'}),
    ('blockinfile', 'insertafter multiline regex', A, {'block': 'B', 'insertafter': '(?m)^beta\\ngamma'}),
    ('blockinfile', 'insertbefore multiline regex', A, {'block': 'B', 'insertbefore': '(?m)^beta$'}),
    ('blockinfile', 'custom marker', A, {'block': 'x', 'marker': '// {mark} tend'}),
    ('blockinfile', 'marker_begin and marker_end', A, {'block': 'x', 'marker': '<!-- {mark} -->', 'marker_begin': 'START', 'marker_end': 'STOP'}),
    ('blockinfile', 'marker without {mark}', A, {'block': 'x', 'marker': '# managed'}),
    ('blockinfile', 'content alias, no trailing newline file', NOEOL, {'content': 'x'}),
    ('blockinfile', 'block ending with newline', A, {'block': 'x\n'}),
    ('blockinfile', 'create missing file', None, {'block': 'x', 'create': True}),
    ('blockinfile', 'missing file without create fails', None, {'block': 'x'}),
    ('blockinfile', 'absent on missing file', None, {'state': 'absent'}),
    ('blockinfile', 'empty file', '', {'block': 'x'}),
    ('blockinfile', 'markers in reverse order', '# END ANSIBLE MANAGED BLOCK\nmid\n# BEGIN ANSIBLE MANAGED BLOCK\n', {'block': 'x'}),
    ('blockinfile', 'only a begin marker', '# BEGIN ANSIBLE MANAGED BLOCK\nmid\n', {'block': 'x'}),
    ('blockinfile', 'block moves? no: stays in place', '# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nalpha\n', {'block': 'x', 'insertafter': '^alpha'}),
    ('blockinfile', 'CR line break before insertion', 'a\rb', {'block': 'x'}),
    ('blockinfile', 'check mode', A, {'block': 'x'}, True),
    ('blockinfile', 'mode only', 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n', {'block': 'x', 'mode': '0600'}),
    ('blockinfile', 'block and mode', A, {'block': 'x', 'mode': '0600'}),
    ('blockinfile', 'create with a mode', None, {'block': 'x', 'create': True, 'mode': '0640'}),
    ('blockinfile', 'backup', A, {'block': 'x', 'backup': True}),
    # replace
    ('replace', 'simple replace', 'a=1\nb=1\n', {'regexp': '=1', 'replace': '=2'}),
    ('replace', 'no match', A, {'regexp': 'zzz', 'replace': 'y'}),
    ('replace', 'multiline anchors', A, {'regexp': '^(\\w+)$', 'replace': '<\\1>'}),
    ('replace', 'named groups', 'k: v\n', {'regexp': '(?P<key>\\w+): (?P<val>\\w+)', 'replace': '\\g<val>: \\g<key>'}),
    ('replace', 'replacement equal to match: unchanged', A, {'regexp': 'beta', 'replace': 'beta'}),
    ('replace', 'delete lines', DUP, {'regexp': '^key=.*\\n', 'replace': ''}),
    ('replace', 'after', DUP, {'regexp': '=\\d', 'replace': '=N', 'after': 'key=a'}),
    ('replace', 'before', DUP, {'regexp': '=\\d', 'replace': '=N', 'before': 'key=b'}),
    ('replace', 'after and before', DUP, {'regexp': '=', 'replace': ':', 'after': 'x=1', 'before': 'z='}),
    ('replace', 'after does not match', DUP, {'regexp': '=', 'replace': ':', 'after': 'nope'}),
    ('replace', 'empty matches at line starts', 'a\nb\n', {'regexp': '^', 'replace': '# '}),
    ('replace', 'x* empty matches', 'abxd', {'regexp': 'x*', 'replace': '-'}),
    ('replace', '$ before every newline', 'a\nb', {'regexp': '$', 'replace': ';'}),
    ('replace', '\\Z at the end only', 'a\nb\n', {'regexp': '\\Z', 'replace': 'END'}),
    ('replace', 'Unicode \\w', 'héllo wörld\n', {'regexp': '\\w+', 'replace': 'W'}),
    ('replace', 'dot does not match newline', 'ab\ncd\n', {'regexp': 'b.c', 'replace': 'X'}),
    ('replace', 'DOTALL inline flag', 'ab\ncd\n', {'regexp': '(?s)b.c', 'replace': 'X'}),
    ('replace', 'replace default empty', 'keep drop keep\n', {'regexp': ' drop'}),
    ('replace', 'missing file fails', None, {'regexp': 'a', 'replace': 'b'}),
    ('replace', 'escape in replacement', 'a,b\n', {'regexp': ',', 'replace': '\\t'}),
    ('replace', 'check mode', 'a=1\n', {'regexp': '1', 'replace': '2'}, True),
    ('replace', 'mode only, no match', A, {'regexp': 'zzz', 'mode': '0600'}),
    ('replace', 'replace and mode', A, {'regexp': 'beta', 'replace': 'BETA', 'mode': '0600'}),
    ('replace', 'after finds nothing: mode left alone', A, {'regexp': 'beta', 'after': 'zzz', 'mode': '0600'}),
    ('replace', 'backup', A, {'regexp': 'beta', 'replace': 'B', 'backup': True}),
]

# Python's re itself: (mode, pattern, flags, subject, template-or-None)
REGEX = [
    ('bytes', p, f, s, None) for p, f, s in [
        ('a.c', 0, 'abc\n'), ('a.c', 0, 'a\nc'), ('^b', 0, 'ab'), ('b$', 0, 'ab\n'), ('b$', 0, 'ab\n\n'), ('b\\Z', 0, 'ab\n'),
        ('\\Aa', 0, 'ab'), ('\\bword\\b', 0, 'a word here'), ('\\Bor', 0, 'word'), ('\\d+', 0, 'x 42 y'), ('\\s+', 0, 'a \t\x0bb'),
        ('\\s', 0, 'a\xa0b'), ('\\w+', 0, 'héllo'), ('[^a]', 0, 'aé'), ('[]a]+', 0, 'x]a]'), ('[^]x]', 0, ']]xy'),
        ('a{,2}', 0, 'aaa'), ('a{2,}', 0, 'aaaa'), ('x{', 0, 'x{'), ('{mark}', 0, '# {mark} X'), ('a{1,2', 0, 'a{1,2'),
        ('(?P<n>a)(?P=n)', 0, 'xaa'), ('(a)\\1', 0, 'aa'), ('(?i)ABC', 0, 'xabc'), ('(?x) a b # c', 0, 'ab'),
        ('(?#comment)a', 0, 'a'), ('a(?=b)', 0, 'ab'), ('(?<=a)b', 0, 'ab'), ('(?<!a)b', 0, 'cb'), ('a|b|', 0, 'c'),
        ('[\\w-]+', 0, 'a-b_c!'), ('[\\S]+', 0, 'ab c'), ('[^\\S]', 0, 'ab c'), ('\\x41', 0, 'A'), ('\\101', 0, 'A'),
        ('\\0', 0, 'a\x00'), ('a\\-b', 0, 'a-b'), ('\\.', 0, 'a.b'), ('(?s:a.b)', 0, 'a\nb'), ('(?m:^b)', 0, 'a\nb'),
        ('a*?b', 0, 'aab'), ('(?:ab)+', 0, 'ababx'), ('é', 0, 'café'), ('[é]', 0, '\xa9'), ('caf.', 0, 'café'),
        ('a++', 0, 'aa'), ('(?>a)', 0, 'a'), ('(?(1)a|b)', 0, 'b'), ('(?i:a)b', 0, 'Ab'), ('\\e', 0, 'e'),
        ('(', 0, ''), ('*a', 0, ''), ('a**', 0, ''), ('(?<=a+)b', 0, 'ab'), ('[z-a]', 0, ''), ('\\2(a)', 0, ''),
        ('x(?i)y', 0, ''), ('(a)?\\1', 0, 'b'), ('(?:(a)|b)+', 0, 'ab'), ('\\u0041', 0, 'A'), ('(?L)a', 0, 'a'),
        ('^', re.M, 'a\nb'), ('$', re.M, 'a\nb'), ('^b$', re.M, 'a\r\nb\r\n'),
    ]
] + [
    ('str', p, f, s, t) for p, f, s, t in [
        ('\\w+', re.M, 'héllo wörld', '<\\g<0>>'), ('\\d', re.M, '١٢3', 'D'), ('\\s', re.M, 'a\u2003b\x1cc\ufeffd', '_'),
        ('^', re.M, 'a\nb\n', '# '), ('$', re.M, 'a\nb', ';'), ('x*', re.M, 'abxd', '-'), ('x*?', re.M, 'x', '-'),
        ('(a)|b', re.M, 'ab', '[\\1]'), ('(?P<k>\\w)=', re.M, 'a=b=', '\\g<k>:'), ('.', re.M, 'a\u2028b', 'X'),
        ('\\bé', re.M, 'café é', 'E'), ('(?a)\\w+', re.M, 'héllo', 'W'), ('\\u00e9', re.M, 'é', 'e'), ('\\U0001F600', re.M, '😀x', 'S'),
        ('.', re.M, '😀', '[\\g<0>]'), ('(?i)straße', re.M, 'STRASSE Straße', 'X'), ('a|', re.M, 'bab', '-'),
        ('a', re.M, 'a', '\\1'), ('a', re.M, 'a', '\\q'), ('(a)', re.M, 'a', '\\0\\101\\n\\\\'), ('(a)', re.M, 'a', '\\g<2>'),
        ('b.c', re.M | re.S, 'b\nc', 'X'), ('^$', re.M, '\n\n', 'E'), ('\\Z', re.M, 'a\n', 'Z'),
    ]
]


# Random patterns over the constructs above, with a fixed seed: Python's answers for
# them, compared with tend's translation (which may refuse, naming the construct).
FUZZ_ATOMS = ['(?<=a)', '(?<!b)', '\\1', '[à-ÿ]', '😀', '[^\\d\\s]', '\\x41', '\\101', '\\0', 'A', 'É', '[A-Z]',
              '(?#c)', 'a', 'b', 'é', '.', '\\d', '\\w', '\\s', '\\S', '\\W', '\\b', '\\B', '^', '$', '\\Z',
              '\\A', '[ab]', '[^a]', '[a-c\\d]', '[\\s\\S]', '[^\\W]', '\\n', ' ', '-', '\\.', 'x', '\\t',
              '[]a]', '{', '}']
FUZZ_SUBJECT = 'ab é\n1x-a.b\t{}\n\nbaé9 AÉ😀\x00\u2028\x85\r'


def fuzz_pattern(rng, depth=0):
    out = ''
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.15 and depth < 3:
            kind = rng.choice(['(', '(?:', '(?P<g%d>' % rng.randint(0, 99), '(?=', '(?!'])
            alt = '|' + fuzz_pattern(rng, depth + 1) if rng.random() < 0.3 else ''
            out += kind + fuzz_pattern(rng, depth + 1) + alt + ')'
        else:
            out += rng.choice(FUZZ_ATOMS)
        if rng.random() < 0.25:
            out += rng.choice(['*', '+', '?', '{2}', '{1,2}', '{,2}', '*?', '+?', '??'])
    return out


def fuzz_cases(n, seed=22):
    import random
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        mode = rng.choice(['bytes', 'str'])
        flags = rng.choice([0, re.M, re.S, re.M | re.S, 0])
        pattern = ('(?i)' if rng.random() < 0.2 else '') + fuzz_pattern(rng)
        subject = ''.join(rng.choice(FUZZ_SUBJECT) for _ in range(rng.randint(0, 12)))
        out.append((mode, pattern, flags, subject, None if mode == 'bytes' else '<\\g<0>>'))
    return out


def run_module(module, path, params, check):
    args = dict(params, path=path, _ansible_check_mode=check, _ansible_diff=True)
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, f)
    try:
        out = subprocess.run(['/usr/bin/python3', '-m', 'ansible.modules.' + module, f.name],
                             capture_output=True, text=True, cwd=os.path.dirname(path)).stdout
    finally:
        os.unlink(f.name)
    return json.loads(out)


def record_case(case):
    module, name, initial, params = case[:4]
    check = len(case) > 4 and case[4]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'target')
        if initial is not None:
            with open(path, 'wb') as f:
                f.write(initial.encode('utf-8'))
            os.chmod(path, 0o644)
        result = run_module(module, path, params, check)
        content = None
        mode = None
        if os.path.exists(path):
            with open(path, 'rb') as f:
                content = f.read().decode('utf-8')
            mode = '%04o' % (os.stat(path).st_mode & 0o7777)
    out = {'module': module, 'name': name, 'initial': initial, 'params': params, 'check': check,
           'content': content, 'mode': mode, 'changed': bool(result.get('changed')), 'failed': bool(result.get('failed'))}
    # The temporary path is the case's own: {path} in the message.
    out['msg'] = result.get('msg', '').replace(path, '{path}')
    if result.get('backup') or result.get('backup_file'):
        out['backup'] = True
    return out


def record_regex(mode, pattern, flags, subject, template):
    out = {'mode': mode, 'pattern': pattern, 'multiline': bool(flags & re.M), 'dotall': bool(flags & re.S),
           'subject': subject}
    if template is not None:
        out['template'] = template
    enc = (lambda s: s.encode('utf-8') if mode == 'bytes' else s)
    dec = (lambda b: b.decode('latin1') if mode == 'bytes' else b)
    try:
        r = re.compile(enc(pattern), flags)
        if template is None:
            m = r.search(enc(subject))
            out['match'] = None if m is None else {'span': list(m.span()), 'groups': [None if g is None else dec(g) for g in m.groups()]}
        else:
            res, n = r.subn(enc(template), subject)
            out['result'], out['count'] = res, n
    except (re.error, IndexError) as e:
        out['error'] = str(e)
    return out


def main():
    cases = [record_case(c) for c in CASES]
    with open(os.path.join(HERE, 'cases.json'), 'w') as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write('\n')
    regex = [record_regex(*c) for c in REGEX]
    regex += [dict(record_regex(*c), fuzz=True) for c in fuzz_cases(600)]
    with open(os.path.join(HERE, 'regex.json'), 'w') as f:
        json.dump(regex, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'{len(cases)} module cases, {len(regex)} regex cases')


if __name__ == '__main__':
    main()
