import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';

type Props = {
  html: string;
  onChange: (html: string, text: string) => void;
  labelledBy: string;
};

type Tool = { label: string; shortcut?: string; active: (e: Editor) => boolean; run: (e: Editor) => void; text: string };

const TOOLS: Tool[] = [
  { label: 'Bold', shortcut: 'Ctrl+B', text: 'B', active: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
  { label: 'Italic', shortcut: 'Ctrl+I', text: 'I', active: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
  { label: 'Underline', shortcut: 'Ctrl+U', text: 'U', active: (e) => e.isActive('underline'), run: (e) => e.chain().focus().toggleUnderline().run() },
  { label: 'Heading', text: 'H', active: (e) => e.isActive('heading', { level: 2 }), run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
  { label: 'Bulleted list', text: '•', active: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: 'Numbered list', text: '1.', active: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: 'Quote', text: '❝', active: (e) => e.isActive('blockquote'), run: (e) => e.chain().focus().toggleBlockquote().run() },
  { label: 'Code', text: '</>', active: (e) => e.isActive('codeBlock'), run: (e) => e.chain().focus().toggleCodeBlock().run() },
];

/**
 * Rich text with Tiptap (ProseMirror): bold, italic, underline, links, lists, quotes, headings,
 * code. Images are not part of its schema, so nothing pasted can make the composer load remote
 * content; the core sanitises the HTML again before it is sent.
 */
export function RichTextEditor({ html, onChange, labelledBy }: Props) {
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ['mailto'] }, heading: { levels: [1, 2, 3] } })],
    content: html,
    // Its own <style> tag would break the Content-Security-Policy; styles.css has what it needs.
    injectCSS: false,
    editorProps: { attributes: { class: 'rich-text', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelledBy } },
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : e.getHTML(), e.getText({ blockSeparator: '\n\n' })),
  });
  const state = useEditorState({ editor, selector: ({ editor: e }) => (e ? TOOLS.map((tool) => tool.active(e)) : TOOLS.map(() => false)) });

  const link = () => {
    if (!editor) return;
    const previous = (editor.getAttributes('link') as { href?: string }).href ?? 'https://';
    const href = window.prompt('Link address (https://… or mailto:…)', previous);
    if (href === null) return;
    if (href.trim() === '') editor.chain().focus().unsetLink().run();
    else editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  return (
    <div className="rich-editor">
      <div className="toolbar" role="toolbar" aria-label="Formatting">
        {TOOLS.map((tool, i) => (
          <button key={tool.label} type="button" className="tool" aria-label={tool.label} title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label} aria-pressed={state?.[i] ?? false} onClick={() => editor && tool.run(editor)}>
            {tool.text}
          </button>
        ))}
        <button type="button" className="tool" aria-label="Link" title="Link" aria-pressed={editor?.isActive('link') ?? false} onClick={link}>
          Link
        </button>
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
