// The CLI's building blocks, for its tests. The package exports nothing: workflows run the CLI
// (src/cli/deploy-plan.ts) through tsx.
export * from './deploy-plan.ts';
export * from './markdown.ts';
export * from './nx.ts';
export * from './plan-error.ts';
export * from './project-graph.ts';
export * from './trigger.ts';
export * from './npm-audit.ts';
