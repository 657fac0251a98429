/**
 * What a person just recorded, once its projection holds it, so the answer (and the page the
 * person sees next) shows it: the projector is woken by the append and usually takes a few
 * milliseconds. Reads up to 30 times, 100 ms apart (about three seconds), then gives up with
 * null; the caller says the change will show in a moment.
 */
export async function projected<T>(read: () => Promise<T | null | undefined>, done: (value: T) => boolean = () => true): Promise<T | null> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const value = await read();
    if (value && done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}
