import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
