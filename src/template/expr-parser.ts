// Expressions, with Jinja2's precedence, loosest first:
//   x if c else y │ or │ and │ not │ == != < > <= >= in, not in (chained) │ + - │ ~ │
//   * / // % │ ** │ unary - + │ then postfix: .attr [key] [a:b:c] (call) │ | filter, is test
// Filters and tests bind tighter than any operator: `a + b | int` is `a + (b | int)` and
// `-x | abs` is `(-x) | abs`, as Jinja2 parses them.
// Nesting is bounded (brackets, calls, unary operators) so neither this recursive parser
// nor the recursive evaluator can exhaust the stack.
import type { Args, Expr } from './ast.ts';
import { TemplateSyntaxError } from './errors.ts';
import type { Token } from './lexer.ts';
import { float } from './values.ts';

export const MAX_NESTING = 100;
/** Operators chained in one expression (`a + b + …`, `x | f | g …`, `a.b.c…`). */
export const MAX_CHAIN = 1000;

const TOKEN_DESCRIPTIONS: Record<string, string> = {
  var_end: 'end of print statement',
  block_end: 'end of statement block',
  eof: 'end of template',
};
const describe = (t: Token) => TOKEN_DESCRIPTIONS[t.type] ?? t.value;

export class ExprParser {
  protected pos = 0;
  private depth = 0;
  private readonly heights = new WeakMap<Expr, number>();

  constructor(
    protected readonly tokens: Token[],
    protected readonly name?: string,
  ) {}

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  protected fail(msg: string, t: Token = this.peek()): never {
    throw new TemplateSyntaxError(msg, t.line, this.name, t.col);
  }

  protected expectEnd(type: 'var_end' | 'block_end', what: string): void {
    const t = this.peek();
    if (t.type === type) {
      this.pos++;
      return;
    }
    if (t.type === 'eof') this.fail(`unexpected end of template, expected '${what}'.`, t);
    this.fail(`expected token '${what}', got '${describe(t)}'`, t);
  }

