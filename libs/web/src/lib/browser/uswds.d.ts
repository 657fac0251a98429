// USWDS ships its component behaviours as untyped CommonJS; the site only calls `on`.
declare module '@uswds/uswds/js/*' {
  const behavior: { on(target: HTMLElement): void; off(target: HTMLElement): void };
  export default behavior;
}
