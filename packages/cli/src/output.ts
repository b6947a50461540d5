import pc from 'picocolors';
import { redactSecrets, rememberSecret } from '@glassbox/sigv4';
import { cliWording } from './flag-wording.ts';

/** A stream the CLI writes to: `process.stdout`/`process.stderr`, or a test's collector. */
export interface OutputStream {
  /** Writes text (as UTF-8), or bytes as they are (a response body from `sign --send`). */
  write(chunk: string | Uint8Array): unknown;
  /** True for a terminal: colour and the spinner depend on it. */
  isTTY?: boolean | undefined;
  /** The terminal's width in columns, when it is one (help wraps to it). */
  readonly columns?: number | undefined;
  /**
   * Resolves when everything written has reached the system, or rejects with the write's error
   * (`EPIPE`: the reader went away; `ENOSPC`: the disk is full). Optional: a collector in memory
   * has nothing to wait for.
   */
  flush?(): Promise<void>;
}

/**
 * Everything the CLI touches outside itself, injected so `main()` can run in a test: the two output
 * streams, standard input, the environment and the working directory.
 */
export interface Io {
  /** Results: the trace, JSON, the password. */
  stdout: OutputStream;
  /** Errors, warnings, progress, and the trace when `--send` puts the response on stdout. */
  stderr: OutputStream;
  /**
   * Reads all of standard input (`--request-file -`, `-d @-`). The real process returns the bytes
   * read; an embedder may return text, which is taken as UTF-8.
   */
  readStdin: () => Promise<string | Uint8Array>;
  /** The environment: credentials, region, `NO_COLOR`, `DOCKER_CONFIG`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative file arguments are resolved. */
  cwd: string;
}

/** The colour functions of picocolors, enabled or not. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour a stream: never with `NO_COLOR` (https://no-color.org), always with
 * `FORCE_COLOR` (unless it is `0`), otherwise only on a terminal.
 *
 * @example
 * ```ts
 * colorEnabled(process.stdout, process.env); // false when piped
 * ```
 */
export function colorEnabled(stream: OutputStream, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true;
}

/** A progress line on stderr; `stop()` erases it. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Where a command's output goes. Every write passes through the one redaction (@glassbox/sigv4
 * `redactSecrets`): every secret this process has seen — the environment's, and whatever the credential
 * chain and ECR handed over — becomes a placeholder, a second line of defence so that even a message
 * quoting a server's echo of the request cannot print a secret. Stderr also loses credential-shaped
 * fields whoever wrote them; stdout keeps them, since there they are what the user asked to see (the
 * body `sign --send` fetched).
 */
export class Output {
  readonly io: Io;
  /** Colours for stdout. */
  readonly color: Colors;
  /** Colours for stderr. */
  readonly errColor: Colors;
  readonly debug: boolean;

  constructor(io: Io, options: { debug?: boolean } = {}) {
    this.io = io;
    this.color = pc.createColors(colorEnabled(io.stdout, io.env));
    this.errColor = pc.createColors(colorEnabled(io.stderr, io.env));
    this.debug = options.debug ?? false;
    this.addSecret(io.env.AWS_SECRET_ACCESS_KEY);
    this.addSecret(io.env.AWS_SESSION_TOKEN);
  }

  /** Registers a value that must never be printed (credentials found by the chain, say), for the whole process. */
  addSecret(secret: string | undefined): void {
    rememberSecret(secret, 'secret');
  }

  /** Replaces every secret the process has seen in a text; with `shapes`, credential-shaped fields too. */
  scrub(text: string, shapes = false): string {
    return redactSecrets(text, { shapes });
  }

  /** Writes to stdout as is (after scrubbing the secrets seen). */
  out(text: string): void {
    this.io.stdout.write(this.scrub(text));
  }

  /**
   * Writes the CLI's own prose to stdout (a trace, a diagnosis): scrubbed, and with the libraries'
   * option names replaced by the flags that set them (flag-wording.ts).
   */
  outWords(text: string): void {
    this.out(cliWording(text));
  }

  /**
   * Writes to stderr (after scrubbing the secrets seen and credential-shaped fields). Everything on
   * stderr is a message to the user, so the libraries' option names become the CLI's flags.
   */
  err(text: string): void {
    this.io.stderr.write(cliWording(this.scrub(text, true)));
  }

  /**
   * Writes bytes to stdout exactly as they are: a downloaded body, which scrubbing could corrupt.
   * Only for data the user asked to receive; a service's error message goes through {@link out}.
   */
  outBytes(bytes: Uint8Array): void {
    this.io.stdout.write(bytes);
  }

  /** Prints a value as indented JSON on stdout. */
  json(value: unknown): void {
    this.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A warning line on stderr. */
  warn(message: string): void {
    this.err(`${this.errColor.yellow('warning:')} ${message}\n`);
  }

  /**
   * A spinner with a message on stderr while something slow happens, only when stderr is a
   * terminal: piped output and logs never see it.
   */
  progress(text: string): Progress {
    if (this.io.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
    let frame = 0;
    let message = text;
    const draw = (): void => {
      this.err(`\r\x1b[2K${this.errColor.cyan(SPINNER[frame++ % SPINNER.length]!)} ${message}`);
    };
    const timer = setInterval(draw, 80);
    timer.unref();
    draw();
    return {
      update: (next) => {
        message = next;
      },
      stop: () => {
        clearInterval(timer);
        this.err('\r\x1b[2K');
      },
    };
  }
}
