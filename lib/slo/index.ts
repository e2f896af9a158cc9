export * from './alerts';
export * from './budget';
export * from './duration';
export * from './series';
export * from './timeslices';
export * from './window';
export * from './data-quality';
export * from './gate';