  protected isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.value === value;
  }

  protected skipOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.pos++;
    return true;
  }

  protected expectOp(value: string): void {
    if (!this.skipOp(value)) {
      const t = this.peek();
      if (t.type === 'eof') this.fail(`unexpected end of template, expected '${value}'.`, t);
      this.fail(`expected token '${value}', got '${describe(t)}'`, t);
    }
  }

  protected isName(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'name' && t.value === value;
  }

  protected skipName(value: string): boolean {
    if (!this.isName(value)) return false;
    this.pos++;
    return true;
  }

  protected expectName(value: string): void {
    if (!this.skipName(value)) this.fail(`expected token '${value}', got '${describe(this.peek())}'`);
  }

  protected expectNameToken(): string {
    const t = this.peek();
    if (t.type !== 'name') this.fail(`expected token 'name', got '${describe(t)}'`, t);
    this.pos++;
    return t.value;
  }

  /** A node, refused when it stands on a chain of more operators than MAX_CHAIN. */
  protected chained<E extends Expr>(node: E, ...children: (Expr | null)[]): E {
    let h = 0;
    for (const c of children) if (c) h = Math.max(h, this.heights.get(c) ?? 1);
    if (h + 1 > MAX_CHAIN) this.fail(`more than ${MAX_CHAIN} operators chained in one expression (the limit)`);
    this.heights.set(node, h + 1);
    return node;
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`expression nested more than ${MAX_NESTING} levels (the limit)`);
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  /** An expression or a tuple without parentheses (`{{ a, b }}`, `for k, v in …`). */
  parseTuple(withCondexpr = true, simplified = false, extraEnd: string[] = []): Expr {
    const line = this.peek().line;
    const items: Expr[] = [];
    let isTuple = false;
    const atEnd = () => {
      const t = this.peek();
      if (t.type === 'var_end' || t.type === 'block_end' || t.type === 'eof' || this.isOp(')')) return true;
      return extraEnd.some((r) => r === `name:${t.value}` && t.type === 'name');
    };
    for (;;) {
      if (items.length) this.expectOp(',');
      if (atEnd()) break;
      items.push(simplified ? this.parsePrimary() : this.parseExpression(withCondexpr));
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items.length) return items[0]!;
      this.fail(`Expected an expression, got '${describe(this.peek())}'`);
    }
    return { k: 'tuple', items, line };
  }

  private parseCondexpr(): Expr {
    const line = this.peek().line;
    let expr = this.parseOr();
    while (this.skipName('if')) {
      const test = this.parseOr();
      const otherwise = this.skipName('else') ? this.parseCondexpr() : null;
      expr = { k: 'cond', test, then: expr, else: otherwise, line };
    }
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      const line = this.tokens[this.pos++]!.line;
      const right = this.parseAnd();
      left = this.chained({ k: 'or', left, right, line }, left, right);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      const line = this.tokens[this.pos++]!.line;
      const right = this.parseNot();
      left = this.chained({ k: 'and', left, right, line }, left, right);
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const line = this.tokens[this.pos++]!.line;
      return { k: 'not', node: this.nested(() => this.parseNot()), line };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const line = this.peek().line;
    const first = this.parseMath1();
    const ops: { op: string; expr: Expr }[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.value)) {
        this.pos++;
        ops.push({ op: t.value, expr: this.parseMath1() });
      } else if (this.isName('in')) {
        this.pos++;
        ops.push({ op: 'in', expr: this.parseMath1() });
      } else if (this.isName('not') && this.isName('in', 1)) {
        this.pos += 2;
        ops.push({ op: 'notin', expr: this.parseMath1() });
      } else break;
    }
    return ops.length ? this.chained({ k: 'compare', first, ops, line }, first, ...ops.map((o) => o.expr)) : first;
  }

  private binary(next: () => Expr, ops: string[]): Expr {
    let left = next();
    while (this.peek().type === 'op' && ops.includes(this.peek().value)) {
      const t = this.tokens[this.pos++]!;
      const right = next();
      left = this.chained({ k: 'binop', op: t.value, left, right, line: t.line }, left, right);
    }
    return left;
  }

  private parseMath1(): Expr {
    return this.binary(() => this.parseConcat(), ['+', '-']);
  }

  private parseConcat(): Expr {
    return this.binary(() => this.parseMath2(), ['~']);
  }

  private parseMath2(): Expr {
    return this.binary(() => this.parsePow(), ['*', '/', '//', '%']);
  }

  private parsePow(): Expr {
    return this.binary(() => this.parseUnary(), ['**']);
  }

  private parseUnary(withFilter = true): Expr {
    const t = this.peek();
    let node: Expr;
    if (t.type === 'op' && (t.value === '-' || t.value === '+')) {
      this.pos++;
      const operand = this.nested(() => this.parseUnary(false));
      node = { k: t.value === '-' ? 'neg' : 'pos', node: operand, line: t.line };
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  protected parsePrimary(): Expr {
    const t = this.peek();
    const line = t.line;
    this.pos++;
    switch (t.type) {
      case 'name':
        if (t.value === 'true' || t.value === 'True') return { k: 'const', value: true, line };
        if (t.value === 'false' || t.value === 'False') return { k: 'const', value: false, line };
        if (t.value === 'none' || t.value === 'None') return { k: 'const', value: null, line };
        return { k: 'name', name: t.value, line };
      case 'string': {
        // Adjacent literals join, as in Python.
        let value = t.parsed as string;
        while (this.peek().type === 'string') value += this.tokens[this.pos++]!.parsed as string;
        return { k: 'const', value, line };
      }
      case 'integer':
      case 'float':
        return { k: 'const', value: t.type === 'float' ? float(t.parsed as number) : t.parsed, line };
      case 'op':
        if (t.value === '(') {
          return this.nested(() => {
            if (this.skipOp(')')) return { k: 'tuple', items: [], line };
            const inner = this.parseTuple(true, false);
            this.expectOp(')');
            return inner;
          });
        }
        if (t.value === '[') return this.nested(() => ({ k: 'list', items: this.items(']', () => this.parseExpression()), line }));
        if (t.value === '{') {
          return this.nested(() => ({
            k: 'dict',
            items: this.items('}', () => {
              const key = this.parseExpression();
              this.expectOp(':');
              return [key, this.parseExpression()] as [Expr, Expr];
            }),
            line,
          }));
        }
    }
    this.pos--;
    if (t.type === 'eof' || t.type === 'var_end' || t.type === 'block_end') this.fail(`Expected an expression, got '${describe(t)}'`, t);
    return this.fail(`unexpected '${describe(t)}'`, t);
  }

  private items<T>(close: string, read: () => T): T[] {
    const out: T[] = [];
    while (!this.skipOp(close)) {
      if (out.length) {
        this.expectOp(',');
        if (this.skipOp(close)) break;
      }
      out.push(read());
    }
    return out;
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op') return node;
      if (t.value === '.') {
        this.pos++;
        const attr = this.peek();
        this.pos++;
        if (attr.type === 'name') node = this.chained({ k: 'getattr', node, attr: attr.value, line: t.line }, node);
        else if (attr.type === 'integer') node = this.chained({ k: 'getitem', node, arg: { k: 'const', value: attr.parsed, line: t.line }, line: t.line }, node);
        else this.fail('expected name or number', attr);
      } else if (t.value === '[') {
        this.pos++;
        const inner = node;
        node = this.chained(this.nested(() => this.parseSubscript(inner, t.line)), inner);
      } else if (t.value === '(') {
        const callee = node;
        node = this.chained(this.nested(() => ({ k: 'call', node: callee, args: this.parseArgs(), line: t.line })), callee);
      } else return node;
    }
  }

  private parseSubscript(node: Expr, line: number): Expr {
    const part = (): Expr | null => (this.isOp(':') || this.isOp(']') ? null : this.parseExpression());
    const args: Expr[] = [];
    while (!this.skipOp(']')) {
      if (args.length) this.expectOp(',');
      const start = part();
      if (!this.isOp(':')) {
        args.push(start!);
        continue;
      }
      this.pos++;
      const stop = part();
      let step: Expr | null = null;
      if (this.skipOp(':')) step = part();
      args.push({ k: 'slice', start, stop, step, line });
    }
    if (args.length === 0) this.fail('expected subscript expression');
    const arg: Expr = args.length === 1 ? args[0]! : { k: 'tuple', items: args, line };
    return { k: 'getitem', node, arg, line };
  }

  protected parseArgs(): Args {
    this.expectOp('(');
    const a: Args = { args: [], kwargs: [], star: null, starstar: null };
    let first = true;
    while (!this.skipOp(')')) {
      if (!first) {
        this.expectOp(',');
        if (this.skipOp(')')) break;
      }
      first = false;
      if (this.skipOp('**')) a.starstar = this.parseExpression();
      else if (this.skipOp('*')) a.star = this.parseExpression();
      else if (this.peek().type === 'name' && this.isOp('=', 1)) {
        const key = this.tokens[this.pos]!.value;
        this.pos += 2;
        a.kwargs.push([key, this.parseExpression()]);
      } else {
        if (a.kwargs.length) this.fail('positional argument follows keyword argument');
        a.args.push(this.parseExpression());
      }
    }
    return a;
  }

  /** A filter or test name, dotted for collections: ansible.builtin.to_json. */
  private dottedName(): string {
    let name = this.expectNameToken();
    while (this.isOp('.') && this.peek(1).type === 'name') {
      this.pos++;
      name += `.${this.expectNameToken()}`;
    }
    return name;
  }

  /** `| f(…) | g` after `node` (null: a filter block's chain, applied to its body). */
  protected parseFilterChain(node: Expr | null, startsWithName = false): Expr {
    let first = startsWithName;
    while (first || this.isOp('|')) {
      if (!first) this.pos++;
      first = false;
      const line = this.peek().line;
      const name = this.dottedName();
      const args = this.isOp('(') ? this.parseArgs() : { args: [], kwargs: [], star: null, starstar: null };
      node = this.chained({ k: 'filter', node: node as Expr, name, args, line }, node);
    }
    return node as Expr;
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilterChain(node);
      else if (this.isName('is')) {
        const line = this.tokens[this.pos++]!.line;
        const negated = this.skipName('not');
        const name = this.dottedName();
        let args: Args = { args: [], kwargs: [], star: null, starstar: null };
        const t = this.peek();
        if (this.isOp('(')) args = this.parseArgs();
        else if (
          ['name', 'string', 'integer', 'float'].includes(t.type) || (t.type === 'op' && ['[', '{', '('].includes(t.value))
        ) {
          if (!(t.type === 'name' && ['else', 'or', 'and'].includes(t.value))) {
            if (t.type === 'name' && t.value === 'is') this.fail('You cannot chain multiple tests with is');
            args.args.push(this.parsePostfix(this.parsePrimary()));
          }
        }
        node = this.chained({ k: 'test', node, name, args, negated, line }, node);
      } else if (this.isOp('(')) {
        const line = this.peek().line;
        node = this.chained({ k: 'call', node, args: this.parseArgs(), line }, node);
      } else return node;
    }
  }
}
