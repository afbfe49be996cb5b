import { ApexError } from '../../src/errors.js';

/** The ApexError `action` throws; any other outcome fails the test. */
export const thrown = (action: () => unknown): ApexError => {
  try {
    action();
  } catch (error) {
    if (error instanceof ApexError) return error;
    throw error;
  }
  throw new Error('expected an ApexError');
};
