/**
 * Pictures of images added in this window, by attachment id, so an inline image shows in the
 * editor while its HTML says `cid:<id>`. Local object URLs only: nothing is fetched.
 */
const previews = new Map<string, string>();

export function rememberPreview(id: string, file: File): void {
  if (file.type.startsWith('image/')) previews.set(id, URL.createObjectURL(file));
}

export function previewFor(id: string): string | undefined {
  return previews.get(id);
}
