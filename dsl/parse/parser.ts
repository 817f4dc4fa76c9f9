// The Charter grammar as one Chevrotain CstParser, instantiated once (self-analysis is costly).
// The grammar is split by concern over a class chain (expressions.ts, then
// steps.ts, then the declarations here); it is deliberately loose: `=` passes as a
// comparison, any name as a type, unit, day or priority, and stray tokens as junk, so that the
// CST-to-AST builder can reject them with specific help. Rules are class properties, so a
// misspelt rule name is a compile error. Each call parses one declaration or one expression
// (see parse.ts).
import {
  Colon,
  Comma,
  DateLiteral,
  Equals,
  Identifier,
  kw,
  LCurly,
  Minus,
  NotCalendarStart,
  NotFieldStart,
  NotMonitorClauseStart,
  NumberLiteral,
  Pipe,
  RCurly,
  StringLiteral,
  TimeLiteral,
  Word,
} from './lexer.js';
import type { TokenType } from 'chevrotain';
import { messages } from './errors.js';
import { StepGrammar } from './steps.js';

class CharterParser extends StepGrammar {
  constructor() {
    super({
      nodeLocationTracking: 'full',
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /**
   * After an error, Chevrotain skips to the first token that some rule on the stack can continue
   * with, and resumes in the outermost such rule. Nearly every token can continue a block here
   * (the junk categories), so a mistake inside an `approve` clause resumed in the process body:
   * the approval's own `}` then closed the process, and the rest of the file reported errors that
   * were not there. Listing the innermost rule's follow set first resumes in the nearest block
   * that can take the token, which keeps a mistake inside its clause.
   */
  protected flattenFollowSet(): TokenType[] {
    const recovery = this as unknown as ChevrotainRecovery;
    return recovery
      .buildFullFollowKeyStack()
      .reverse()
      .flatMap((key) => recovery.getFollowSetFromFollowKey(key) ?? []);
  }

  // ----------------------------------------------------------------------------------------------
  // Declarations

  readonly declaration = this.RULE('declaration', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.policyHeader) },
      { ALT: () => this.SUBRULE(this.libraryHeader) },
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.calendarDecl) },
      { ALT: () => this.SUBRULE(this.roleDecl) },
      { ALT: () => this.SUBRULE(this.ruleDecl) },
      { ALT: () => this.SUBRULE(this.processDecl) },
      { ALT: () => this.SUBRULE(this.monitorDecl) },
    ]);
  });

  readonly policyHeader = this.RULE('policyHeader', () => {
    this.CONSUME(kw.policy);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
    this.CONSUME(kw.version);
    this.CONSUME(NumberLiteral, { LABEL: 'version' });
    this.CONSUME(kw.effective);
    this.CONSUME(DateLiteral, { LABEL: 'effective' });
    this.OPTION(() => {
      this.CONSUME(kw.owner);
      this.CONSUME2(StringLiteral, { LABEL: 'owner' });
    });
  });

  readonly libraryHeader = this.RULE('libraryHeader', () => {
    this.CONSUME(kw.library);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
  });

  readonly useDecl = this.RULE('useDecl', () => {
    this.CONSUME(kw.use);
    this.CONSUME(StringLiteral, { LABEL: 'path' });
  });

  readonly calendarDecl = this.RULE('calendarDecl', () => {
    this.CONSUME(kw.calendar);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.timezoneLine) },
        { ALT: () => this.SUBRULE(this.hoursLine) },
        { ALT: () => this.SUBRULE(this.holidaysLine) },
        { ALT: () => this.CONSUME(NotCalendarStart, { LABEL: 'junk' }) },
        { ALT: () => this.SUBRULE(this.skippedBlock, { LABEL: 'junk' }) },
      ]);
    });
    this.CONSUME(RCurly);
  });

  readonly timezoneLine = this.RULE('timezoneLine', () => {
    this.CONSUME(kw.timezone);
    this.CONSUME(StringLiteral, { LABEL: 'zone' });
  });

  readonly hoursLine = this.RULE('hoursLine', () => {
    this.CONSUME(kw.hours);
    this.SUBRULE(this.dayRange);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.dayRange);
    });
    this.CONSUME(TimeLiteral, { LABEL: 'from' });
    this.CONSUME(Minus);
    this.CONSUME2(TimeLiteral, { LABEL: 'to' });
  });

  readonly dayRange = this.RULE('dayRange', () => {
    this.CONSUME(Identifier, { LABEL: 'from' });
    this.OPTION(() => {
      this.CONSUME(Minus);
      this.CONSUME2(Identifier, { LABEL: 'to' });
    });
  });

  readonly holidaysLine = this.RULE('holidaysLine', () => {
    this.CONSUME(kw.holidays);
    this.CONSUME(DateLiteral, { LABEL: 'dates' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(DateLiteral, { LABEL: 'dates' });
    });
  });

  readonly roleDecl = this.RULE('roleDecl', () => {
    this.CONSUME(kw.role);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Equals);
    this.SUBRULE(this.approverList);
  });

  readonly ruleDecl = this.RULE('ruleDecl', () => {
    this.CONSUME(kw.rule);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(kw.because);
      this.CONSUME(StringLiteral, { LABEL: 'because' });
    });
  });

  readonly processDecl = this.RULE('processDecl', () => {
    this.CONSUME(kw.process);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LCurly);
    this.SUBRULE(this.stepList);
    this.CONSUME(RCurly);
  });

  /**
   * `monitor <name> { <clauses> }`: a scheduled rule over the PMO's projects. Clauses come in any
   * order and any number here; the builder keeps the first of each single-use clause.
   */
  readonly monitorDecl = this.RULE('monitorDecl', () => {
    this.CONSUME(kw.monitor);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.monitorClause, { LABEL: 'clauses' }) },
        { ALT: () => this.CONSUME(NotMonitorClauseStart, { LABEL: 'junk' }) },
        { ALT: () => this.SUBRULE(this.skippedBlock, { LABEL: 'junk' }) },
      ]);
    });
    this.CONSUME(RCurly);
  });

  readonly monitorClause = this.RULE('monitorClause', () => {
    this.OR([
      {
        // `every mon, thu 08:00 on berlin`: the days and time of the runs, in a calendar's zone.
        ALT: () => {
          this.CONSUME(kw.every);
          this.SUBRULE(this.dayRange, { LABEL: 'days' });
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.dayRange, { LABEL: 'days' });
          });
          this.CONSUME(TimeLiteral, { LABEL: 'time' });
          this.OPTION(() => {
            this.CONSUME(kw.on);
            this.CONSUME2(Identifier, { LABEL: 'calendar' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.where);
          this.SUBRULE(this.expression, { LABEL: 'where' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.require);
          this.SUBRULE2(this.expression, { LABEL: 'require' });
          this.OPTION2(() => {
            this.CONSUME(kw.else);
            this.CONSUME(StringLiteral, { LABEL: 'message' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.owner);
          this.SUBRULE(this.approverList, { LABEL: 'owner' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.within);
          this.SUBRULE(this.clauseDuration, { LABEL: 'within' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.remind);
          this.CONSUME2(kw.every);
          this.SUBRULE2(this.clauseDuration, { LABEL: 'remind' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.escalate);
          this.CONSUME(kw.after);
          this.SUBRULE3(this.clauseDuration, { LABEL: 'escalate' });
          this.CONSUME(kw.to);
          this.SUBRULE2(this.approverList, { LABEL: 'escalateTo' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.waive);
          this.CONSUME(kw.by);
          this.SUBRULE3(this.approverList, { LABEL: 'waivers' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.health);
          this.CONSUME3(Identifier, { LABEL: 'health' });
        },
      },
    ]);
  });

  // ----------------------------------------------------------------------------------------------
  // Input schema

  readonly inputBlock = this.RULE('inputBlock', () => {
    this.CONSUME(kw.input);
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.inputField) },
        { ALT: () => this.CONSUME(NotFieldStart, { LABEL: 'junk' }) },
        { ALT: () => this.SUBRULE(this.skippedBlock, { LABEL: 'junk' }) },
      ]);
    });
    this.CONSUME(RCurly);
  });

  readonly inputField = this.RULE('inputField', () => {
    this.CONSUME(Word, { LABEL: 'name' });
    this.CONSUME(Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(kw.optional) },
        {
          ALT: () => {
            this.CONSUME(Equals);
            this.SUBRULE(this.expression, { LABEL: 'default' });
          },
        },
      ]);
    });
  });

  /** `list of` prefixes are a loop, not recursion, so `list of list of ...` cannot overflow. */
  readonly typeExpr = this.RULE('typeExpr', () => {
    this.MANY(() => {
      this.CONSUME(kw.list, { LABEL: 'lists' });
      this.CONSUME(kw.of);
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(StringLiteral, { LABEL: 'values' });
          this.MANY2(() => {
            this.CONSUME(Pipe);
            this.CONSUME2(StringLiteral, { LABEL: 'values' });
          });
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(Identifier, { LABEL: 'typeName' }) },
            { ALT: () => this.CONSUME(kw.person, { LABEL: 'typeName' }) },
          ]);
          // `money EUR`, but not the next field's name in `x: money  y: text`.
          this.OPTION({
            GATE: () => this.peek(2) !== Colon,
            DEF: () => this.CONSUME2(Identifier, { LABEL: 'currency' }),
          });
        },
      },
    ]);
  });
}

/** The recovery internals of Chevrotain 11's parser that flattenFollowSet builds on. */
interface ChevrotainRecovery {
  buildFullFollowKeyStack(): unknown[];
  getFollowSetFromFollowKey(key: unknown): TokenType[] | undefined;
}

// flattenFollowSet overrides an internal method: fail at load, not silently, if a Chevrotain
// upgrade renames what it relies on.
for (const method of ['flattenFollowSet', 'buildFullFollowKeyStack', 'getFollowSetFromFollowKey']) {
  if (typeof (StepGrammar.prototype as unknown as Record<string, unknown>)[method] !== 'function') {
    throw new Error(`chevrotain no longer has ${method}: review CharterParser.flattenFollowSet`);
  }
}

export type { CharterParser };

/** The one parser instance; parsing is synchronous, so reuse is safe. */
export const parser = new CharterParser();
