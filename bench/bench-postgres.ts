// The PostgreSQL server a benchmark runs on: DAICHO_BENCH_DATABASE_URL when given, else the local
// server at 127.0.0.1:5432 when it answers, else an embedded one.

import net from 'node:net';
import { startTestPostgresServer } from '@daicho/core/testing';

function localServerAnswers(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(5432, '127.0.0.1');
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

export async function startBenchPostgres(): ReturnType<typeof startTestPostgresServer> {
  const given = process.env.DAICHO_BENCH_DATABASE_URL;
  const localUp = given ? false : await localServerAnswers();
  return startTestPostgresServer({ DAICHO_TEST_DATABASE_URL: given ?? (localUp ? 'postgres://postgres@127.0.0.1:5432/postgres' : undefined) });
}
