import { describe, expect, it } from 'vitest';
import { runChild } from './child-process';

// A child that prints the first line it reads, or `(end)` when its input ends first.
const ECHO_FIRST_LINE = [
  '-e',
  `process.stdin.setEncoding('utf8');
   let text = '';
   process.stdin.on('data', (chunk) => (text += chunk));
   process.stdin.on('end', () => console.log(text === '' ? '(end)' : text.split('\\n')[0]));`,
];

describe('runChild', () => {
  it('closes the input of a command not held, so one that reads it does not wait', async () => {
    const { stdout } = await runChild(process.execPath, ECHO_FIRST_LINE, { label: 'echo' });
    expect(stdout.trim()).toBe('(end)');
  });

  it('tells a held command go when released with true, and only then', async () => {
    let release: (go: boolean) => void = () => undefined;
    let released = false;
    const result = runChild(process.execPath, ECHO_FIRST_LINE, {
      label: 'echo',
      release: new Promise<boolean>((resolve) => (release = resolve)),
    }).then((child) => ({ ...child, released }));
    // Not released yet: the child is still waiting for its input.
    await new Promise((resolve) => setTimeout(resolve, 200));
    released = true;
    release(true);
    const child = await result;
    expect(child.released).toBe(true);
    expect(child.stdout.trim()).toBe('go');
  });

  it('ends the input of a held command released with false', async () => {
    const { stdout } = await runChild(process.execPath, ECHO_FIRST_LINE, {
      label: 'echo',
      release: Promise.resolve(false),
    });
    expect(stdout.trim()).toBe('(end)');
  });

  it('kills a command whose signal aborts and says why it stopped', async () => {
    const controller = new AbortController();
    const result = runChild(process.execPath, ['-e', 'setTimeout(() => undefined, 30_000)'], {
      label: 'connector fmp',
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort(new Error('Execution was interrupted by SIGTERM.'));
    await expect(result).rejects.toThrow(
      'connector fmp was stopped: Execution was interrupted by SIGTERM.',
    );
  });
});
