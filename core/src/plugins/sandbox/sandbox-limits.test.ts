import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { sandboxLimitsFromConfig } from './index.ts';

describe('sandboxLimitsFromConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(sandboxLimitsFromConfig(loadConfig({}, '/srv/daicho'))).toEqual({
      memoryMb: 64,
      cpuTimeoutMs: 1000,
      deadlineMs: 10_000,
      maxHostCalls: 1000,
      maxOutputBytes: 1024 * 1024,
      maxOutputDepth: 64,
      maxLogBytes: 64 * 1024,
    });
    expect(loadConfig({}, '/srv/daicho').pluginRunners).toBe(2);
  });

  it('reads each DAICHO_PLUGIN_* variable', () => {
    const config = loadConfig(
      {
        DAICHO_PLUGIN_RUNNERS: '4',
        DAICHO_PLUGIN_MEMORY_MB: '128',
        DAICHO_PLUGIN_TIMEOUT_MS: '250',
        DAICHO_PLUGIN_DEADLINE_MS: '3000',
        DAICHO_PLUGIN_MAX_HOST_CALLS: '50',
        DAICHO_PLUGIN_MAX_OUTPUT: '256kb',
        DAICHO_PLUGIN_MAX_OUTPUT_DEPTH: '20',
        DAICHO_PLUGIN_MAX_LOG: '8kb',
      },
      '/srv/daicho',
    );
    expect(config.pluginRunners).toBe(4);
    expect(sandboxLimitsFromConfig(config)).toEqual({
      memoryMb: 128,
      cpuTimeoutMs: 250,
      deadlineMs: 3000,
      maxHostCalls: 50,
      maxOutputBytes: 256 * 1024,
      maxOutputDepth: 20,
      maxLogBytes: 8 * 1024,
    });
  });

  it('refuses values out of range', () => {
    expect(() => loadConfig({ DAICHO_PLUGIN_MEMORY_MB: '2' }, '/srv/daicho')).toThrow(/DAICHO_PLUGIN_MEMORY_MB/);
    expect(() => loadConfig({ DAICHO_PLUGIN_RUNNERS: '0' }, '/srv/daicho')).toThrow(/DAICHO_PLUGIN_RUNNERS/);
  });
});
