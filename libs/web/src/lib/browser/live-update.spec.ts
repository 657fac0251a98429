import { isNewer } from './live-update';

describe('telling a newer case revision from the one shown', () => {
  it.each([
    ['10', '9', true],
    ['9', '10', false],
    ['12', '12', false],
    ['9007199254740993', '9007199254740992', true],
    ['100000000000000000000', '99999999999999999999', true],
  ])('%s after %s: %s', (candidate, current, newer) => {
    expect(isNewer(candidate, current)).toBe(newer);
  });
});
