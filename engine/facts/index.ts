// Facts: what the machine established, as data, and the sentences rendered from them for people.
export * from './types.js';
export { type AdminFact, isAdminFact } from './admin-facts.js';
export {
  byline,
  closeReason,
  names,
  plural,
  qualificationReason,
  sentenceOf,
  showMoment,
  unqualifiedText,
} from './sentences.js';
