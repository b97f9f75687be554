/** Evaluated before the worker's modules (the cold entry imports it first). */
export const evaluationStarted = performance.now();
