// The syntax tree of a template: expressions (Expr) and statements (Stmt), each with the
// line it starts on, for error messages.

export type Expr =
  | { k: 'const'; value: unknown; line: number }
  | { k: 'name'; name: string; line: number }
  | { k: 'getattr'; node: Expr; attr: string; line: number }
  | { k: 'getitem'; node: Expr; arg: Expr; line: number }
  | { k: 'slice'; start: Expr | null; stop: Expr | null; step: Expr | null; line: number }
  | { k: 'call'; node: Expr; args: Args; line: number }
  | { k: 'filter'; node: Expr | null; name: string; args: Args; line: number }
  | { k: 'test'; node: Expr; name: string; args: Args; negated: boolean; line: number }
  | { k: 'binop'; op: string; left: Expr; right: Expr; line: number }
  | { k: 'compare'; first: Expr; ops: { op: string; expr: Expr }[]; line: number }
  | { k: 'and' | 'or'; left: Expr; right: Expr; line: number }
  | { k: 'not' | 'neg' | 'pos'; node: Expr; line: number }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr | null; line: number }
  | { k: 'list' | 'tuple'; items: Expr[]; line: number }
  | { k: 'dict'; items: [Expr, Expr][]; line: number };

export interface Args {
  args: Expr[];
  kwargs: [string, Expr][];
  star: Expr | null;
  starstar: Expr | null;
}

/** What `set`, `for` and `with` assign to: a name, a namespace attribute, or a tuple of names. */
export type Target = { k: 'name'; name: string } | { k: 'nsattr'; name: string; attr: string } | { k: 'tuple'; items: Target[] };

export interface MacroDef {
  name: string;
  params: string[];
  defaults: Expr[];
  body: Stmt[];
  line: number;
}

export type Stmt =
  | { k: 'data'; text: string; line: number }
  | { k: 'output'; expr: Expr; line: number; col?: number }
  | { k: 'if'; branches: { test: Expr; body: Stmt[] }[]; else: Stmt[]; line: number }
  | { k: 'for'; target: Target; iter: Expr; filter: Expr | null; recursive: boolean; body: Stmt[]; else: Stmt[]; line: number }
  | { k: 'set'; target: Target; expr: Expr; line: number }
  | { k: 'setblock'; target: Target; filters: Expr | null; body: Stmt[]; line: number }
  | { k: 'macro'; def: MacroDef; line: number }
  | { k: 'callblock'; call: Expr; def: MacroDef; line: number }
  | { k: 'filterblock'; filters: Expr; body: Stmt[]; line: number }
  | { k: 'with'; targets: Target[]; values: Expr[]; body: Stmt[]; line: number }
  | { k: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean; line: number }
  | { k: 'import'; template: Expr; target: string; withContext: boolean; line: number }
  | { k: 'fromimport'; template: Expr; names: [string, string][]; withContext: boolean; line: number }
  | { k: 'extends'; template: Expr; line: number }
  | { k: 'block'; name: string; body: Stmt[]; scoped: boolean; required: boolean; line: number };
