// Workspace-wide lint rules. Each project's eslint.config.mjs re-exports this file so `nx lint`
// runs from the project's folder with the same rules everywhere.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const pulumiOnlyInInfrastructure = {
  bannedExternalImports: ['@pulumi/*'],
};

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/.finks/**',
      '**/generated/**',
      '**/target/**',
      '**/*.d.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      // The tags on every project (scope:* and type:*) decide who may import whom. Nothing is
      // allowed by default: a new tag needs a rule here before anything can use it.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // An app is deployed on its own: it imports libs, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // Workspace tooling may read libs, never apps (apps are reached through nx, not imports).
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            // Shared libs are imported by every app, so they must not drag app concerns along.
            {
              sourceTag: 'scope:shared',
              onlyDependOnLibsWithTags: ['scope:shared'],
              ...pulumiOnlyInInfrastructure,
            },
            {
              sourceTag: 'scope:infrastructure',
              onlyDependOnLibsWithTags: ['scope:infrastructure', 'scope:shared'],
            },
            {
              sourceTag: 'scope:pipelines',
              onlyDependOnLibsWithTags: ['scope:pipelines', 'scope:shared'],
              ...pulumiOnlyInInfrastructure,
            },
            {
              sourceTag: 'scope:dbt',
              onlyDependOnLibsWithTags: ['scope:dbt', 'scope:shared'],
              ...pulumiOnlyInInfrastructure,
            },
            {
              sourceTag: 'scope:ingestion',
              onlyDependOnLibsWithTags: ['scope:ingestion', 'scope:shared'],
              ...pulumiOnlyInInfrastructure,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'aws-sdk',
              message: 'AWS SDK v2 is end of life; use the modular @aws-sdk/client-* v3 packages.',
            },
          ],
          patterns: [
            {
              group: ['@finks/*/src/*', '@finks/*/src'],
              message:
                'Import a lib through its package name only: src/index.ts is its one public API.',
            },
          ],
        },
      ],
    },
  },
  {
    // Per-project config files re-export the workspace's shared settings by relative path.
    files: ['**/eslint.config.mjs', '**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  prettier,
];
