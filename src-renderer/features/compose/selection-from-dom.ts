import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/**
 * Makes the editor's selection the one the person sees, before a shortcut acts on it.
 *
 * ProseMirror learns of a selection made with Shift+arrows from the browser's
 * `selectionchange` event, which runs as a later task; Chromium handles key presses ahead of
 * such tasks when it is busy. So a quick Shift+←←←← then Ctrl+K (or Ctrl+B) could act on the
 * selection of a keystroke or two earlier: a link on "lan" when "plan" was highlighted. This
 * reads the browser's selection at the moment the shortcut is pressed, through ProseMirror's
 * public `posAtDOM`, and applies it if it differs.
 */
export function takeSelectionFromDom(view: EditorView): void {
  const dom = view.dom.ownerDocument.getSelection();
  if (!dom?.anchorNode || !dom.focusNode) return;
  if (!view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return;
  let anchor: number;
  let head: number;
  try {
    anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    head = view.posAtDOM(dom.focusNode, dom.focusOffset);
  } catch {
    return; // a spot ProseMirror does not map (inside a node view): leave its own selection
  }
  const current = view.state.selection;
  if (current.anchor === anchor && current.head === head) return;
  // An image chosen by click is a node selection the browser shows as a caret; keep it.
  if (anchor === head && !(current instanceof TextSelection)) return;
  const { doc } = view.state;
  view.dispatch(view.state.tr.setSelection(TextSelection.between(doc.resolve(anchor), doc.resolve(head))));
}
