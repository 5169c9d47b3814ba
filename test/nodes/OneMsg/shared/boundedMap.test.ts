import { BoundedMap } from '../../../../nodes/OneMsg/shared/boundedMap';

describe('BoundedMap', () => {
	it('forgets the least recently written key beyond its capacity', () => {
		const map = new BoundedMap<string, number>(2);
		map.set('a', 1);
		map.set('b', 2);
		map.set('a', 3);
		map.set('c', 4);
		expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
	});

	it('does not count a read as a write', () => {
		const map = new BoundedMap<string, number>(2);
		map.set('a', 1);
		map.set('b', 2);
		map.get('a');
		map.set('c', 3);
		expect(map.get('a')).toBeUndefined();
		expect(map.get('b')).toBe(2);
	});

	it('deletes a key', () => {
		const map = new BoundedMap<string, number>(2);
		map.set('a', 1);
		map.delete('a');
		expect(map.get('a')).toBeUndefined();
	});
});
