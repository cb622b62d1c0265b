/** A key path as a user reads it: models.codex.default_model, registry.models[0].id. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) =>
      typeof p === 'number' || /^\d+$/.test(String(p)) ? `[${String(p)}]` : `${i ? '.' : ''}${String(p)}`,
    )
    .join('');
}
