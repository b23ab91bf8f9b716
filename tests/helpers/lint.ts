/**
 * Lints a snippet as if it were a file of the project, for the boundary tests: the rules that fired.
 * Snippets are linted as files that do not exist, so without the type-aware project service (the
 * boundary rules are syntactic), which would refuse a path outside tsconfig.
 */
import { ESLint } from 'eslint';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

/** The rule ids (or messages, for a parse error) reported for `code` at `filePath`. */
export async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return (r?.messages ?? []).map((m) => m.ruleId ?? m.message);
}
