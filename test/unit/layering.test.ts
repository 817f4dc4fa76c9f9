// The layer rules of eslint.layers.js must actually bite: each case lints one import (or clock
// read) as if it stood in a file of that layer, and expects a refusal or a pass.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { layerConfigs } from '../../eslint.layers.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
    },
    ...layerConfigs,
  ],
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const refused: [string, string, string][] = [
  ['engine/machine.ts', "import { readFileSync } from 'node:fs';", 'pure code does no I/O'],
  ['engine/machine.ts', "import fs from 'fs';", 'pure code does no I/O'],
  ['engine/machine.ts', "import { MongoClient } from 'mongodb';", 'belongs in store/'],
  ['api/tasks/routes.ts', "import { MongoClient } from 'mongodb';", 'belongs in store/'],
  ['workflows/activities/tasks.ts', "import type { Db } from 'mongodb';", 'belongs in store/'],
  ['web/src/main.ts', "import { MongoClient } from 'mongodb';", 'belongs in store/'],
  // The studio checks policies in the browser with dsl/, but the command line (file I/O) stays out.
  ['web/src/pages/studio/lint.ts', "import { main } from '../../../../dsl/cli/main.js';", 'dsl/cli/'],
  ['web/src/pages/studio/lint.ts', "import { readFile } from 'node:fs/promises';", 'no I/O'],
  ['web/src/pages/studio/lint.ts', "import { policies } from '../../../../api/policies/routes.js';", 'api/'],
  ['web/src/pages/studio/lint.ts', "import { Policies } from '../../../../store/policies.js';", 'store/'],
  ['engine/machine.ts', "import { sleep } from '@temporalio/workflow';", 'Temporal belongs in'],
  ['engine/machine.ts', "import { parse } from '../dsl/parser.js';", 'may not import dsl/'],
  ['engine/machine.ts', "import { Instances } from '../store/instances.js';", 'may not import store/'],
  ['engine/machine.ts', 'export const now = Date.now();', 'time enters the engine only through events'],
  ['engine/machine.ts', 'export const now = new Date();', 'time enters the engine only through events'],
  ['engine/expr.ts', 'export const pick = Math.random();', 'no randomness'],
  ['store/instances.ts', "import express from 'express';", 'HTTP belongs in api/'],
  ['store/instances.ts', "import { check } from '../dsl/checker.js';", 'may not import dsl/'],
  ['dsl/parse/parser.ts', "import { step } from '../engine/machine.js';", 'only the IR types of engine/'],
  ['dsl/parse/parser.ts', "import { Client } from '@temporalio/client';", 'Temporal belongs in'],
  ['dsl/checker.ts', "import { readFile } from 'node:fs/promises';", 'pure code does no I/O'],
  ['workflows/definitions/interpreter.ts', "import { createHash } from 'node:crypto';", 'no I/O'],
  ['workflows/definitions/interpreter.ts', "import { Client } from '@temporalio/client';", 'sandbox'],
  [
    'workflows/definitions/interpreter.ts',
    "import { parse } from '../../dsl/index.js';",
    'may not import dsl/',
  ],
  ['workflows/definitions/interpreter.ts', "import * as acts from '../activities/index.js';", 'by type only'],
  ['workflows/definitions/interpreter.ts', 'export const t = Date.now();', 'only through events'],
  ['workflows/activities/tasks.ts', "import { app } from '../../api/app.js';", 'may not import api/'],
  [
    'api/routes.ts',
    "import { run } from '../workflows/definitions/interpreter.js';",
    'never workflow internals',
  ],
  // Against the files on disk: exprs.ts imports expr-env.ts, so this import would close a loop.
  [
    'dsl/check/expr-env.ts',
    "import type { typeExpr } from './exprs.js';",
    'import cycle: dsl/check/expr-env.ts -> dsl/check/exprs.ts -> dsl/check/expr-env.ts',
  ],
];

const allowed: [string, string][] = [
  ['dsl/check/exprs.ts', "import { quote } from './expr-env.js';"],
  ['engine/machine.ts', "import type { ProcessIR } from './ir/types.js';"],
  ['store/instances.ts', "import { MongoClient } from 'mongodb';"],
  ['store/instances.ts', "import { z } from 'zod';"],
  ['test/integration/store-tasks.test.ts', "import type { Db } from 'mongodb';"],
  ['bench/api/seed.ts', "import type { Db } from 'mongodb';"],
  ['dsl/parse/parser.ts', "import { CstParser } from 'chevrotain';"],
  ['dsl/compiler.ts', "import type { ProcessIR } from '../engine/ir/types.js';"],
  ['dsl/compiler.ts', "import { irSchema } from '../engine/ir.js';"],
  ['workflows/definitions/interpreter.ts', "import { condition } from '@temporalio/workflow';"],
  ['workflows/definitions/interpreter.ts', "import type * as acts from '../activities/index.js';"],
  ['workflows/definitions/interpreter.ts', "import { step } from '../../engine/machine.js';"],
  ['api/routes.ts', "import { decide } from '../workflows/definitions/messages.js';"],
  ['api/routes.ts', "import { check } from '../dsl/index.js';"],
  ['web/src/pages/studio/lint.ts', "import { checkEntry } from '../../../../dsl/index.js';"],
  ['web/src/pages/studio/highlight.ts', "import { charterLexer } from '../../../../dsl/parse/lexer.js';"],
  ['web/src/pages/studio/lint.ts', "import { parse } from '../../../../engine/input/index.js';"],
];

describe('layer rules', () => {
  test.each(refused)('when %s says `%s`, then lint refuses it', async (file, code, reason) => {
    const found = await problems(file, code);

    expect(found).toHaveLength(1);
    expect(found[0]).toContain(reason);
  });

  test.each(allowed)('when %s says `%s`, then lint lets it pass', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
