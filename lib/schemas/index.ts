export * from './common';
export * from './service';
export * from './slo';
export * from './status';
export * from './datasource';
export * from './field-errors';
export * from './prometheus';
