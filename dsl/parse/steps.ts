// The process-body half of the Charter grammar: steps, approval clauses, checks. Loose on purpose:
// every step (and `input`, `branch`) is accepted in every block, and stray tokens are collected
// as `junk` (one diagnostic per run, from the builder) instead of letting recovery skip whole
// blocks. Nested blocks recurse; parse.ts bounds their depth before parsing.
import type { CstNode, ParserMethod } from 'chevrotain';
import {
  Colon,
  Comma,
  Identifier,
  kw,
  LCurly,
  NotBrace,
  NotClauseStart,
  NotStepStart,
  NumberLiteral,
  Percent,
  RCurly,
  StringLiteral,
  Word,
} from './lexer.js';
import { ExpressionGrammar } from './expressions.js';

export abstract class StepGrammar extends ExpressionGrammar {
  /** Defined with the declarations (parser.ts); a step alternative so the builder can place it. */
  abstract readonly inputBlock: ParserMethod<[], CstNode>;

  // ----------------------------------------------------------------------------------------------
  // Steps

  /** Steps of a block; stray tokens become `junk` so one typo costs one diagnostic. */
  readonly stepList = this.RULE('stepList', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.step) },
        { ALT: () => this.CONSUME(NotStepStart, { LABEL: 'junk' }) },
        { ALT: () => this.SUBRULE(this.skippedBlock, { LABEL: 'junk' }) },
      ]);
    });
  });

  readonly skippedBlock = this.RULE('skippedBlock', () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(NotBrace) }, { ALT: () => this.SUBRULE(this.skippedBlock) }]);
    });
    this.CONSUME(RCurly);
  });

  readonly step = this.RULE('step', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.approveStep) },
      { ALT: () => this.SUBRULE(this.checkStep) },
      { ALT: () => this.SUBRULE(this.reallocateStep) },
      { ALT: () => this.SUBRULE(this.notifyStep) },
      { ALT: () => this.SUBRULE(this.waitStep) },
      { ALT: () => this.SUBRULE(this.ifStep) },
      { ALT: () => this.SUBRULE(this.parallelStep) },
      { ALT: () => this.SUBRULE(this.branchStep) },
      { ALT: () => this.SUBRULE(this.endStep) },
      // Accepted anywhere so the builder can say where it belongs.
      { ALT: () => this.SUBRULE(this.inputBlock) },
    ]);
  });

  readonly approveStep = this.RULE('approveStep', () => {
    this.CONSUME(kw.approve);
    this.CONSUME(Identifier, { LABEL: 'id' });
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.approveClause, { LABEL: 'clauses' }) },
        { ALT: () => this.CONSUME(NotClauseStart, { LABEL: 'junk' }) },
        { ALT: () => this.SUBRULE(this.skippedBlock, { LABEL: 'junk' }) },
      ]);
    });
    this.CONSUME(RCurly);
  });

  readonly approveClause = this.RULE('approveClause', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw.by);
          this.SUBRULE(this.approverList, { LABEL: 'by' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.any);
          this.OPTION(() => {
            this.CONSUME(kw.reject, { LABEL: 'veto' });
            this.CONSUME(kw.rejects);
          });
        },
      },
      { ALT: () => this.CONSUME(kw.all) },
      { ALT: () => this.CONSUME(kw.majority) },
      {
        ALT: () => {
          this.CONSUME(kw.at);
          this.CONSUME(kw.least);
          this.CONSUME(NumberLiteral, { LABEL: 'count' });
          this.OPTION2(() => {
            this.OR2([
              { ALT: () => this.CONSUME(Percent) },
              {
                ALT: () => {
                  this.CONSUME(kw.of);
                  this.CONSUME2(NumberLiteral, { LABEL: 'of' });
                },
              },
            ]);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.not);
          this.SUBRULE2(this.approverList, { LABEL: 'exclude' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.distinct);
          this.CONSUME(kw.from);
          this.CONSUME(Identifier, { LABEL: 'steps' });
          this.MANY(() => {
            this.CONSUME(Comma);
            this.CONSUME2(Identifier, { LABEL: 'steps' });
          });
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
          this.CONSUME(kw.every);
          this.SUBRULE2(this.clauseDuration, { LABEL: 'remind' });
        },
      },
      {
        // A ladder level: `escalate after` adds its people, `hand over after` gives them the step.
        ALT: () => {
          this.OR4([
            { ALT: () => this.CONSUME(kw.escalate) },
            {
              ALT: () => {
                this.CONSUME(kw.hand, { LABEL: 'handover' });
                this.CONSUME(kw.over);
              },
            },
          ]);
          this.CONSUME(kw.after);
          this.SUBRULE3(this.clauseDuration, { LABEL: 'escalate' });
          this.CONSUME(kw.to);
          this.SUBRULE3(this.approverList, { LABEL: 'escalateTo' });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(kw.on);
          this.CONSUME(kw.timeout);
          this.SUBRULE(this.timeoutAction);
        },
      },
      {
        // `require qualification "itil-change"`: only holders of it may decide.
        ALT: () => {
          this.CONSUME(kw.require);
          this.CONSUME(kw.qualification);
          this.CONSUME(StringLiteral, { LABEL: 'qualification' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.allow);
          this.OR3([
            { ALT: () => this.CONSUME(kw.delegation, { LABEL: 'allowed' }) },
            { ALT: () => this.CONSUME(kw.changes, { LABEL: 'allowed' }) },
          ]);
        },
      },
    ]);
  });

  readonly timeoutAction = this.RULE('timeoutAction', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(kw.reject, { LABEL: 'action' }) },
            { ALT: () => this.CONSUME(kw.approve, { LABEL: 'action' }) },
            { ALT: () => this.CONSUME(kw.fail, { LABEL: 'action' }) },
          ]);
          this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'message' }));
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(kw.escalate, { LABEL: 'action' }) },
            {
              ALT: () => {
                this.CONSUME(kw.hand, { LABEL: 'action' });
                this.CONSUME(kw.over);
              },
            },
          ]);
          this.CONSUME(kw.to);
          this.SUBRULE(this.approverList, { LABEL: 'to' });
        },
      },
    ]);
  });

  readonly checkStep = this.RULE('checkStep', () => {
    this.CONSUME(kw.check);
    this.CONSUME(Identifier, { LABEL: 'id' });
    this.CONSUME(Colon);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw.require);
          this.SUBRULE(this.expression, { LABEL: 'condition' });
          this.OPTION(() => {
            this.CONSUME(kw.else);
            this.CONSUME(StringLiteral, { LABEL: 'message' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.external);
          this.CONSUME2(StringLiteral, { LABEL: 'service' });
          this.OPTION2(() => {
            this.CONSUME(kw.timeout);
            this.SUBRULE(this.clauseDuration, { LABEL: 'timeout' });
          });
          this.OPTION3(() => {
            this.CONSUME(kw.retry);
            this.CONSUME(NumberLiteral, { LABEL: 'retry' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.attest);
          this.CONSUME(kw.by);
          this.SUBRULE(this.approverList, { LABEL: 'by' });
          this.CONSUME3(StringLiteral, { LABEL: 'statement' });
          this.OPTION4(() => {
            this.CONSUME(kw.with);
            this.CONSUME(kw.evidence, { LABEL: 'evidence' });
          });
          // `grants qualification "itil-change" to request.trainee`: the attestation is a completion.
          this.OPTION7(() => {
            this.CONSUME(kw.grants);
            this.CONSUME(kw.qualification);
            this.CONSUME4(StringLiteral, { LABEL: 'grants' });
            this.CONSUME2(kw.to);
            this.SUBRULE2(this.expression, { LABEL: 'grantee' });
          });
          this.OPTION5(() => {
            this.CONSUME(kw.within);
            this.SUBRULE2(this.clauseDuration, { LABEL: 'within' });
          });
        },
      },
    ]);
    this.OPTION6(() => this.SUBRULE(this.onFail));
  });

  readonly onFail = this.RULE('onFail', () => {
    this.CONSUME(kw.on);
    this.CONSUME(kw.fail);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw.stop, { LABEL: 'action' });
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.CONSUME(kw.rejected, { LABEL: 'outcome' }) },
              { ALT: () => this.CONSUME(kw.cancelled, { LABEL: 'outcome' }) },
            ]);
          });
          this.OPTION2(() => this.CONSUME(StringLiteral, { LABEL: 'message' }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.continue, { LABEL: 'action' });
          this.CONSUME(kw.flagged);
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw.require, { LABEL: 'action' });
          this.CONSUME(kw.waiver);
          this.CONSUME(kw.by);
          this.SUBRULE(this.approverList, { LABEL: 'by' });
          this.CONSUME(kw.within);
          this.SUBRULE(this.clauseDuration, { LABEL: 'within' });
          this.OPTION3(() => {
            this.CONSUME(kw.valid);
            this.CONSUME(kw.for);
            this.SUBRULE2(this.clauseDuration, { LABEL: 'validFor' });
          });
        },
      },
    ]);
  });

  readonly reallocateStep = this.RULE('reallocateStep', () => {
    this.CONSUME(kw.reallocate);
    this.SUBRULE(this.stepLabel);
    this.CONSUME(NumberLiteral, { LABEL: 'hours' });
    this.CONSUME(kw.hours);
    this.CONSUME(kw.of);
    this.CONSUME(kw.skill);
    this.CONSUME(StringLiteral, { LABEL: 'skill' });
    this.CONSUME(kw.from);
    this.CONSUME(kw.pool);
    this.CONSUME2(StringLiteral, { LABEL: 'pool' });
    this.CONSUME(kw.to);
    this.CONSUME(kw.project);
    this.SUBRULE(this.expression, { LABEL: 'project' });
    this.CONSUME(kw.for);
    this.SUBRULE(this.clauseDuration, { LABEL: 'period' });
    this.OPTION(() => {
      this.CONSUME(kw.priority);
      this.CONSUME(Word, { LABEL: 'priority' });
    });
  });

  /** The optional `<id>:` of reallocate and wait. */
  readonly stepLabel = this.RULE('stepLabel', () => {
    this.OPTION(() => {
      this.CONSUME(Identifier, { LABEL: 'id' });
      this.CONSUME(Colon);
    });
  });

  /** `notify cab: "..."` or `notify heads_up: cab: "..."`: the builder tells the id from recipients. */
  readonly notifyStep = this.RULE('notifyStep', () => {
    this.CONSUME(kw.notify);
    this.SUBRULE(this.approverList, { LABEL: 'first' });
    this.CONSUME(Colon);
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'message' }) },
      {
        ALT: () => {
          this.SUBRULE2(this.approverList, { LABEL: 'second' });
          this.CONSUME2(Colon);
          this.CONSUME2(StringLiteral, { LABEL: 'message' });
        },
      },
    ]);
  });

  readonly waitStep = this.RULE('waitStep', () => {
    this.CONSUME(kw.wait);
    this.SUBRULE(this.stepLabel);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw.until);
          this.SUBRULE(this.expression, { LABEL: 'until' });
        },
      },
      { ALT: () => this.SUBRULE(this.clauseDuration, { LABEL: 'for' }) },
    ]);
  });

  /** `else if` is a loop, not nested ifs, so a long chain cannot overflow the stack. */
  readonly ifStep = this.RULE('ifStep', () => {
    this.CONSUME(kw.if);
    this.SUBRULE(this.expression, { LABEL: 'conditions' });
    this.CONSUME(LCurly, { LABEL: 'opens' });
    this.SUBRULE(this.stepList, { LABEL: 'bodies' });
    this.CONSUME(RCurly, { LABEL: 'closes' });
    this.MANY(() => {
      this.CONSUME(kw.else, { LABEL: 'elses' });
      this.CONSUME2(kw.if);
      this.SUBRULE2(this.expression, { LABEL: 'conditions' });
      this.CONSUME2(LCurly, { LABEL: 'opens' });
      this.SUBRULE2(this.stepList, { LABEL: 'bodies' });
      this.CONSUME2(RCurly, { LABEL: 'closes' });
    });
    this.OPTION(() => {
      this.CONSUME2(kw.else, { LABEL: 'finalElse' });
      this.CONSUME3(LCurly, { LABEL: 'otherwiseOpen' });
      this.SUBRULE3(this.stepList, { LABEL: 'otherwise' });
      this.CONSUME3(RCurly, { LABEL: 'otherwiseClose' });
    });
  });

  readonly parallelStep = this.RULE('parallelStep', () => {
    this.CONSUME(kw.parallel);
    this.OPTION(() => {
      this.CONSUME(kw.on, { LABEL: 'policyStart' });
      this.CONSUME(kw.failure);
      this.OR([
        { ALT: () => this.CONSUME(kw.cancel, { LABEL: 'onFailure' }) },
        { ALT: () => this.CONSUME(kw.finish, { LABEL: 'onFailure' }) },
      ]);
      this.CONSUME(kw.others, { LABEL: 'policyEnd' });
    });
    this.CONSUME(LCurly);
    this.SUBRULE(this.stepList);
    this.CONSUME(RCurly);
  });

  readonly branchStep = this.RULE('branchStep', () => {
    this.CONSUME(kw.branch);
    this.CONSUME(Identifier, { LABEL: 'id' });
    this.CONSUME(LCurly);
    this.SUBRULE(this.stepList);
    this.CONSUME(RCurly);
  });

  readonly endStep = this.RULE('endStep', () => {
    this.CONSUME(kw.end);
    this.OR([
      { ALT: () => this.CONSUME(kw.approved, { LABEL: 'outcome' }) },
      { ALT: () => this.CONSUME(kw.rejected, { LABEL: 'outcome' }) },
      { ALT: () => this.CONSUME(kw.cancelled, { LABEL: 'outcome' }) },
      { ALT: () => this.CONSUME(Identifier, { LABEL: 'outcome' }) },
    ]);
    this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'message' }));
  });
}
