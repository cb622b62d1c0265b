export function architectureChange(files: Array<{ path: string; status: string }>) {
  return { changed: false, evidence: [] as string[] };
}
