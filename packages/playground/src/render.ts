/**
 * What the page loads after the editor: the renderer. A separate chunk, so the editor takes input before the
 * diagram code is parsed; the PDF export shares its core and layout chunks.
 */
export { render } from '@wiregram/browser';
export { toWiregramError, WiregramError } from '@wiregram/core';
