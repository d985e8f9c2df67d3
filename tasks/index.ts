// The registry of task modules: a module is known by the file that defines it.
import type { TaskModule } from '../src/engine/task.ts';
import apt from './apt.ts';
import aptRepository from './apt-repository.ts';
import command from './command.ts';
import cron from './cron.ts';
import debconf from './debconf.ts';
import directory from './directory.ts';
import file from './file.ts';
import group from './group.ts';
import sysctl from './sysctl.ts';
import link from './link.ts';
import openssl from './openssl.ts';
import postconf from './postconf.ts';
import service from './service.ts';
import user from './user.ts';

export const modules: ReadonlyMap<string, TaskModule> = new Map(
  ([apt, aptRepository, command, cron, debconf, directory, file, group, link, openssl, postconf, service, sysctl, user] as TaskModule[]).map((m) => [m.name, m]),
);
