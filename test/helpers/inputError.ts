import { InputError } from '../../nodes/OneMsg/shared/failures';

/** The InputError a check throws; any other outcome fails the test. */
export function inputErrorOf(fn: () => unknown): InputError {
	try {
		fn();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError, nothing was thrown');
}
