/** The shared HTTP layer: one error model, one zod-issue formatter, one route wrapper (README of each file). */
export * from './errors';
export * from './validation';
export * from './route';
export * from './endpoint';
export * from './auth';
