// The expression half of the Charter grammar: expressions, who (approver references) and
// durations, shared by declarations and steps. An abstract base of the one parser (see parser.ts):
// Chevrotain records rules from class fields, so a grammar split over a class chain is still one
// parser with one self-analysis. Each precedence level loops over its operators instead of
// recursing, so long chains stay flat; only parentheses and lists recurse, and parse.ts bounds
// their depth before parsing.
import { CstParser, type IParserConfig, type TokenType } from 'chevrotain';
import {
  AddOp,
  allTokens,
  Colon,
  Comma,
  CompareOp,
  DateLiteral,
  Dot,
  DurationLiteral,
  Equals,
  Identifier,
  kw,
  LBracket,
  LParen,
  Minus,
  MulOp,
  NumberLiteral,
  Percent,
  RBracket,
  RParen,
  StringLiteral,
  Word,
} from './lexer.js';

export abstract class ExpressionGrammar extends CstParser {
  constructor(config: IParserConfig) {
    super(allTokens, config);
  }

  /** The type of the n-th token ahead; gates use it where an option could be the next clause. */
  protected peek(n: number): TokenType {
    return this.LA(n).tokenType;
  }

  // ----------------------------------------------------------------------------------------------
  // Who, and durations

  readonly approverList = this.RULE('approverList', () => {
    this.SUBRULE(this.approverRef, { LABEL: 'refs' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.approverRef, { LABEL: 'refs' });
    });
  });

  readonly approverRef = this.RULE('approverRef', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw.group, { LABEL: 'kind' });
          this.CONSUME(StringLiteral, { LABEL: 'id' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.person, { LABEL: 'kind' });
          this.CONSUME2(StringLiteral, { LABEL: 'id' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.manager, { LABEL: 'kind' });
          this.CONSUME(kw.of);
          this.SUBRULE(this.expression, { LABEL: 'of' });
        },
      },
      { ALT: () => this.SUBRULE(this.path) },
    ]);
  });

  /**
   * The first part of a reference: a name, or `project` (a keyword for `reallocate ... to
   * project`, and the project a monitor looks at in `project.phase`).
   */
  readonly pathHead = this.RULE('pathHead', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: 'segments' }) },
      { ALT: () => this.CONSUME(kw.project, { LABEL: 'segments' }) },
    ]);
  });

  readonly path = this.RULE('path', () => {
    this.SUBRULE(this.pathHead);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME(Word, { LABEL: 'segments' });
    });
  });

  /** `48h`, `3 days`, `2 business days`; the unit is any name, checked by the builder. */
  readonly duration = this.RULE('duration', () => {
    this.OR([
      { ALT: () => this.CONSUME(DurationLiteral, { LABEL: 'literal' }) },
      {
        ALT: () => {
          this.CONSUME(NumberLiteral, { LABEL: 'amount' });
          this.OPTION(() => this.CONSUME(kw.business, { LABEL: 'business' }));
          this.OR2([
            { ALT: () => this.CONSUME(Identifier, { LABEL: 'unit' }) },
            { ALT: () => this.CONSUME(kw.hours, { LABEL: 'unit' }) },
          ]);
        },
      },
    ]);
  });

  /**
   * A duration where a clause takes one, with the calendar its business time counts on:
   * `2 business days on office`. The gate leaves `on timeout` and `on fail` to the next clause.
   * Expressions take plain `duration`: there `on` would read as part of the comparison.
   */
  readonly clauseDuration = this.RULE('clauseDuration', () => {
    this.SUBRULE(this.duration, { LABEL: 'duration' });
    this.OPTION({
      GATE: () => this.peek(2) === Identifier,
      DEF: () => {
        this.CONSUME(kw.on);
        this.CONSUME(Identifier, { LABEL: 'calendar' });
      },
    });
  });

  // ----------------------------------------------------------------------------------------------
  // Expressions: each precedence level is a loop over operators, never recursion, so long chains
  // stay flat in the CST; only parentheses and lists recurse (bounded by the nesting limit).

  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpr, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(kw.or, { LABEL: 'operators' });
      this.SUBRULE2(this.andExpr, { LABEL: 'operands' });
    });
  });

  readonly andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(kw.and, { LABEL: 'operators' });
      this.SUBRULE2(this.notExpr, { LABEL: 'operands' });
    });
  });

  readonly notExpr = this.RULE('notExpr', () => {
    this.MANY(() => this.CONSUME(kw.not, { LABEL: 'prefixes' }));
    this.SUBRULE(this.comparison, { LABEL: 'operand' });
  });

  readonly comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(CompareOp, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Equals, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.additive, { LABEL: 'operands' });
    });
  });

  readonly additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(AddOp, { LABEL: 'operators' });
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  readonly multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(MulOp, { LABEL: 'operators' });
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  readonly unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(Minus, { LABEL: 'prefixes' }));
    this.SUBRULE(this.primary, { LABEL: 'operand' });
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'string' }) },
      { ALT: () => this.CONSUME(DateLiteral, { LABEL: 'date' }) },
      { ALT: () => this.CONSUME(DurationLiteral, { LABEL: 'duration' }) },
      { ALT: () => this.SUBRULE(this.numberLiteral) },
      { ALT: () => this.CONSUME(kw.true, { LABEL: 'boolean' }) },
      { ALT: () => this.CONSUME(kw.false, { LABEL: 'boolean' }) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      {
        ALT: () => {
          this.CONSUME(LParen, { LABEL: 'open' });
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(RParen, { LABEL: 'close' });
        },
      },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  /** `42`, `15%`, `50_000 EUR`, `3 days`, `2 business days`: the builder sorts out the suffix. */
  readonly numberLiteral = this.RULE('numberLiteral', () => {
    this.CONSUME(NumberLiteral, { LABEL: 'number' });
    this.OPTION({
      // `x: number = 5  title: text`: the next field's name is no unit.
      GATE: () => this.peek(2) !== Colon,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(Percent, { LABEL: 'percent' }) },
          {
            ALT: () => {
              this.CONSUME(kw.business, { LABEL: 'business' });
              this.OR2([
                { ALT: () => this.CONSUME(Identifier, { LABEL: 'unit' }) },
                { ALT: () => this.CONSUME(kw.hours, { LABEL: 'unit' }) },
              ]);
            },
          },
          { ALT: () => this.CONSUME2(Identifier, { LABEL: 'unit' }) },
          { ALT: () => this.CONSUME2(kw.hours, { LABEL: 'unit' }) },
        ]);
      },
    });
  });

  readonly listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression, { LABEL: 'items' });
      });
    });
    this.CONSUME(RBracket);
  });

  /** A path (`request.budget`, a rule name) or a call (`count(x)`). */
  readonly reference = this.RULE('reference', () => {
    this.SUBRULE(this.pathHead);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen, { LABEL: 'call' });
          this.OPTION(() => {
            this.SUBRULE(this.expression, { LABEL: 'args' });
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE2(this.expression, { LABEL: 'args' });
            });
          });
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.MANY2(() => {
            this.CONSUME(Dot);
            this.CONSUME(Word, { LABEL: 'segments' });
          });
        },
      },
    ]);
  });
}
