import { consoleLogger, RecordingLogger, silentLogger } from './logger';

describe('consoleLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(['log', 'warn', 'error'] as const)('prefixes %s lines with the part that wrote them', (level) => {
    const written = jest.spyOn(console, level).mockImplementation(() => undefined);
    consoleLogger('relay')[level]('3 changes published');
    expect(written).toHaveBeenCalledWith('[relay] 3 changes published');
  });
});

describe('silentLogger', () => {
  it('writes nothing', () => {
    const written = (['log', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    silentLogger.log('a');
    silentLogger.warn('b');
    silentLogger.error('c');
    written.forEach((spy) => expect(spy).not.toHaveBeenCalled());
    jest.restoreAllMocks();
  });
});

describe('RecordingLogger', () => {
  it('keeps every line with its level, in order', () => {
    const logger = new RecordingLogger();
    logger.log('started');
    logger.warn('slow');
    logger.error('failed');
    expect(logger.lines).toEqual(['log started', 'warn slow', 'error failed']);
  });
});
