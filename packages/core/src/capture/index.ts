// Filled in by the capture module; re-exported by ../index.ts.
export {};
