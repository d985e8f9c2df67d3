// Shapes of values that reach a command line, shared by the modules' schemas. Quoting
// keeps a value one word; these rules keep the word meaning what the module intends:
// never an option (a leading `-`), never a second line of a line-based format (a
// newline in a chpasswd or debconf-set-selections line, or in a probe's output), never
// a NUL (which no shell word can hold).
import { z } from 'zod';

const LINE_BREAK_OR_NUL = /[\n\r\0]/;

/** One line of text: no newline, carriage return or NUL. */
export const oneLine = z.string().refine((v) => !LINE_BREAK_OR_NUL.test(v), 'one line (no newline, carriage return or NUL)');

/** An absolute path on the host, on one line. */
export const absolutePath = z
  .string()
  .regex(/^\//, 'an absolute path (starting with /)')
  .refine((v) => !LINE_BREAK_OR_NUL.test(v), 'a path without newline, carriage return or NUL');
