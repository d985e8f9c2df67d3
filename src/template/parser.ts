// Statements: the tokens of a template (lexer.ts) into a tree of Stmt (ast.ts). Expressions
// are read by ExprParser (expr-parser.ts), which this extends. Tags are those Jinja2 has
// without extensions, as Ansible 2.14 configures it: no `do`, `break` or `continue`
// (the oracle says "Encountered unknown tag 'break'").
import type { Expr, MacroDef, Stmt, Target } from './ast.ts';
import { TemplateSyntaxError } from './errors.ts';
import { ExprParser, MAX_NESTING } from './expr-parser.ts';
import type { Token } from './lexer.ts';

export class Parser extends ExprParser {
  /** The blocks open around the tag being read, innermost last (for messages). */
  private readonly open: { tag: string; ends: string[] }[] = [];

  constructor(tokens: Token[], name?: string) {
    super(tokens, name);
  }

  parseTemplate(): Stmt[] {
    return this.subparse([]);
  }

  /** Statements up to one of `ends` (a `{% name` whose name is in ends; left unconsumed). */
  private subparse(ends: string[]): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'data') {
        this.pos++;
        body.push({ k: 'data', text: t.value, line: t.line });
      } else if (t.type === 'var_begin') {
        this.pos++;
        const expr = this.parseTuple(true, false);
        this.expectEnd('var_end', 'end of print statement');
        body.push({ k: 'output', expr, line: t.line, col: t.col });
      } else if (t.type === 'block_begin') {
        const name = this.peek(1);
        if (name.type === 'name' && ends.includes(name.value)) return body;
        this.pos++;
        const stmt = this.statement();
        if (stmt) body.push(stmt);
      } else if (t.type === 'eof') {
        if (ends.length === 0) return body;
        this.failEnd(null, t);
      } else this.fail(`unexpected '${t.value}'`, t);
    }
  }

  private failEnd(tag: string | null, t: Token): never {
    let msg = tag === null ? 'Unexpected end of template.' : `Encountered unknown tag '${tag}'.`;
    const inner = this.open[this.open.length - 1];
    if (inner) {
      const looking = this.open[this.open.length - 1]!.ends.map((e) => `'${e}'`).join(' or ');
      msg += ` Jinja was looking for the following tags: ${looking}. The innermost block that needs to be closed is '${inner.tag}'.`;
    }
    return this.fail(msg, t);
  }

  /** Reads `{% tag … %}` after its `{%`. */
  private statement(): Stmt | null {
    const t = this.peek();
    if (t.type !== 'name') this.fail('tag name expected', t);
    this.pos++;
    switch (t.value) {
      case 'if':
        return this.parseIf(t);
      case 'for':
        return this.parseFor(t);
      case 'set':
        return this.parseSet(t);
      case 'macro':
        return this.parseMacro(t);
      case 'call':
        return this.parseCallBlock(t);
      case 'filter':
        return this.parseFilterBlock(t);
      case 'with':
        return this.parseWith(t);
      case 'include':
        return this.parseInclude(t);
      case 'import':
        return this.parseImport(t);
      case 'from':
        return this.parseFrom(t);
      case 'extends': {
        const template = this.parseExpression();
        this.blockEnd();
        return { k: 'extends', template, line: t.line };
      }
      case 'block':
        return this.parseBlock(t);
      case 'autoescape': {
        // Ansible never autoescapes; the tag only scopes the setting, so its body is kept.
        this.parseExpression();
        this.blockEnd();
        const body = this.body('autoescape', ['endautoescape']);
        return { k: 'with', targets: [], values: [], body, line: t.line };
      }
      default:
        this.pos--;
        return this.failEnd(t.value, t);
    }
  }

  private blockEnd(): void {
    this.expectEnd('block_end', 'end of statement block');
  }

  /** A tag's body up to one of `ends`, consuming the end tag `{% end… %}` itself. */
  private body(tag: string, ends: string[], consumeEnd = true): Stmt[] {
    this.blockEnd();
    if (this.open.length >= MAX_NESTING) this.fail(`blocks nested more than ${MAX_NESTING} deep (the limit)`);
    this.open.push({ tag, ends });
    const body = this.subparse(ends);
    this.open.pop();
    if (consumeEnd) {
      this.pos += 2; // {% and the end tag's name
      if (this.peek().type === 'name' && this.peek().value === tag) this.pos++; // {% endblock name %}
      this.blockEnd();
    }
    return body;
  }

  /** The name of the end tag `subparse` stopped at, consumed with its `{%`. */
  private endTag(): string {
    this.pos++;
    return this.tokens[this.pos++]!.value;
  }

  private parseIf(t: Token): Stmt {
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let test = this.parseTuple(false, false);
    let elseBody: Stmt[] = [];
    for (;;) {
      const body = this.body('if', ['elif', 'else', 'endif'], false);
      branches.push({ test, body });
      const end = this.endTag();
      if (end === 'elif') {
        test = this.parseTuple(false, false);
        continue;
      }
      if (end === 'else') {
        elseBody = this.body('if', ['endif']);
      } else this.blockEnd();
      return { k: 'if', branches, else: elseBody, line: t.line };
    }
  }

  private parseFor(t: Token): Stmt {
    const target = this.parseAssignTarget(true, false);
    this.expectName('in');
    const iter = this.parseTuple(false, false, ['name:recursive']);
    let filter: Expr | null = null;
    if (this.skipName('if')) filter = this.parseExpression();
    const recursive = this.skipName('recursive');
    const body = this.body('for', ['endfor', 'else'], false);
    let elseBody: Stmt[] = [];
    if (this.endTag() === 'else') elseBody = this.body('for', ['endfor']);
    else this.blockEnd();
    return { k: 'for', target, iter, filter, recursive, body, else: elseBody, line: t.line };
  }

  private parseSet(t: Token): Stmt {
    const target = this.parseAssignTarget(true, true);
    if (this.skipOp('=')) {
      const expr = this.parseTuple(true, false);
      this.blockEnd();
      return { k: 'set', target, expr, line: t.line };
    }
    const filters = this.peek().type === 'op' && this.peek().value === '|' ? this.parseFilterChain(null) : null;
    const body = this.body('set', ['endset']);
    return { k: 'setblock', target, filters, body, line: t.line };
  }

  private parseSignature(def: MacroDef): void {
    this.expectOp('(');
    while (!this.skipOp(')')) {
      if (def.params.length) this.expectOp(',');
      const name = this.expectNameToken();
      def.params.push(name);
      if (this.skipOp('=')) def.defaults.push(this.parseExpression());
      else if (def.defaults.length) this.fail('non-default argument follows default argument', this.peek());
    }
  }

  private parseMacro(t: Token): Stmt {
    const def: MacroDef = { name: this.expectNameToken(), params: [], defaults: [], body: [], line: t.line };
    this.parseSignature(def);
    def.body = this.body('macro', ['endmacro']);
    return { k: 'macro', def, line: t.line };
  }

  private parseCallBlock(t: Token): Stmt {
    const def: MacroDef = { name: 'caller', params: [], defaults: [], body: [], line: t.line };
    if (this.peek().type === 'op' && this.peek().value === '(') this.parseSignature(def);
    const call = this.parseExpression();
    if (call.k !== 'call') this.fail('expected call', this.peek());
    def.body = this.body('call', ['endcall']);
    return { k: 'callblock', call, def, line: t.line };
  }

  private parseFilterBlock(t: Token): Stmt {
    const filters = this.parseFilterChain(null, true);
    const body = this.body('filter', ['endfilter']);
    return { k: 'filterblock', filters, body, line: t.line };
  }

  private parseWith(t: Token): Stmt {
    const targets: Target[] = [];
    const values: Expr[] = [];
    while (!(this.peek().type === 'block_end')) {
      if (targets.length) this.expectOp(',');
      targets.push(this.parseAssignTarget(false, false));
      this.expectOp('=');
      values.push(this.parseExpression());
    }
    const body = this.body('with', ['endwith']);
    return { k: 'with', targets, values, body, line: t.line };
  }

  private contextModifier(def: boolean): boolean {
    const a = this.peek();
    const b = this.peek(1);
    if (a.type === 'name' && (a.value === 'with' || a.value === 'without') && b.type === 'name' && b.value === 'context') {
      this.pos += 2;
      return a.value === 'with';
    }
    return def;
  }

  private parseInclude(t: Token): Stmt {
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (this.peek().value === 'ignore' && this.peek(1).value === 'missing') {
      this.pos += 2;
      ignoreMissing = true;
    }
    const withContext = this.contextModifier(true);
    this.blockEnd();
    return { k: 'include', template, ignoreMissing, withContext, line: t.line };
  }

  private parseImport(t: Token): Stmt {
    const template = this.parseExpression();
    this.expectName('as');
    const target = this.expectNameToken();
    const withContext = this.contextModifier(false);
    this.blockEnd();
    return { k: 'import', template, target, withContext, line: t.line };
  }

  private parseFrom(t: Token): Stmt {
    const template = this.parseExpression();
    this.expectName('import');
    const names: [string, string][] = [];
    let withContext = false;
    for (;;) {
      if (names.length && !this.skipOp(',')) break;
      const a = this.peek();
      if (a.type === 'name' && (a.value === 'with' || a.value === 'without') && this.peek(1).value === 'context') break;
      if (a.type !== 'name') break;
      const name = this.expectNameToken();
      if (name.startsWith('_')) this.fail('names starting with an underline can not be imported', a);
      names.push([name, this.skipName('as') ? this.expectNameToken() : name]);
    }
    withContext = this.contextModifier(false);
    this.blockEnd();
    return { k: 'fromimport', template, names, withContext, line: t.line };
  }

  private parseBlock(t: Token): Stmt {
    const name = this.expectNameToken();
    const scoped = this.skipName('scoped');
    const required = this.skipName('required');
    const body = this.body('block', ['endblock']);
    return { k: 'block', name, body, scoped, required, line: t.line };
  }

  /** Targets of set/for/with: names, tuples of names, and (for set) `ns.attr`. */
  private parseAssignTarget(allowTuple: boolean, allowNsAttr: boolean): Target {
    const one = (): Target => {
      const t = this.peek();
      if (t.type === 'op' && t.value === '(') {
        this.pos++;
        const inner = this.parseAssignTarget(true, false);
        this.expectOp(')');
        return inner;
      }
      const name = this.expectNameToken();
      if (allowNsAttr && this.peek().type === 'op' && this.peek().value === '.') {
        this.pos++;
        return { k: 'nsattr', name, attr: this.expectNameToken() };
      }
      if (['true', 'false', 'none', 'True', 'False', 'None'].includes(name)) this.fail(`can't assign to '${name}'`, t);
      return { k: 'name', name };
    };
    const first = one();
    if (!allowTuple || !(this.peek().type === 'op' && this.peek().value === ',')) return first;
    const items = [first];
    while (this.skipOp(',')) {
      if (this.peek().type === 'name' && this.peek().value === 'in') break;
      if (this.peek().type === 'op' && this.peek().value === '=') break;
      items.push(one());
    }
    return { k: 'tuple', items };
  }
}

export function parse(tokens: Token[], name?: string): Stmt[] {
  return new Parser(tokens, name).parseTemplate();
}

export { TemplateSyntaxError };
