// Jest runs tests in a VM context with its own `Object`, but `structuredClone` is Node's and
// returns objects of the outer realm. oidc-provider clones its configuration with it and then
// checks `value.constructor === Object`, which such objects fail ("client JSON Web Key Set is
// invalid"). Outside Jest there is one realm and nothing to fix; here plain objects and arrays
// of a clone are rebuilt in the test realm.
const outerClone = globalThis.structuredClone;

function intoThisRealm(value) {
  if (Array.isArray(value)) return value.map(intoThisRealm);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(Object.getPrototypeOf(value)) === null && !(value instanceof Object)) {
    const copy = {};
    for (const [key, entry] of Object.entries(value)) copy[key] = intoThisRealm(entry);
    return copy;
  }
  return value;
}

globalThis.structuredClone = (value, options) => intoThisRealm(outerClone(value, options));
