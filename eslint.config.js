import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const READER_MESSAGE = 'Read files through src/io/read.ts (readTextFile, readTextFileAsync, openRegularFile): regular files only, bounded in size.';

/** no-restricted-imports paths forbidding the given reading functions of node:fs and node:fs/promises. */
function restrictedFsImports(names) {
  const sync = names;
  const promises = names.filter((n) => n === 'readFile' || n === 'open');
  return [
    ...['node:fs', 'fs'].map((name) => ({ name, importNames: sync, message: READER_MESSAGE })),
    ...['node:fs/promises', 'fs/promises'].map((name) => ({ name, importNames: promises, message: READER_MESSAGE })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the CLI entry point may end the process (see DEVELOPERS.md).
      'no-process-exit': 'off',
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli.ts may exit the process.' }],
    },
  },
  { files: ['src/cli.ts', 'test/**', 'bench/**'], rules: { 'no-restricted-properties': 'off' } },
  // Every file the tool reads goes through the bounded reader (src/io/read.ts): regular files
  // only, refused before a FIFO could block the open, with a size limit per kind.
  {
    files: ['src/**'],
    ignores: ['src/io/read.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrictedFsImports(['readFileSync', 'readFile', 'createReadStream', 'openSync', 'open', 'promises']) }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value=/^(node:)?fs(\\/promises)?$/] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)", message: READER_MESSAGE },
        { selector: "ImportExpression[source.value=/^(node:)?fs(\\/promises)?$/]", message: READER_MESSAGE },
      ],
    },
  },
  // The guard's log follower streams real logs with its own line limits (docs/guard.md).
  {
    files: ['src/guard/sources/file.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedFsImports(['readFileSync', 'readFile', 'createReadStream', 'open', 'promises']) }] },
  },
);
