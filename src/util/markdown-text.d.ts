// Prompt templates (`*.md` beside the code that fills them) are imported as their text.
declare module '*.md' {
  const text: string;
  export default text;
}
