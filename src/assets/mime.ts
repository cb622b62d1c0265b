/** File extensions for the media types the creative APIs return, and back. */
const EXTENSION_BY_MIME: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/svg+xml': '.svg',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
};

export function extensionFor(mimeType: string | null | undefined, fallback: string): string {
  return (mimeType && EXTENSION_BY_MIME[mimeType.toLowerCase().split(';')[0]!.trim()]) || fallback;
}

export function mimeForPath(path: string): string | null {
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
  if (ext === '.jpeg') return 'image/jpeg';
  return Object.entries(EXTENSION_BY_MIME).find(([, e]) => e === ext)?.[0] ?? null;
}
