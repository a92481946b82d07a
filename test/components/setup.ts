import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Each test renders into a fresh document.
afterEach(() => cleanup());

// jsdom has no layout: what the components call for scrolling and dialogs is given the shape
// Chromium gives it (scrollIntoView returning a Promise, as Chromium 156 does).
Element.prototype.scrollIntoView = function scrollIntoView() {
  return Promise.resolve() as unknown as void;
};
HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
  this.open = false;
};
// ProseMirror asks where a point is when it handles some keys; jsdom has no layout to answer.
document.elementFromPoint ??= () => null;
