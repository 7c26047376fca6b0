// Lint rules CI runs (`npm run lint`). Type checking is `npm run typecheck`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
      // One spelling per word (docs/architecture.md, "Vocabulary"): normalize, not normalise; UltraMsg, not Ultramsg.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Identifier[name=/[Nn]ormalis/], PrivateIdentifier[name=/[Nn]ormalis/]',
          message: "Spell it 'normalize' (normalized, normalization, normalizer): one spelling per word.",
        },
        {
          selector: 'Identifier[name=/Ultramsg/], PrivateIdentifier[name=/Ultramsg/]',
          message: "Spell it 'UltraMsg' in identifiers (lower-case 'ultramsg' for ids, paths and strings): one spelling per word.",
        },
      ],
    },
  },
);
