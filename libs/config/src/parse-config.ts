import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { isFinksEnv } from './environments';
import { ConfigSyntaxError } from './errors/config-syntax-error';
import { ConfigValidationError } from './errors/config-validation-error';
import { formatPath, type ConfigIssue } from './issues';
import { findSecretLikeValues } from './rules/secrets';
import { finksConfigSchema, type FinksConfig } from './schema/config-schema';
import { positionOf } from './yaml-positions';

/**
 * Parses and validates the text of one config file. `fileName` is used in messages and, when it
 * is `<env>.yaml`, checked against the `env` field so a copied file cannot keep the wrong env.
 * Throws `ConfigSyntaxError` or `ConfigValidationError` listing every problem found.
 */
export function parseConfig(text: string, fileName: string): FinksConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigSyntaxError(fileName, syntaxIssues(text, document));
  }

  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigValidationError(fileName, [
      { path: [], message: 'the file must be a mapping of settings (env, region, accountId, …)' },
    ]);
  }

  // A secret finding wins over any other problem at the same path: "this is a secret" is the
  // message that must be read, not "unknown key" or "bad format".
  const secretFindings = findSecretLikeValues(raw);
  const secretPaths = new Set(secretFindings.map((finding) => formatPath(finding.path)));
  const result = finksConfigSchema.safeParse(raw, { error: readableMessage });
  const schemaIssues = result.success ? [] : result.error.issues.map(toConfigIssue);
  const issues = [
    ...secretFindings,
    ...envMatchesFileName(raw, fileName),
    ...schemaIssues.filter((issue) => !secretPaths.has(formatPath(issue.path))),
  ];
  if (issues.length === 0 && result.success) return result.data;

  const located = issues
    .map((issue): ConfigIssue => {
      const position = positionOf(document, lineCounter, issue.path);
      return position ? { ...issue, line: position.line, column: position.column } : issue;
    })
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  throw new ConfigValidationError(fileName, located);
}

function syntaxIssues(text: string, document: Document): ConfigIssue[] {
  const lines = text.split('\n');
  const byLine = new Map<number, ConfigIssue>();
  for (const error of document.errors) {
    const position = error.linePos?.[0];
    const line = position?.line ?? 0;
    if (byLine.has(line)) continue; // one cause usually yields a cascade on the same line
    // yaml appends " at line L, column C:" and a source excerpt; we print the position ourselves.
    const summary = (error.message.split('\n')[0] ?? error.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    const source = (lines[line - 1] ?? '').trim();
    const hint = /:\s*\*/.test(source)
      ? ' (a value starting with "*" must be quoted, e.g. "*/5 * * * *": unquoted, YAML reads it as an alias)'
      : '';
    byLine.set(line, {
      path: [],
      message: `${summary}${hint}${source === '' ? '' : ` in ${JSON.stringify(source)}`}`,
      ...(position ? { line: position.line, column: position.col } : {}),
    });
  }
  return [...byLine.values()];
}

function envMatchesFileName(raw: object, fileName: string): ConfigIssue[] {
  const stem = basename(fileName, extname(fileName));
  const env = 'env' in raw ? raw.env : undefined;
  if (!isFinksEnv(stem) || !isFinksEnv(env) || env === stem) return [];
  return [
    {
      path: ['env'],
      message: `is "${env}" but the file is ${basename(fileName)}: a file configures the environment it is named after`,
    },
  ];
}

function toConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  // Point an unknown key at the key itself, so the path names the typo.
  if (
    issue.code === 'unrecognized_keys' &&
    issue.keys.length === 1 &&
    issue.keys[0] !== undefined
  ) {
    return { path: [...path, issue.keys[0]], message: issue.message };
  }
  return { path, message: issue.message };
}

const readableMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return `is required (${issue.expected})`;
  return `expected ${issue.expected}, got ${describeInput(issue.input)}`;
};

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return input.length <= 40 ? `"${input}"` : 'a string';
  return `${typeof input} ${String(input)}`;
}
