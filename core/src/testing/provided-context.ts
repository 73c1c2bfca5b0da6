// Values the test run's global setup hands to every test file through Vitest's `inject`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server for tests; each test file creates its own database on it. */
    databaseUrl: string;
  }
}

export {};
