// The bench's workflow bundle: the interpreter and its hand-written twin, on one worker.
export { charterInstance } from '../../workflows/definitions/instance.js';
export { handwrittenInstance } from './handwritten.js';
