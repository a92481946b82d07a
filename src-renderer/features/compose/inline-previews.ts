/**
 * Pictures of inline images, by attachment id, so an image shows in the editor while its HTML
 * says `cid:<id>`: the person's own file when it was added in this window, else its bytes
 * asked of the core once (a draft reopened after a restart). Object URLs only: nothing remote.
 */
const previews = new Map<string, string>();
const loading = new Map<string, Promise<string | undefined>>();

/** Reads an attachment's bytes from the core (set by the composer, which has the API). */
type Loader = (id: string) => Promise<{ type: string; base64: string } | null>;
let loader: Loader | null = null;

export function setPreviewLoader(load: Loader): void {
  loader = load;
}

export function rememberPreview(id: string, file: File): void {
  if (file.type.startsWith('image/')) previews.set(id, URL.createObjectURL(file));
}

export function previewFor(id: string): string | undefined {
  return previews.get(id);
}

/** The picture for an attachment, loading it once if this window has not seen the file. */
export function loadPreview(id: string): Promise<string | undefined> {
  const known = previews.get(id);
  if (known) return Promise.resolve(known);
  let pending = loading.get(id);
  if (!pending) {
    pending = (loader ? loader(id) : Promise.resolve(null)).then((image) => {
      if (!image) return undefined;
      const bytes = Uint8Array.from(atob(image.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: image.type }));
      previews.set(id, url);
      return url;
    });
    loading.set(id, pending);
  }
  return pending;
}
