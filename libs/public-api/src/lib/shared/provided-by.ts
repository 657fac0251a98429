import type { ClassProvider, ExistingProvider, FactoryProvider, Provider } from '@nestjs/common';

/** A ready value, or how Nest should make it (class, factory or existing token). */
export type ProvidedBy<T> = T | Omit<ClassProvider<T>, 'provide'> | Omit<FactoryProvider<T>, 'provide'> | Omit<ExistingProvider<T>, 'provide'>;

export function provide<T extends object>(token: symbol, source: ProvidedBy<T>): Provider {
  const isRecipe = 'useValue' in source || 'useClass' in source || 'useFactory' in source || 'useExisting' in source;
  return isRecipe ? ({ ...source, provide: token } as Provider) : { provide: token, useValue: source };
}
