// The template module on a real host (fleet host 29): a Jinja2 template with facts, a
// loop, a condition and a dict rendered with each host's variables; check mode shows the
// diff and changes nothing; apply writes exactly what `tend template` prints locally
// (given the same variables, or with -i/--host the host's own facts, read by one probe),
// with the mode asked for; a second check is converged.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fleetArgs, hostName, onHost, tend } from './helpers.ts';

const HOST = 29;
const DEST = '/etc/tend-template-test.conf';

const TEMPLATE = `# {{ ansible_managed }}
listen {{ port }}
{% for u in users %}
user {{ u.name }}{% if u.admin | default(false) %} admin{% endif %}

{% endfor %}
{% if ansible_distribution == 'Debian' %}
os {{ ansible_distribution }} {{ ansible_distribution_major_version }}
{% else %}
os other
{% endif %}
limits {{ limits | to_json }}
`;

describe('the template module on a real host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-template-e2e-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'app.conf.j2'), TEMPLATE);
  const vars = { port: 8080, users: [{ name: 'ann', admin: true }, { name: 'bob' }], limits: { nofile: 4096, core: 0 } };
  const playbook = join(dir, 'site.yml');
  writeFileSync(playbook, JSON.stringify([{ hosts: 'all', vars, tasks: [{ name: 'app config', template: { src: 'app.conf.j2', dest: DEST, mode: '0640' } }] }], null, 1));
  const args = fleetArgs([HOST]);

  it('check shows the change and writes nothing; apply writes the rendered text; check is then converged', async () => {
    onHost(HOST, `rm -f ${DEST}`);
    const check = await tend(['check', playbook, ...args()]);
    assert.equal(check.code, 2, check.stdout + check.stderr);
    assert.match(check.stdout, /app config/);
    assert.equal(onHost(HOST, `[ -e ${DEST} ] && echo exists || echo absent`).trim(), 'absent');

    const apply = await tend(['apply', playbook, ...args()]);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    const written = onHost(HOST, `cat ${DEST}`);
    assert.match(written, /^# Ansible managed\nlisten 8080\nuser ann admin\nuser bob\nos Debian \d+\nlimits \{"nofile": 4096, "core": 0\}\n$/);
    assert.equal(onHost(HOST, `stat -c %a ${DEST}`).trim(), '640');

    const again = await tend(['check', playbook, ...args()]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it('tend template prints locally what apply wrote, given the same variables and facts', async () => {
    const written = onHost(HOST, `cat ${DEST}`);
    const major = /os Debian (\d+)/.exec(written)![1]!;
    const varsFile = join(dir, 'vars.json');
    writeFileSync(varsFile, JSON.stringify({ ...vars, ansible_distribution: 'Debian', ansible_distribution_major_version: major }));
    const local = await tend(['template', join(dir, 'templates', 'app.conf.j2'), '-e', `@${varsFile}`]);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(local.stdout, written);
  });

  it("tend template with -i and --host reads the host's facts with one probe and prints what apply wrote", async () => {
    const written = onHost(HOST, `cat ${DEST}`);
    const varsFile = join(dir, 'vars-only.json');
    writeFileSync(varsFile, JSON.stringify(vars));
    const local = await tend(['template', join(dir, 'templates', 'app.conf.j2'), '-e', `@${varsFile}`, ...args(), '--host', hostName(HOST)]);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(local.stdout, written);
    assert.equal(local.stderr, '');
  });
});
