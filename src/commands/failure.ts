// What a command that threw exits with, and says: bad input is exit 8 with the location
// and a sentence (never a stack), commander's own complaints are 8 too (its --help and
// --version are 0), and anything else is a bug, shown whole, exit 1.
import chalk from 'chalk';
import { InputError, InputErrors } from '../errors.ts';

export function failure(e: unknown): { status: number; message: string } {
  if (e instanceof InputError || e instanceof InputErrors) {
    return { status: 8, message: chalk.red(`tend: ${e instanceof InputError ? e.format() : e.message.replaceAll('\n', '\ntend: ')}`) };
  }
  if (e && typeof e === 'object' && 'exitCode' in e && (e as { code?: string }).code?.startsWith('commander.')) {
    // commander has printed what it had to say already.
    return { status: (e as { exitCode: number }).exitCode === 0 ? 0 : 8, message: '' };
  }
  return { status: 1, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
