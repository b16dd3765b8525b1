// Filled in by the sequence module; re-exported by ../index.ts.
export {};
