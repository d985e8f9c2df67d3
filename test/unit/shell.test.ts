import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { heredoc, lines, quote, sh } from '../../src/shell.ts';

// What /bin/sh makes of a word: the real shell is the oracle.
function shellEcho(script: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${script}`], { encoding: 'utf8' });
}

describe('quote', () => {
  const hostile = ["it's", 'a b', '$(reboot)', '`id`', '"q"', '\\', 'a\nb', '*', '-rf', '', ' ', '${HOME}', '!x', '~', '#x', '# comment', 'a;b', 'a|b', 'a&b', '<x', '>x', '(x)', '{a,b}', '[ab]', '?', 'a\tb', "''", 'x=$y'];
  for (const value of hostile) {
    it(`round-trips ${JSON.stringify(value)} through /bin/sh unchanged`, () => {
      assert.equal(shellEcho(quote(value)), `${value}\n`);
    });
  }
  it('leaves plain words bare, for readable scripts', () => {
    assert.equal(quote('postfix'), 'postfix');
    assert.equal(quote('/etc/postfix/main.cf'), '/etc/postfix/main.cf');
    assert.equal(quote('user@host:1,a=b+c%d_e-f.g'), 'user@host:1,a=b+c%d_e-f.g');
    assert.equal(quote(42), '42');
  });
  it('quotes every word that holds anything else, even where the shell would read it the same', () => {
    // `#` starts a comment only at the start of a word, but a bare `#x` as an argument is
    // gone: the rule is one character set, never a guess about position.
    for (const value of ['#x', 'a#b', '', ' ', '~', '!x', "it's", 'é', 'a\tb']) assert.match(quote(value), /^'.*'$/s, value);
    assert.equal(quote("it's"), `'it'"'"'s'`);
    assert.equal(shellEcho(`a ${quote('#x')} b`), 'a\n#x\nb\n');
  });
  it('refuses NUL, which no shell word can hold', () => {
    assert.throws(() => quote('a\0b'), /a shell word cannot contain a NUL byte/);
  });
});

describe('sh tag', () => {
  it('quotes each value and spreads arrays as separate words', () => {
    const names = ['a b', "c'd"];
    assert.equal(sh`postconf -h ${names}`.text, `postconf -h 'a b' 'c'"'"'d'`);
    assert.equal(shellEcho(sh`${names}`.text), "a b\nc'd\n");
  });
  it('splices already-built shell text unchanged', () => {
    const inner = sh`echo ${'x y'}`;
    assert.equal(sh`${inner} && true`.text, "echo 'x y' && true");
  });
  it('heredoc carries content verbatim, even content holding the marker', () => {
    const content = "line $HOME `id`\nTEND_EOF\nend";
    const out = execFileSync('/bin/sh', ['-c', heredoc(sh`cat`, content).text], { encoding: 'utf8' });
    assert.equal(out, `${content}\n`);
  });
});

describe('the other builders', () => {
  it('lines joins snippets one per line; ShellText prints as its text', () => {
    assert.equal(lines([sh`a ${'x y'}`, sh`b`]).text, "a 'x y'\nb");
    assert.equal(lines([]).text, '');
    assert.equal(`${sh`echo ${'1'}`}`, 'echo 1');
  });
  it('sh with values at either end adds nothing around them', () => {
    assert.equal(sh`${'a b'}`.text, "'a b'");
    assert.equal(sh`${['x', 'y z']}`.text, "x 'y z'");
    assert.equal(sh`${42}`.text, '42');
  });
  it('heredoc ends its body with one newline, whatever the content ends with, and names its marker', () => {
    assert.equal(heredoc(sh`cat`, 'a').text, "cat <<'TEND_EOF'\na\nTEND_EOF");
    assert.equal(heredoc(sh`cat`, '\na\n').text, "cat <<'TEND_EOF'\n\na\nTEND_EOF");
    assert.equal(heredoc(sh`cat`, 'TEND_EOF').text, "cat <<'TEND_EOF_'\nTEND_EOF\nTEND_EOF_");
  });
});
