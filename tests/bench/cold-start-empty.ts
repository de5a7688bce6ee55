/** A floor for tests/bench/cold-start.ts: a handler that imports nothing (Node's module loader alone). */
export const handler = async () => null;
