/**
 * The text of `s` in a string of its own. A slice of a large string shares its characters
 * (V8 keeps a pointer into the original), so a short slice kept for long — a path, a name,
 * a line of evidence cut from a chunk of diff — keeps the whole chunk alive, and the garbage
 * collector copies every such chunk. Prepending a character makes V8 copy; slicing it off again
 * shares only the copy.
 */
export const ownCopy = (s: string): string => ` ${s}`.slice(1);
