// The workflow bundle's entry: Temporal registers every exported function as a workflow type.
export { charterInstance } from './instance.js';
