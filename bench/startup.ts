// npm run bench:startup [-- --runs 15]: how long tend takes to start, paired against bare
// Node. Runs the bundle (npm run build first, as an installed package runs it), each
// command alternating with `node -e 0`, and prints medians of wall and CPU time and the
// ratio of each pair, so a busy machine moves both sides alike. Not a test: it measures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error('bench:startup needs GNU time (apt-get install time)');
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

const COMMANDS: [string, string[]][] = [
  ['tend --help', ['bin/tend.js', '--help']],
  ['tend validate (seed)', ['bin/tend.js', 'validate', 'playbooks/postfix-sasl-tls.yml']],
  ['tend modules', ['bin/tend.js', 'modules']],
];
const BARE = ['-e', '0'];

/** Wall and CPU seconds of one `node ARGS` process, from GNU time. */
function timed(args: string[]): { wall: number; cpu: number } {
  const r = spawnSync(TIME, ['-f', '%e %U %S', process.execPath, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [wall, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`start-up, ${runs} pairs each, medians (wall s / cpu s), against node -e 0 in the same pairs`);
for (const [label, args] of COMMANDS) {
  timed(args); // warm the page cache
  const a: { wall: number; cpu: number }[] = [];
  const b: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timed(args));
    b.push(timed(BARE));
  }
  const wall = median(a.map((x) => x.wall));
  const cpu = median(a.map((x) => x.cpu));
  const ratio = median(a.map((x, i) => x.wall / Math.max(b[i]!.wall, 0.01)));
  console.log(`${label.padEnd(22)} ${wall.toFixed(2)} / ${cpu.toFixed(2)}   node -e 0: ${median(b.map((x) => x.wall)).toFixed(2)} / ${median(b.map((x) => x.cpu)).toFixed(2)}   ratio (wall) ${ratio.toFixed(2)}`);
}
