import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isContainerName, isImageReference } from '../../src/transport/container-refs.ts';
import { checkContainerHosts, execPrefix } from '../../src/transport/exec.ts';
import { InputError } from '../../src/errors.ts';
import type { Host } from '../../src/inventory/index.ts';

describe('image references and container names, in the engine’s grammar', () => {
  it('accepts what docker accepts', () => {
    for (const ok of [
      'debian',
      'debian:12',
      'tend-debian:12',
      'library/debian:bookworm-slim',
      'docker.io/library/debian:12',
      'registry.example.com:5000/team/app:v1.2_3',
      'localhost/app',
      '[::1]:5000/app:latest',
      'app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'a__b/c--d.e',
    ]) {
      assert.ok(isImageReference(ok), ok);
    }
  });

  it('refuses options, upper case names, empty parts, spaces and over-long tags', () => {
    for (const bad of [
      '--volume=/:/host',
      '-v',
      '--privileged',
      '',
      'Debian:12',
      'debian:',
      'debian::12',
      '/debian',
      'debian/',
      'deb ian',
      'debian:12 --privileged',
      'debian\n',
      `debian:${'x'.repeat(129)}`,
      'app@sha256:short',
      '.hidden',
      'a___b',
    ]) {
      assert.equal(isImageReference(bad), false, JSON.stringify(bad));
    }
  });

  it('container names: a letter or digit first, then letters, digits, _ . -', () => {
    for (const ok of ['box', 'tend-smoke-1a2b3c-1', 'a', 'B_2.x-y', '0123abcd']) assert.ok(isContainerName(ok), ok);
    for (const bad of ['--privileged', '-d', '', '.x', '_x', 'a b', 'a/b', 'a:b', 'x\n']) assert.equal(isContainerName(bad), false, JSON.stringify(bad));
  });

  it('docker and podman get `--` before the container', () => {
    assert.deepEqual(execPrefix('docker', 'box'), ['docker', 'exec', '-i', '--', 'box']);
    assert.deepEqual(execPrefix('podman', 'box'), ['podman', 'exec', '-i', '--', 'box']);
  });

  it('a container host whose address is an option is an input error at its place', () => {
    const host = (name: string, connection: Host['connection'], address: string): Host =>
      ({ name, connection, address, port: 22, user: 'root', groups: [], vars: {}, location: { file: 'inv.yml', line: 3, col: 5 } }) as unknown as Host;
    assert.doesNotThrow(() => checkContainerHosts([host('a', 'docker', 'box'), host('b', 'ssh', '--not-a-container')]));
    assert.throws(
      () => checkContainerHosts([host('a', 'podman', '--privileged')]),
      (e: unknown) => e instanceof InputError && e.format() === "inv.yml:3:5: host 'a': ansible_host '--privileged' is not a container name for podman: a letter or digit, then letters, digits, _ . or - (a container name or id)",
    );
  });
});
