import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Artifact, BuildCache, Builder, BuildPlan } from '@helixstack/sdk';
import { type RecordingContext, recordingContext } from '@helixstack/testkit';

/** Writes an app of a few files into a new folder under `root`. */
export async function writeApp(
  root: string,
  name: string,
  files: Record<string, string | object>,
): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(
      join(dir, path),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

export interface FixtureBuild {
  plan: BuildPlan;
  recording: RecordingContext;
  outputDir: string;
  /** Resolves to the artifact, or rejects as the build does. */
  result: Promise<Artifact>;
}

/** Detects and starts a build of `dir` in a fresh output folder; the caller awaits `result`. */
export async function startBuild(
  builder: Builder,
  dir: string,
  options: {
    cache: BuildCache;
    /** Output folders are made here, so the test's cleanup removes them. */
    outputRoot: string;
    env?: Record<string, string>;
    recording?: RecordingContext;
  },
): Promise<FixtureBuild> {
  const source = { dir, digest: 'test' };
  const plan = await builder.detect(source);
  if (!plan) throw new Error(`${dir} was not detected`);
  const outputDir = await mkdtemp(join(options.outputRoot, 'output-'));
  const recording = options.recording ?? recordingContext();
  const result = builder.build(recording.ctx, {
    source,
    plan,
    env: options.env ?? {},
    cache: options.cache,
    outputDir,
  });
  return { plan, recording, outputDir, result };
}

/**
 * Starts a process bundle as a runtime would (cwd = ref, start.env, PORT=0) and returns
 * the body of GET `path` once the app says which port it listens on.
 */
export async function fetchFromBundle(artifact: Artifact, path: string): Promise<string> {
  const [command = '', ...args] = artifact.start?.command ?? [];
  const child = spawn(command, args, {
    cwd: artifact.ref,
    env: { ...artifact.start?.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<string>((done, fail) => {
      let seen = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk;
        const match = /listening on (\d+)/.exec(seen);
        if (match?.[1]) done(match[1]);
      });
      child.on('exit', (code) => fail(new Error(`the app exited with ${code} before listening`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return await response.text();
  } finally {
    child.kill('SIGKILL');
  }
}
