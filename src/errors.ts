// Errors a user can fix: they carry a location and a sentence, and are printed without
// a stack. Anything else that escapes is a bug and prints one.

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export class InputError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'InputError';
  }

  format(): string {
    const where = this.location ? `${this.location.file}:${this.location.line}:${this.location.col}: ` : '';
    return `${where}${this.message}`;
  }
}

/** Several input errors found in one pass, so a user fixes them all at once. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'InputErrors';
  }
}

export function throwIfAny(errors: InputError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}
