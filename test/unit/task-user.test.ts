// The wrapper that runs a task's scripts as its become user: the script reaches the other
// user's shell on stdin (a here-document), never as an argument. Checked by shape, and by
// running the wrapped scripts in /bin/sh with `runuser` and `sudo` replaced by functions
// that record their arguments and then do what the real tools do (start the shell).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { probeBatch } from '../../src/engine/batch.ts';
import { wrapperFor } from '../../src/engine/task-user.ts';
import type { TaskSpec } from '../../src/playbook/plays.ts';
import { sh, ShellText } from '../../src/shell.ts';

const SECRET = "s3cret 'quoted' $HOME `id`";
const spec = (extra: Partial<TaskSpec>) => ({ become: true, becomeUser: 'nobody', ...extra }) as TaskSpec;
const noVars = () => undefined;

/** Runs `script` in /bin/sh where runuser and sudo record their argv (one word a line) in $REC, then run the command they were given. */
function runWithRecorders(script: string, stdin = ''): { stdout: string; argv: string } {
  const rec = execFileSync('mktemp', { encoding: 'utf8' }).trim();
  const recorders = `runuser() { printf '%s\\n' runuser "$@" >> ${rec}; shift 3; "$@"; }
sudo() { printf '%s\\n' sudo "$@" >> ${rec}; shift 4; "$@"; }
`;
  const stdout = execFileSync('/bin/sh', ['-c', recorders + script], { encoding: 'utf8', input: stdin });
  return { stdout, argv: execFileSync('cat', [rec], { encoding: 'utf8' }) };
}

describe('task wrapper: become_user', () => {
  it('as root: runuser starts /bin/sh -s and the script, environment included, follows as a here-document', () => {
    const wrap = wrapperFor(spec({ environment: { TOKEN: SECRET } }), false, 'root', 'root', noVars)!;
    const text = wrap('echo "$TOKEN"; id -un >/dev/null');
    const [first, ...rest] = text.split('\n');
    assert.equal(first, "runuser -u nobody -- /bin/sh -s <<'TEND_EOF'");
    assert.equal(rest.at(-1), 'TEND_EOF');
    assert.ok(rest.join('\n').includes("export TOKEN='s3cret '"));
    const { stdout, argv } = runWithRecorders(text);
    assert.equal(stdout, `${SECRET}\n`);
    assert.equal(argv, 'runuser\n-u\nnobody\n--\n/bin/sh\n-s\n');
  });

  it('as an unprivileged login user: sudo -n, the same way', () => {
    const wrap = wrapperFor(spec({}), false, 'deploy', 'deploy', noVars)!;
    const text = wrap(`echo ${SECRET.replaceAll(/[^a-z0-9]/g, '')}`);
    assert.equal(text.split('\n')[0], "sudo -n -u nobody -- /bin/sh -s <<'TEND_EOF'");
    const { stdout, argv } = runWithRecorders(text);
    assert.equal(stdout, 's3cretquotedid\n');
    assert.equal(argv, 'sudo\n-n\n-u\nnobody\n--\n/bin/sh\n-s\n');
  });

  it('a script that holds here-documents of its own (even one ending TEND_EOF) arrives whole', () => {
    const wrap = wrapperFor(spec({}), false, 'root', 'root', noVars)!;
    const inner = "cat <<'TEND_EOF'\nline one\nTEND_EOF\necho after";
    const text = wrap(inner);
    assert.match(text.split('\n')[0]!, /^runuser -u nobody -- \/bin\/sh -s <<'TEND_EOF_+'$/);
    assert.equal(runWithRecorders(text).stdout, 'line one\nafter\n');
  });

  it('inside a probe batch (each snippet in a subshell), wrapped probes read back in order', () => {
    const wrap = wrapperFor(spec({ environment: { TOKEN: SECRET } }), false, 'root', 'root', noVars)!;
    const batch = probeBatch([new ShellText(wrap('echo "first $TOKEN"')), sh`echo plain`, new ShellText(wrap('echo third; exit 3'))], 'tok');
    const { stdout, argv } = runWithRecorders(batch.script.text);
    const [a, b, c] = batch.parse(Buffer.from(stdout));
    assert.deepEqual([a!.stdout, a!.code, b!.stdout, c!.stdout, c!.code], [`first ${SECRET}\n`, 0, 'plain\n', 'third\n', 3]);
    assert.ok(!argv.includes('s3cret') && !argv.includes('echo'), argv);
  });

  it('a script whose stdin is a streamed file keeps sh -c (its stdin is the data)', () => {
    const wrap = wrapperFor(spec({}), false, 'root', 'root', noVars)!;
    const text = wrap('cat > /dev/null; echo got', true);
    assert.equal(text, "runuser -u nobody -- /bin/sh -c 'cat > /dev/null; echo got'");
    assert.equal(runWithRecorders(text, 'file bytes').stdout, 'got\n');
  });

  it('no other user and no environment: no wrapper; environment alone: exports, no user switch', () => {
    assert.equal(wrapperFor(spec({ become: false }), false, 'root', 'root', noVars), undefined);
    const wrap = wrapperFor(spec({ become: false, environment: { A: 'x y' } }), false, 'root', 'root', noVars)!;
    assert.equal(wrap('echo $A'), "export A='x y'\necho $A");
  });
});
