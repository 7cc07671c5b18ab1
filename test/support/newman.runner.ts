import { readFileSync } from 'node:fs';
import newman from 'newman';

export interface NewmanOutcome {
  requests: number;
  assertions: number;
  failures: string[];
}

/** Runs a Postman collection (or one folder of it) unchanged with newman, and collects every failed assertion. */
export function runCollection(
  file: string,
  options: { folder?: string | string[]; envVar?: Record<string, string>; environment?: string },
): Promise<NewmanOutcome> {
  const collection = JSON.parse(readFileSync(file, 'utf8')) as object;
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        ...(options.environment ? { environment: JSON.parse(readFileSync(options.environment, 'utf8')) as object } : {}),
        ...(options.folder ? { folder: options.folder } : {}),
        envVar: Object.entries(options.envVar ?? {}).map(([key, value]) => ({ key, value })),
        insecure: true,
        reporters: [],
        timeoutRequest: 20_000,
      },
      (error, summary) => {
        if (error) return reject(error);
        const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.name} ${f.error.message}`);
        resolve({ requests: summary.run.stats.requests.total ?? 0, assertions: summary.run.stats.assertions.total ?? 0, failures });
      },
    );
  });
}
