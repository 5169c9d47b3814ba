// @ts-check
'use strict';

/**
 * A numeric command-line flag of the benchmark scripts: `--name 30` gives 30, a missing flag the fallback.
 * @param {string} name @param {number} fallback
 */
function flag(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

module.exports = { flag };
