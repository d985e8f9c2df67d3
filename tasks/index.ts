// The registry of task modules, grouped as Ansible groups them: one file per module,
// named as the module is, in the folder of its collection (builtin/: ansible.builtin,
// posix/: ansible.posix, tend/: tend's own, which Ansible has no module for). A new
// module is a file there and a line here.
import { ModuleRegistry } from '../src/module.ts';
import apt from './builtin/apt.ts';
import aptRepository from './builtin/apt_repository.ts';
import blockinfile from './builtin/blockinfile.ts';
import command from './builtin/command.ts';
import copy from './builtin/copy.ts';
import cron from './builtin/cron.ts';
import debconf from './builtin/debconf.ts';
import file from './builtin/file.ts';
import group from './builtin/group.ts';
import lineinfile from './builtin/lineinfile.ts';
import pkg from './builtin/package.ts';
import replace from './builtin/replace.ts';
import service from './builtin/service.ts';
import shell from './builtin/shell.ts';
import slurp from './builtin/slurp.ts';
import stat from './builtin/stat.ts';
import systemd, { systemdService } from './builtin/systemd.ts';
import template from './builtin/template.ts';
import user from './builtin/user.ts';
import sysctl from './posix/sysctl.ts';
import openssl from './tend/openssl.ts';
import postconf from './tend/postconf.ts';

export const modules = new ModuleRegistry({
  'ansible.builtin': [apt, aptRepository, blockinfile, command, copy, cron, debconf, file, group, lineinfile, pkg, replace, service, shell, slurp, stat, systemd, systemdService, template, user],
  'ansible.posix': [sysctl],
  tend: [openssl, postconf],
});
