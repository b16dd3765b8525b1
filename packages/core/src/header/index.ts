// Filled in by the header module; re-exported by ../index.ts.
export {};
