/** Error helpers shared by the packages' tests. */
import { isWiregramError, type WiregramError } from '@wiregram/core';

/**
 * The WiregramError `fn` throws. The test fails if `fn` returns normally, and any other exception is rethrown
 * as is: a TypeError escaping a public function is the very bug these tests are after, so show its stack.
 */
export function thrown(fn: () => unknown): WiregramError {
  try {
    fn();
  } catch (e) {
    if (isWiregramError(e)) return e;
    throw e;
  }
  throw new Error('expected a WiregramError, but nothing was thrown');
}
