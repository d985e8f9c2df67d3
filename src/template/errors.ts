// Errors a template can end with. Each carries the class Ansible would report
// (AnsibleUndefinedVariable, AnsibleError, AnsibleFilterError, …) so a caller can say what
// Ansible would have said, and where in the template it happened.

/** The Ansible exception class an error corresponds to (what `ansible-playbook` prints). */
/** What escapes Templar.do_template: Ansible's classes, or Python's (ZeroDivisionError, …) that it lets through. */
export type AnsibleClass = string;

export class TemplateError extends Error {
  /** 1-based line in the template named `template`, when known. */
  line?: number;
  column?: number;
  template?: string;
  constructor(
    message: string,
    readonly ansibleClass: AnsibleClass = 'AnsibleError',
  ) {
    super(message);
  }

  /** The Python exception Jinja2 itself raises (what an expression evaluated alone ends with). */
  get pyClass(): string {
    return 'TemplateError';
  }

  /** Where the error happened, once (the innermost location wins). */
  at(line: number | undefined, template?: string, column?: number): this {
    if (this.line === undefined && line !== undefined) {
      this.line = line;
      this.column = column;
      this.template = template;
    }
    return this;
  }

  /** `name:line:col: message`, as tend prints errors. */
  get located(): string {
    const where = [this.template ?? '<template>', this.line, this.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

/** The template cannot be read (Jinja2's TemplateSyntaxError). */
export class TemplateSyntaxError extends TemplateError {
  constructor(message: string, line?: number, template?: string, column?: number) {
    super(message, 'AnsibleError');
    this.at(line, template, column);
  }
}

/** An undefined value was printed, iterated, compared or otherwise used. */
export class UndefinedError extends TemplateError {
  constructor(message: string) {
    super(message, 'AnsibleUndefinedVariable');
  }
  override get pyClass(): string {
    return 'UndefinedError';
  }
}

/** A limit (iterations, depth, output size) was crossed: never a hang or a crash. */
export class TemplateLimitError extends TemplateError {}

/** Python's TypeError/ValueError inside an operation: Ansible reports these as AnsibleError. */
export class PyError extends TemplateError {
  constructor(
    private readonly python: string,
    message: string,
    ansibleClass?: AnsibleClass,
  ) {
    // Ansible wraps a TypeError into AnsibleError; other Python errors pass through as they are.
    super(message, ansibleClass ?? (python === 'TypeError' ? 'AnsibleError' : python));
  }
  override get pyClass(): string {
    return this.python;
  }
}

export const typeError = (message: string) => new PyError('TypeError', message);
export const valueError = (message: string) => new PyError('ValueError', message);
export const filterError = (message: string) => new PyError('AnsibleFilterError', message, 'AnsibleFilterError');
