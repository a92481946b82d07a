import Image from '@tiptap/extension-image';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import {
  Bold,
  Heading2,
  Italic,
  Link2,
  List,
  ListOrdered,
  Quote,
  SquareCode,
  Underline,
  type LucideIcon,
} from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useRovingFocus } from '../../components/use-roving-focus.ts';
import { loadPreview, previewFor } from './inline-previews.ts';
import { LinkDialog } from './LinkDialog.tsx';
import { takeSelectionFromDom } from './selection-from-dom.ts';

/**
 * Images only as attachments of this very message (`cid:`): a pasted image from the web is
 * not taken in, so nothing remote is ever loaded. The picture comes from the file the person
 * added in this window, or the stored attachment's bytes for a reopened draft.
 */
const InlineImage = Image.extend({
  parseHTML: () => [{ tag: 'img[src^="cid:"]' }],
  addNodeView:
    () =>
    ({ node }) => {
      const src = String(node.attrs.src ?? '');
      const alt = String(node.attrs.alt ?? 'image');
      const id = src.slice('cid:'.length);
      const img = document.createElement('img');
      img.alt = alt;
      img.className = 'inline-image';
      const preview = previewFor(id);
      if (preview) {
        img.src = preview;
        return { dom: img };
      }
      // A draft reopened after a restart: the picture comes from the stored attachment; until
      // it is there (or if it cannot be shown) its name stands in for it.
      const holder = document.createElement('span');
      holder.className = 'inline-image-placeholder';
      holder.textContent = `[image: ${alt}]`;
      void loadPreview(id).then((url) => {
        if (!url) return;
        img.src = url;
        holder.replaceChildren(img);
        holder.className = '';
      });
      return { dom: holder };
    },
}).configure({ inline: true, allowBase64: false });

type Props = {
  /** Hands the editor to the composer (to place inline images), and null when it goes. */
  onEditor?: (editor: Editor | null) => void;
  html: string;
  onChange: (html: string, text: string) => void;
  labelledBy: string;
};

type Tool = {
  label: string;
  shortcut?: string;
  active: (e: Editor) => boolean;
  run: (e: Editor) => void;
  icon: LucideIcon;
};

const TOOLS: Tool[] = [
  {
    label: 'Bold',
    shortcut: 'Ctrl+B',
    icon: Bold,
    active: (e) => e.isActive('bold'),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    label: 'Italic',
    shortcut: 'Ctrl+I',
    icon: Italic,
    active: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    label: 'Underline',
    shortcut: 'Ctrl+U',
    icon: Underline,
    active: (e) => e.isActive('underline'),
    run: (e) => e.chain().focus().toggleUnderline().run(),
  },
  {
    label: 'Heading',
    icon: Heading2,
    active: (e) => e.isActive('heading', { level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    label: 'Bulleted list',
    icon: List,
    active: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    label: 'Numbered list',
    icon: ListOrdered,
    active: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    label: 'Quote',
    icon: Quote,
    active: (e) => e.isActive('blockquote'),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
  {
    label: 'Code',
    icon: SquareCode,
    active: (e) => e.isActive('codeBlock'),
    run: (e) => e.chain().focus().toggleCodeBlock().run(),
  },
];

/**
 * Rich text with Tiptap (ProseMirror): bold, italic, underline, links, lists, quotes, headings,
 * code. Images are not part of its schema, so nothing pasted can make the composer load remote
 * content; the core sanitises the HTML again before it is sent.
 */
export function RichTextEditor({ html, onChange, labelledBy, onEditor }: Props) {
  const openLink = useRef<() => void>(() => {});
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        link: { openOnClick: false, autolink: true, protocols: ['mailto'] },
        heading: { levels: [1, 2, 3] },
      }),
      InlineImage,
    ],
    content: html,
    // Its own <style> tag would break the Content-Security-Policy; styles.css has what it needs.
    injectCSS: false,
    editorProps: {
      attributes: { class: 'rich-text', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelledBy },
      // The caret is kept clear of the composer's actions bar, which sticks to the window's bottom.
      scrollThreshold: { top: 48, bottom: 150, left: 0, right: 0 },
      scrollMargin: { top: 48, bottom: 150, left: 0, right: 0 },
      handleKeyDown: (view, event) => {
        if (!(event.ctrlKey || event.metaKey)) return false;
        // Ctrl+Enter is Send (the form hears it): the editor must not also break the line or
        // replace the highlighted words, or the mail would differ from the screen.
        if (event.key === 'Enter') return true;
        // Runs before the formatting shortcuts, so they too act on what is highlighted.
        takeSelectionFromDom(view);
        // Ctrl/Cmd+K: add or change the link at the cursor, as in most editors.
        if (event.key.toLowerCase() !== 'k') return false;
        event.preventDefault();
        openLink.current();
        return true;
      },
    },
    // The toolbar shows what is on at the cursor, so every transaction re-renders it.
    shouldRerenderOnTransaction: true,
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : e.getHTML(), e.getText({ blockSeparator: '\n\n' })),
  });
  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);
  const state = TOOLS.map((tool) => (editor ? tool.active(editor) : false));
  const roving = useRovingFocus(TOOLS.length + 1);

  // The link dialog, open with the link at the cursor (null: none yet).
  const [linking, setLinking] = useState<{ current: string | null } | null>(null);
  const link = () => {
    if (!editor) return;
    setLinking({ current: (editor.getAttributes('link') as { href?: string }).href ?? null });
  };
  useEffect(() => {
    openLink.current = link;
  });
  const closeLink = () => {
    setLinking(null);
    editor?.commands.focus();
  };

  return (
    <div className="rich-editor">
      {/* One tab stop; the arrow keys move along it. Icons only: the name is the label. */}
      <div className="toolbar" role="toolbar" aria-label="Formatting" onKeyDown={roving.onKeyDown}>
        {TOOLS.map((tool, i) => (
          <button
            key={tool.label}
            type="button"
            className="tool"
            aria-label={tool.label}
            title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
            aria-pressed={state[i] ?? false}
            onClick={() => editor && tool.run(editor)}
            {...roving.item(i)}
          >
            <tool.icon aria-hidden="true" size={16} strokeWidth={2.25} />
          </button>
        ))}
        <button
          type="button"
          className="tool"
          aria-label="Link"
          title="Link (Ctrl+K)"
          aria-haspopup="dialog"
          aria-pressed={editor?.isActive('link') ?? false}
          onClick={link}
          {...roving.item(TOOLS.length)}
        >
          <Link2 aria-hidden="true" size={16} strokeWidth={2.25} />
        </button>
      </div>
      <EditorContent editor={editor} />
      {linking && editor ? (
        <LinkDialog
          current={linking.current}
          onApply={(href) => {
            const chain = editor.chain().focus().extendMarkRange('link');
            // Nothing highlighted and no link at the cursor: the address itself goes in as the
            // link's text (else nothing would show, and the next word typed would become the link).
            if (editor.state.selection.empty && !editor.isActive('link'))
              chain
                .insertContent({
                  type: 'text',
                  text: href.replace(/^mailto:/, ''),
                  marks: [{ type: 'link', attrs: { href } }],
                })
                .unsetMark('link')
                .run();
            else chain.setLink({ href }).run();
            setLinking(null);
          }}
          onRemove={() => {
            editor.chain().focus().extendMarkRange('link').unsetLink().run();
            setLinking(null);
          }}
          onClose={closeLink}
        />
      ) : null}
    </div>
  );
}
