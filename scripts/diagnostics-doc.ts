// Writes dsl/DIAGNOSTICS.md from the code catalog: `npx tsx scripts/diagnostics-doc.ts`.
import { writeFileSync } from 'node:fs';
import { diagnosticsReference } from '../dsl/diagnostics/codes.js';

writeFileSync(new URL('../dsl/DIAGNOSTICS.md', import.meta.url), diagnosticsReference());
console.log('wrote dsl/DIAGNOSTICS.md');
