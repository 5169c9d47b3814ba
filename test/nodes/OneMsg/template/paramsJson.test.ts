import { inputErrorOf as errorOf } from '../../../helpers/inputError';
import { paramsFromJson } from '../../../../nodes/OneMsg/template/paramsJson';

describe('paramsFromJson', () => {
	it('accepts every component kind Meta documents, in JSON text', () => {
		const params = [
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] },
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'currency', currency: { fallback_value: '$5', code: 'USD', amount_1000: 5000 } }] },
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1893456000000 } }] },
			{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'SAVE5' }] },
			{ type: 'button', sub_type: 'flow', index: '1', parameters: [{ type: 'action', action: { flow_token: 't' } }] },
			{
				type: 'carousel',
				cards: [{ card_index: 0, components: [{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/v.mp4' } }] }] }],
			},
		];
		expect(paramsFromJson(JSON.stringify(params))).toEqual(params);
	});

	it.each([
		['not JSON', '[{type: body}]', /^Params \(JSON\) is not valid JSON \(/],
		['an object', '{"type":"body"}', /^Params \(JSON\): the value must be a JSON array of components$/],
		['a flat list of strings', '["Maria"]', /^Params \(JSON\): params\[0\] must be an object$/],
		['an unknown component', '[{"type":"footer","parameters":[]}]', /params\[0\]\.type "footer" is not a component type$/],
		['a button without sub_type', '[{"type":"button","index":0,"parameters":[{"type":"text","text":"a"}]}]', /params\[0\]\.sub_type must be one of url, quick_reply, copy_code/],
		['a button without index', '[{"type":"button","sub_type":"url","parameters":[{"type":"text","text":"a"}]}]', /params\[0\]\.index must be the button's position/],
		['empty text', '[{"type":"body","parameters":[{"type":"text","text":" "}]}]', /params\[0\]\.parameters\[0\]\.text must be a non-empty string$/],
		['a line break in text', '[{"type":"body","parameters":[{"type":"text","text":"a\\nb"}]}]', /params\[0\]\.parameters\[0\]\.text contains a line break/],
		['a long coupon', '[{"type":"button","sub_type":"copy_code","index":0,"parameters":[{"type":"coupon_code","coupon_code":"ABCDEFGHIJKLMNOP"}]}]', /coupon_code has 16 characters; WhatsApp allows 15$/],
		['an http media link', '[{"type":"header","parameters":[{"type":"image","image":{"link":"http://x.io/a.jpg"}}]}]', /params\[0\]\.parameters\[0\]\.image\.link must be an https:\/\/ link$/],
		['a currency without amount_1000', '[{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$5","code":"USD"}}]}]', /currency\.amount_1000 must be a whole number/],
		['cards out of order', '[{"type":"carousel","cards":[{"card_index":1,"components":[{"type":"body","parameters":[{"type":"text","text":"a"}]}]}]}]', /params\[0\]\.cards\[0\]\.card_index must be 0/],
		['a carousel inside a card', '[{"type":"carousel","cards":[{"card_index":0,"components":[{"type":"carousel","cards":[]}]}]}]', /"carousel" is not a component type inside a carousel card$/],
	])('refuses %s before sending, naming the field and the place', (_what, raw, message) => {
		const error = errorOf(() => paramsFromJson(raw));
		expect(error.field).toBe('Params (JSON)');
		expect(error.category).toBe('invalid_input');
		expect(error.message).toMatch(message);
		expect(error.fix).toMatch(/params array/);
	});
});
