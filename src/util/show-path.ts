/**
 * A path as printed for people: control characters (a newline or tab in a file name)
 * are shown escaped and the whole quoted, as git does, so one name stays one line and
 * cannot fake other output lines. JSON output keeps the real name.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f"\\]/;

export function showPath(path: string): string {
  if (!CONTROL.test(path)) return path;
  return JSON.stringify(path);
}
