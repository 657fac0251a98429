import { RecordingLogger } from './logger';
import { nestLogger } from './nest-logger';

describe('nestLogger', () => {
  it('writes Nest messages with their context, and an error with its stack', () => {
    const recorded = new RecordingLogger();
    const nest = nestLogger(recorded);
    nest.log('Mapped {/v1/events/batch, POST} route', 'RouterExplorer');
    nest.error('boom', 'Error: boom\n    at handler', 'ExceptionsHandler');
    nest.warn({ detail: 'an object' });
    nest.fatal('cannot listen');
    expect(recorded.lines).toEqual([
      'log RouterExplorer: Mapped {/v1/events/batch, POST} route',
      'error ExceptionsHandler: boom\nError: boom\n    at handler',
      'warn {"detail":"an object"}',
      'error cannot listen',
    ]);
  });

  it('writes only the levels asked for, and never debug or verbose', () => {
    const recorded = new RecordingLogger();
    const nest = nestLogger(recorded, ['error', 'warn']);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.debug('details');
    nest.verbose('more details');
    nest.warn('slow');
    expect(recorded.lines).toEqual(['warn slow']);
  });
});
