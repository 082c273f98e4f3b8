import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder of fake commands (docker, az, kubectl, ...) for PATH. Each one appends the line
 * "<name> <args joined by spaces>" to a calls file, then runs its bash body. The bodies get
 * $FAKE_STATE, a folder where they can keep what they "created", so a second run sees it.
 * Only bash builtins are available to them: PATH holds nothing but this folder.
 */
export class FakeCommands {
  readonly bin: string;
  readonly state: string;
  private readonly root: string;
  private readonly callsFile: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'fake-commands-'));
    this.bin = join(this.root, 'bin');
    this.state = join(this.root, 'state');
    this.callsFile = join(this.root, 'calls.log');
    for (const dir of [this.bin, this.state]) mkdirSync(dir);
    writeFileSync(this.callsFile, '');
  }

  /** Writes an executable fake; `body` is bash run after the call is recorded. */
  add(name: string, body = 'exit 0'): this {
    this.addScript(join(this.bin, name), name, body);
    return this;
  }

  /**
   * Writes an executable fake at any path (a script a script under test runs by its path),
   * recording its calls as "<name> <args>" like the fakes on PATH.
   */
  addScript(file: string, name: string, body = 'exit 0'): this {
    writeFileSync(
      file,
      [
        `#!${bashPath()}`,
        `printf '%s\\n' "${name} $*" >> ${quote(this.callsFile)}`,
        `FAKE_STATE=${quote(this.state)}`,
        body,
        '',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
    return this;
  }

  /** Puts real commands (mkdir, rm, ...) on the fakes' PATH, for scripts that need a few beside the fakes. */
  allow(...names: string[]): this {
    for (const name of names) {
      const real = ['/usr/bin', '/bin'].map((dir) => join(dir, name)).find(isExecutable);
      if (!real) throw new Error(`${name} not found in /usr/bin or /bin`);
      symlinkSync(real, join(this.bin, name));
    }
    return this;
  }

  /** The calls recorded so far, one "<name> <args>" line each. */
  calls(): string[] {
    return readFileSync(this.callsFile, 'utf8').split('\n').filter((line) => line !== '');
  }

  clearCalls(): void {
    writeFileSync(this.callsFile, '');
  }

  /** Marks an object as existing for the fakes (a file in the state folder). */
  markExisting(key: string, content = ''): void {
    writeFileSync(join(this.state, key), content);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let bash: string | undefined;

/** Absolute path of bash: the fakes' shebang and what the scripts under test run on. */
export function bashPath(): string {
  bash ??= ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find(isExecutable);
  if (!bash) throw new Error('bash not found in /bin, /usr/bin or /usr/local/bin');
  return bash;
}
