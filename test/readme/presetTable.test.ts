import { readFileSync } from 'fs';

import { SCENARIO_PRESETS } from '../../nodes/OneMsg/template/presets';
import { README, currentBlock, presetTable } from '../../scripts/preset-table';

describe('README preset table', () => {
	it('matches the preset data (run `npm run readme:presets` after changing presets)', () => {
		const block = currentBlock(readFileSync(README, 'utf8'));
		expect(block).toBeDefined();
		expect(block).toBe(presetTable(SCENARIO_PRESETS));
	});

	it('would notice a preset whose label changed', () => {
		const changed = SCENARIO_PRESETS.map((preset, index) =>
			index === 0 ? { ...preset, variables: [{ ...preset.variables[0], label: 'Client Name' }, ...preset.variables.slice(1)] } : preset,
		);
		expect(presetTable(changed)).not.toBe(presetTable(SCENARIO_PRESETS));
		expect(presetTable(changed)).toContain('{{1}} Client Name');
	});
});
